// Inline entry (dist/inline.mjs): the .wasm travels inside this file as base64 and is compiled
// synchronously at import, so it needs no loader, plugin or file beside it: Vite, Rollup, esbuild
// and `bun build` for the browser, and bundles made for a server (esbuild --platform=node,
// webpack or Turbopack for Node), which may then be moved anywhere. It costs the base64 (a third
// more bytes than the .wasm) and a decode at start-up. Not for workerd or Vercel Edge: they refuse
// to compile wasm from bytes at run time (they get dist/edge.mjs).
import base64 from "../.build/inline-base64.js";
import { initSync } from "../.build/inpost_quick_returns.js";

initSync({ module: decodeBase64(base64) });

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export { buildRequest, parseResponse, version, QuickReturnsError, QuickReturnsClient } from "./api.js";
