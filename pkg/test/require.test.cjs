// The CommonJS entry: require() gives the same API, and import and require share one instance
// (the ESM entry re-exports the CommonJS build), so QuickReturnsError is one class.
const assert = require("node:assert/strict");
const { readFileSync, readdirSync, statSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { test } = require("node:test");

const api = require("inpost-quick-returns");

test("require() exposes the whole API", () => {
  assert.deepEqual(Object.keys(api).sort(), ["QuickReturnsClient", "QuickReturnsError", "buildRequest", "parseResponse", "version"]);
  assert.match(api.version(), /^\d+\.\d+\.\d+/);
});

test("require() parses and throws QuickReturnsError like import does", async () => {
  const body = readFileSync(join(__dirname, "fixtures", "generate-inactive-codes.xml"));
  const { codes } = api.parseResponse("generateInactiveCodes", 200, body);
  assert.deepEqual(codes.map((c) => c.code), ["1414764219", "2687720481"]);
  assert.throws(() => api.parseResponse("getReport", 502, "<html>Bad Gateway</html>"), (error) => {
    assert.ok(error instanceof api.QuickReturnsError);
    assert.equal(error.kind, "unexpected_response");
    assert.equal(error.status, 502);
    return true;
  });
  const esm = await import("inpost-quick-returns");
  assert.equal(esm.QuickReturnsError, api.QuickReturnsError, "one class for import and require");
  assert.equal(esm.parseResponse, api.parseResponse);
});

test("the installed package holds exactly one .wasm, and it is the one both entries use", () => {
  const root = dirname(require.resolve("inpost-quick-returns/package.json"));
  const wasm = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".wasm")) wasm.push(path.slice(root.length + 1));
    }
  };
  walk(root);
  assert.deepEqual(wasm, ["dist/inpost_quick_returns_bg.wasm"]);
  assert.equal(require.resolve("inpost-quick-returns/inpost_quick_returns_bg.wasm"), join(root, wasm[0]));
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.deepEqual(pkg.dependencies ?? {}, {}, "no runtime dependencies");
});
