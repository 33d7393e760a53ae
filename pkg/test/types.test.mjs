// The package's .d.ts, checked by TypeScript (tsc --noEmit --strict) exactly as a user's project
// would see them: resolved through the installed package's exports map, ESM and CommonJS.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";

const run = promisify(execFile);
const tsc = process.env.INPOST_TSC;
const dir = fileURLToPath(new URL("./types/", import.meta.url));

test("typed usage compiles under --strict (ESM and CommonJS resolution)", { skip: !tsc && "INPOST_TSC not set" }, async () => {
  await run(tsc, ["-p", dir], { cwd: dir }).catch((error) => assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`));
});

test("wrong usage is refused by the types", { skip: !tsc && "INPOST_TSC not set" }, async () => {
  const result = await run(tsc, ["-p", `${dir}tsconfig.wrong.json`], { cwd: dir }).then(
    () => assert.fail("wrong.ts compiled"),
    (error) => error.stdout,
  );
  const lines = result.split("\n").filter((l) => /^wrong\.ts\(\d+,\d+\): error TS/.test(l));
  const errorLines = lines.map((l) => Number(/^wrong\.ts\((\d+),/.exec(l)[1]));
  assert.deepEqual([...new Set(errorLines)], [6, 8, 10, 12, 14, 16], result);
});
