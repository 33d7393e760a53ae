// The Rollup app of `make test-bundlers`: Rollup with the node-resolve plugin (which any npm
// dependency needs), for the browser. Nothing about wasm. OUT_DIR is where the test wants it.
import { nodeResolve } from "@rollup/plugin-node-resolve";

export default {
  input: new URL("../src/browser.js", import.meta.url).pathname,
  output: { file: `${process.env.OUT_DIR}/main.js`, format: "es" },
  plugins: [nodeResolve({ browser: true })],
};
