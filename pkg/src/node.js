// Node entry (bundled to dist/node.cjs; dist/node.mjs re-exports it, so `import` and `require`
// share one instance and one QuickReturnsError class). Loads the .wasm beside this file
// synchronously, so the API is ready as soon as the module is.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "../.build/inpost_quick_returns.js";

initSync({ module: readFileSync(join(__dirname, "inpost_quick_returns_bg.wasm")) });

export { buildRequest, parseResponse, version, QuickReturnsError, QuickReturnsClient } from "./api.js";
