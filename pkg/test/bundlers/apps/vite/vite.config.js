// The Vite app of `make test-bundlers`: defaults, except that the dev server forwards /sandbox/ to
// the local sandbox (SANDBOX_URL), as a shop's app would forward its own API, and that Vite's
// cache stays in the test folder's node_modules. Nothing about wasm.
import { defineConfig } from "vite";

export default defineConfig({
  logLevel: "warn",
  cacheDir: "../../node_modules/.vite",
  server: {
    proxy: process.env.SANDBOX_URL
      ? { "/sandbox/": { target: process.env.SANDBOX_URL, rewrite: (path) => path.replace(/^\/sandbox/, "") } }
      : undefined,
  },
});
