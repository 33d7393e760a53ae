// The entries other than Node's, loaded by Node the way their runtimes load them. The edge entry
// (dist/edge.mjs) is resolved with the `workerd` or `edge-light` condition, its
// `import wasm from "./….wasm?module"` gives a WebAssembly.Module compiled by the host, and
// compiling wasm from bytes is refused, as in workerd and Vercel Edge. The inline entry is what
// bundlers get for a server (the `module` condition under `node`). Real bundlers, browsers, Deno
// and Bun: test/bundlers/ (make test-bundlers).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { startSandbox } from "./helpers/sandbox.mjs";

const run = promisify(execFile);
const helper = (name) => fileURLToPath(new URL(`./helpers/${name}`, import.meta.url));
const dist = (file) => fileURLToPath(new URL(file, import.meta.resolve("inpost-quick-returns")));
const API = ["QuickReturnsClient", "QuickReturnsError", "buildRequest", "parseResponse", "version"];
let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox?.stop());

function checkProbe(out) {
  assert.deepEqual(out.exports, API);
  assert.match(out.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(out.parsed, { valid: false, extra: {} });
  assert.deepEqual(out.error, { isQuickReturnsError: true, kind: "invalid_input", field: "senderPhone" });
  assert.equal(out.codes, 2, "the client works over fetch from this entry");
}

for (const condition of ["workerd", "edge-light"]) {
  test(`--conditions=${condition} loads dist/edge.mjs: a host-compiled WebAssembly.Module, no compiling from bytes`, async () => {
    const { stdout } = await run(
      process.execPath,
      [`--conditions=${condition}`, "--import", helper("no-wasm-codegen.mjs"), "--import", helper("wasm-as-module.mjs"), helper("edge-probe.mjs")],
      { env: { ...process.env, SANDBOX_URL: sandbox.url } },
    );
    const out = JSON.parse(stdout);
    assert.match(out.entry, /\/node_modules\/inpost-quick-returns\/dist\/edge\.mjs$/);
    checkProbe(out);
  });
}

test("where compiling from bytes is refused, only the edge entry loads (the inline one cannot)", async () => {
  const failed = await run(process.execPath, ["--conditions=module", "--import", helper("no-wasm-codegen.mjs"), helper("edge-probe.mjs")]).then(
    () => assert.fail("the inline entry compiled wasm from bytes under the refusal"),
    (error) => error.stderr,
  );
  assert.match(failed, /Wasm code generation disallowed by embedder/);
});

test("--conditions=module (bundlers building for Node) loads dist/inline.mjs, which needs no file beside it", async () => {
  const { stdout } = await run(process.execPath, ["--conditions=module", helper("edge-probe.mjs")], { env: { ...process.env, SANDBOX_URL: sandbox.url } });
  const out = JSON.parse(stdout);
  assert.match(out.entry, /\/node_modules\/inpost-quick-returns\/dist\/inline\.mjs$/);
  checkProbe(out);
});

test("without those conditions Node gets the node entry, for import and require", async () => {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", 'console.log(import.meta.resolve("inpost-quick-returns"))']);
  assert.match(stdout.trim(), /\/dist\/node\.mjs$/);
  const required = await run(process.execPath, ["-e", 'console.log(require.resolve("inpost-quick-returns"))']);
  assert.match(required.stdout.trim(), /\/dist\/node\.cjs$/);
});

/** The module specifiers a bundled entry imports. */
function importsOf(source) {
  return [...source.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
}

test("the edge, webpack and inline entries use no Node API; each reaches the .wasm only its own way", () => {
  const edge = readFileSync(dist("edge.mjs"), "utf8");
  const webpack = readFileSync(dist("webpack.mjs"), "utf8");
  const inline = readFileSync(dist("inline.mjs"), "utf8");
  for (const source of [edge, webpack, inline]) {
    for (const nodeOnly of [/\brequire\s*\(/, /\b__dirname\b/, /\bprocess\./, /\bBuffer\b/, /["']node:/]) {
      assert.doesNotMatch(source, nodeOnly);
    }
  }
  assert.deepEqual(importsOf(edge), ["./inpost_quick_returns_bg.wasm?module"]);
  assert.doesNotMatch(edge, /import\.meta/);
  assert.deepEqual(importsOf(webpack), []);
  assert.deepEqual(webpack.match(/new URL\([^)]*\)/g), ['new URL("./inpost_quick_returns_bg.wasm", import.meta.url)']);
  // A `new URL(…wasm…, import.meta.url)` left in the inline entry would make Vite or webpack emit
  // the .wasm beside a bundle that never loads it.
  assert.deepEqual(importsOf(inline), []);
  assert.doesNotMatch(inline, /import\.meta|\.wasm/);
});

test("the .wasm imports only from the module the glue provides, not from a file the package lacks", () => {
  const bytes = readFileSync(dist("inpost_quick_returns_bg.wasm"));
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => i.module));
  assert.deepEqual([...modules], ["wbg"]);
});
