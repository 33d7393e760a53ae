// Edge and browser entry (bundled to dist/edge.mjs): Cloudflare Workers (workerd), Vercel Edge,
// and bundlers that load `import x from "./file.wasm"` as a WebAssembly.Module (wrangler does;
// esbuild's `binary` loader gives bytes, which work too). Instantiates synchronously at import.
import wasm from "./inpost_quick_returns_bg.wasm";
import { initSync } from "../.build/inpost_quick_returns.js";

if (!(wasm instanceof WebAssembly.Module) && !ArrayBuffer.isView(wasm) && !(wasm instanceof ArrayBuffer)) {
  throw new TypeError(
    "inpost-quick-returns: the default import of inpost_quick_returns_bg.wasm gave " +
      (wasm === null ? "null" : typeof wasm) +
      ", not a WebAssembly.Module; configure the bundler to load .wasm files as WebAssembly modules " +
      "(wrangler and Vercel Edge do by default) or use the package's Node entry",
  );
}
initSync({ module: wasm });

export { buildRequest, parseResponse, version, QuickReturnsError, QuickReturnsClient } from "./api.js";
