// A Cloudflare Worker that gives a customer a return code: `POST /returns` with
// {"orderId", "phone", "email", "size"?}. Deploy with wrangler (it loads the package's `workerd`
// entry and its .wasm as a WebAssembly.Module by itself); set the secrets INPOST_EMAIL and
// INPOST_PASSWORD, and INPOST_BASE_URL only to aim at a sandbox instead of InPost's production API.
import { QuickReturnsClient, QuickReturnsError } from "inpost-quick-returns";

export default {
  async fetch(request, env) {
    if (request.method !== "POST" || new URL(request.url).pathname !== "/returns") {
      return new Response("POST /returns", { status: 404 });
    }
    const client = new QuickReturnsClient({
      ...(env.INPOST_BASE_URL ? { baseUrl: env.INPOST_BASE_URL } : { environment: "production" }),
      email: env.INPOST_EMAIL,
      password: env.INPOST_PASSWORD,
      timeoutMs: 10000,
    });
    const order = await request.json();
    try {
      const code = await client.generateActiveCode({
        rma: String(order.orderId),
        packType: order.size ?? "A",
        expirationDate: new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 19),
        senderPhone: order.phone,
        senderEmail: order.email,
      });
      return Response.json({ code: code.code, expires: code.expirationDate, size: code.packType });
    } catch (error) {
      if (!(error instanceof QuickReturnsError)) throw error;
      // invalid_input: the customer can fix it; anything else is on InPost's side or the network's.
      const status = error.kind === "invalid_input" ? 422 : 502;
      return Response.json({ kind: error.kind, field: error.field, message: error.message }, { status });
    }
  },
};
