// webpack entry (dist/webpack.mjs), for webpack 5 building for the browser or a web worker:
// webpack emits the file that `new URL("./file", import.meta.url)` names as an asset and rewrites
// the URL, with no configuration. The .wasm is then fetched and compiled while it downloads, and
// top-level await (on by default since webpack 5.83) keeps the API synchronous once imported.
// webpack builds for Node match the `node` condition first and get the inline entry.
import { initSync } from "../.build/inpost_quick_returns.js";

const url = new URL("./inpost_quick_returns_bg.wasm", import.meta.url);
const response = await fetch(url);
if (!response.ok) {
  throw new Error(`inpost-quick-returns: fetching ${url} answered HTTP ${response.status}`);
}
const wasm = response.headers.get("Content-Type")?.startsWith("application/wasm")
  ? await WebAssembly.compileStreaming(response)
  : await WebAssembly.compile(await response.arrayBuffer());
initSync({ module: wasm });

export { buildRequest, parseResponse, version, QuickReturnsError, QuickReturnsClient } from "./api.js";
