// A Next.js route on the Node.js runtime: runs the probe against SANDBOX_URL per request.
import { probe } from "../../../../src/probe.js";

export const dynamic = "force-dynamic";

export async function GET() {
  return Response.json(await probe(process.env.SANDBOX_URL));
}
