// `node --import ./wasm-as-module.mjs`: makes `import wasm from "./x.wasm?module"` (and without
// `?module`) give a compiled WebAssembly.Module as its default export, which is what Cloudflare
// Workers (wrangler), Next.js Edge and Vercel Edge do. With it, Node loads the package's edge
// entry as those runtimes do.
import { register } from "node:module";

register("./wasm-as-module-hooks.mjs", import.meta.url);
