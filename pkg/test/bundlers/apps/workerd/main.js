// The workerd app of `make test-bundlers`: GET /probe runs the shared probe against the
// SANDBOX_URL binding; everything else goes to the README's Cloudflare Worker
// (examples/node/worker.mjs, copied beside this file by the test as readme-worker.mjs).
import { probe } from "../src/probe.js";
import readmeWorker from "./readme-worker.mjs";

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/probe") return Response.json(await probe(env.SANDBOX_URL));
    return readmeWorker.fetch(request, env);
  },
};
