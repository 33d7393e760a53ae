// examples/node/quickstart.mjs, run as a user would run it (here it imports the package installed
// from the tarball), against a fresh sandbox.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";
import { startSandbox } from "./helpers/sandbox.mjs";

const quickstart = fileURLToPath(new URL("../quickstart.mjs", import.meta.url));

test("the Node quickstart runs both scenarios, the report, a lost answer and the bad phone number", { skip: !existsSync(quickstart) && "no quickstart.mjs beside the tests" }, async () => {
  const sandbox = await startSandbox(["--seed", "7"]);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [quickstart], { env: { ...process.env, INPOST_BASE_URL: sandbox.url } });
    assert.match(stdout, /Scenario 1 — active return code for order ORDER-1042\n {2}code \d{10}, valid until \d{4}-\d\d-\d\dT/);
    assert.match(stdout, /locker size B \(19 x 38 x 64 cm\), active: true/);
    assert.match(stdout, /Scenario 2 — 3 inactive codes/);
    assert.match(stdout, /activated \d{10}/);
    assert.match(stdout, /still valid\? false/);
    assert.match(stdout, /dropped at a locker as shipment \d{24}, now in transit/);
    assert.match(stdout, /page 1 \(offset 0\): 2 record\(s\)\n/);
    assert.match(stdout, /page 2 \(offset 2\): no more records\n/);
    assert.match(stdout, /status InTransit {2}<- this run/);
    assert.match(stdout, /reportRecords\(\) went through all 2 record\(s\)/);
    assert.match(stdout, /\[lookup\] generateActiveCode: attempt 1 may have reached InPost; looking up rma ORDER-1044 in the report/);
    assert.match(stdout, /\[recovered\] generateActiveCode: the report shows attempt 1 took effect \(code \d{10}\)/);
    assert.match(stdout, /order ORDER-1044: code \d{10} \(recovered: true\); InPost holds 1 code\(s\) for ORDER-1044/);
    assert.match(stdout, /QuickReturnsError kind=invalid_input field=senderPhone/);
    assert.doesNotMatch(stdout, /demo-password/);
  } finally {
    await sandbox.stop();
  }
});
