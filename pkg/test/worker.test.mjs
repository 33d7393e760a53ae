// examples/node/worker.mjs, the README's Cloudflare Worker, loaded the way workerd loads it (the
// `workerd` condition, the .wasm imported as a WebAssembly.Module compiled by the host, compiling
// from bytes refused) and called against the sandbox.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";
import { startSandbox } from "./helpers/sandbox.mjs";

const helper = (name) => fileURLToPath(new URL(`./helpers/${name}`, import.meta.url));
const worker = fileURLToPath(new URL("../worker.mjs", import.meta.url));

test("the example Worker answers a return code, and 422 for a bad phone", { skip: !existsSync(worker) && "no worker.mjs beside the tests" }, async () => {
  const sandbox = await startSandbox();
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["--conditions=workerd", "--import", helper("no-wasm-codegen.mjs"), "--import", helper("wasm-as-module.mjs"), helper("worker-probe.mjs")], {
      env: { ...process.env, SANDBOX_URL: sandbox.url },
    });
    const [ok, bad] = JSON.parse(stdout);
    assert.equal(ok.status, 200);
    assert.match(ok.body.code, /^\d{10}$/);
    assert.equal(ok.body.size, "B");
    assert.match(ok.body.expires, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(bad.status, 422);
    assert.equal(bad.body.kind, "invalid_input");
    assert.equal(bad.body.field, "senderPhone");
    assert.doesNotMatch(stdout, /demo-password/);
  } finally {
    await sandbox.stop();
  }
});
