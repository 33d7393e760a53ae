// The conformance table (tests/conformance/*.json in the repository, format in its README.md)
// through the package as installed from its tarball: buildRequest and parseResponse of the wasm
// face, errors as thrown QuickReturnsErrors. The Rust, command-line, C ABI and PHPUnit runners
// check the same cases with the same rules. Each body is given both as a Uint8Array and, when it
// is UTF-8 text, as a string.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { buildRequest, parseResponse, QuickReturnsError } from "inpost-quick-returns";

// pkg/scripts/test-node.sh runs the suites from a temporary folder and points here at the repository.
const fixtures = process.env.INPOST_REPO_FIXTURES;
assert.ok(fixtures, "set INPOST_REPO_FIXTURES to the repository's tests/fixtures (make test-node does)");
const tableDir = join(fixtures, "..", "conformance");

function call(fn) {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (!(error instanceof QuickReturnsError)) throw error;
    const { kind, message, field, key, status } = error;
    return { ok: false, error: { kind, message, field, key, status } };
  }
}

/** As the table compares: a body expected as `form` decoded; an error's kind, field, key, status. */
function comparable(expect, actual) {
  if (actual.ok && expect.value?.form !== undefined && typeof actual.value.body === "string") {
    const { body, ...rest } = actual.value;
    return { ok: true, value: { ...rest, form: Object.fromEntries(new URLSearchParams(body)) } };
  }
  if (!actual.ok) {
    const error = {};
    for (const name of ["kind", "field", "key", "status"]) {
      if (actual.error[name] !== undefined) error[name] = actual.error[name];
    }
    return { ok: false, error };
  }
  return actual;
}

function check(kase, actual) {
  const expect = structuredClone(kase.expect);
  const includes = [expect.error?.messageIncludes ?? []].flat();
  if (expect.error) delete expect.error.messageIncludes;
  assert.deepEqual(comparable(expect, actual), expect);
  for (const part of includes) assert.ok(actual.error.message.includes(part), `${JSON.stringify(actual.error.message)} lacks ${JSON.stringify(part)}`);
  const password = kase.build?.config?.password;
  if (!actual.ok && typeof password === "string" && password.length >= 4) {
    assert.ok(!actual.error.message.includes(password), "an error quotes the password");
  }
}

function bodyOf(parse) {
  if (parse.bodyFile !== undefined) return new Uint8Array(readFileSync(join(fixtures, parse.bodyFile)));
  if (parse.bodyHex !== undefined) return new Uint8Array(Buffer.from(parse.bodyHex.replace(/\s+/g, ""), "hex"));
  return new TextEncoder().encode(parse.body);
}

const files = readdirSync(tableDir).filter((name) => name.endsWith(".json")).sort();
assert.ok(files.length > 0, `no table files in ${tableDir}`);

for (const file of files) {
  const table = JSON.parse(readFileSync(join(tableDir, file), "utf8"));
  for (const kase of table.cases) {
    test(`${file}: ${kase.name}`, () => {
      if (kase.build) {
        kase.build.config ??= table.config;
        const { operation, config, input } = kase.build;
        check(kase, call(() => buildRequest(operation, config, input)));
      } else {
        const { operation, status } = kase.parse;
        const bytes = bodyOf(kase.parse);
        check(kase, call(() => parseResponse(operation, status, bytes)));
        let text;
        try {
          text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
        } catch {
          return; // not UTF-8 text: only the bytes can carry it
        }
        check(kase, call(() => parseResponse(operation, status, text)));
      }
    });
  }
}
