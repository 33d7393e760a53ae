// Edge entry (dist/edge.mjs), for the `workerd` and `edge-light` conditions: Cloudflare
// Workers through wrangler, Next.js Edge routes and middleware (webpack and Turbopack), Vercel
// Edge Functions. Each of them turns `import x from "./file.wasm?module"` into a compiled
// WebAssembly.Module by itself (wrangler's CompiledWasm rule, Next.js' edge wasm loader), and
// workerd forbids compiling wasm from bytes at run time, so this is the one way that works in all
// of them. Instantiates synchronously: the API is ready when the import is.
import wasm from "./inpost_quick_returns_bg.wasm?module";
import { initSync } from "../.build/inpost_quick_returns.js";

// Tested by brand, not instanceof: Next.js compiles the module outside the vm context it runs the
// route in, so it is a WebAssembly.Module of another realm.
if (Object.prototype.toString.call(wasm) !== "[object WebAssembly.Module]") {
  throw new TypeError(
    "inpost-quick-returns: the default import of ./inpost_quick_returns_bg.wasm?module gave " +
      (wasm === null ? "null" : typeof wasm) +
      ", not a WebAssembly.Module. This entry is for workerd (wrangler) and edge-light (Next.js, Vercel Edge); " +
      "elsewhere the package's exports map serves another one",
  );
}
initSync({ module: wasm });

export { buildRequest, parseResponse, version, QuickReturnsError, QuickReturnsClient } from "./api.js";
