// The workerd/browser entry (dist/edge.mjs), loaded the way Cloudflare Workers loads it: the
// package resolved with the `workerd` (or `browser`) condition, and `import wasm from "./….wasm"`
// giving a WebAssembly.Module that the entry instantiates synchronously.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { startSandbox } from "./helpers/sandbox.mjs";

const run = promisify(execFile);
const helper = (name) => fileURLToPath(new URL(`./helpers/${name}`, import.meta.url));
let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox?.stop());

for (const condition of ["workerd", "browser"]) {
  test(`--conditions=${condition} loads dist/edge.mjs with the .wasm as a WebAssembly.Module`, async () => {
    const { stdout } = await run(process.execPath, [`--conditions=${condition}`, "--import", helper("wasm-as-module.mjs"), helper("edge-probe.mjs")], {
      env: { ...process.env, SANDBOX_URL: sandbox.url },
    });
    const out = JSON.parse(stdout);
    assert.match(out.entry, /\/node_modules\/inpost-quick-returns\/dist\/edge\.mjs$/);
    assert.deepEqual(out.exports, ["QuickReturnsClient", "QuickReturnsError", "buildRequest", "parseResponse", "version"]);
    assert.match(out.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(out.parsed, { valid: false, extra: {} });
    assert.deepEqual(out.error, { isQuickReturnsError: true, kind: "invalid_input", field: "senderPhone" });
    assert.equal(out.codes, 2, "the client works over fetch from the edge entry");
  });
}

test("without the workerd/browser condition Node gets the node entry", async () => {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", 'console.log(import.meta.resolve("inpost-quick-returns"))'], { cwd: process.cwd() });
  assert.match(stdout.trim(), /\/dist\/node\.mjs$/);
});

test("the edge entry uses no Node API and imports nothing but its .wasm", () => {
  const entry = fileURLToPath(import.meta.resolve("inpost-quick-returns").replace(/node\.mjs$/, "edge.mjs"));
  const source = readFileSync(entry, "utf8");
  const imports = [...source.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']/g)].map((m) => m[1] ?? m[2]);
  assert.deepEqual(imports, ["./inpost_quick_returns_bg.wasm"]);
  for (const nodeOnly of [/\brequire\s*\(/, /\b__dirname\b/, /\bprocess\./, /\bBuffer\b/, /["']node:/]) {
    assert.doesNotMatch(source, nodeOnly);
  }
});
