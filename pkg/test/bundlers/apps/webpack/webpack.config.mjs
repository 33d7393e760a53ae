// The webpack app of `make test-bundlers`: webpack 5 defaults for the browser, production mode.
// Nothing about wasm. OUT_DIR is where the test wants the bundle.
import { fileURLToPath } from "node:url";

export default {
  mode: "production",
  context: fileURLToPath(new URL("../src/", import.meta.url)),
  entry: "./browser.js",
  output: { path: process.env.OUT_DIR, filename: "main.js" },
};
