// parseResponse on InPost's documented answers and on the broken ones a proxy produces, through
// the package as installed from its tarball (ESM entry, real .wasm).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { buildRequest, parseResponse, QuickReturnsError } from "inpost-quick-returns";
import { rejects } from "./helpers/rejects.mjs";

const fixture = (name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const text = (name) => fixture(name).toString("utf8");

test("generateActiveCode answer: typed fields, unknown elements kept in extra", () => {
  const value = parseResponse("generateActiveCode", 200, fixture("generate-active-code.xml"));
  assert.deepEqual(value, {
    code: "6397348744",
    active: true,
    expirationDate: "2022-10-10T11:00:00",
    packType: "A",
    uuid: "5c2a7f0e-3b9d-4a51-9e0c-0f6d2b1c8e77",
    labelAttached: false,
    extra: { returnDescription1: "Zamówienie:312" },
  });
  // `extra` is a plain object, not a Map
  assert.equal(Object.getPrototypeOf(value.extra), Object.prototype);
});

test("generateInactiveCodes answer with <0>/<1> items, exactly as documented", () => {
  for (const body of [fixture("generate-inactive-codes.xml"), text("generate-inactive-codes.xml")]) {
    assert.deepEqual(parseResponse("generateInactiveCodes", 200, body), {
      codes: [
        { code: "1414764219", active: false, uuid: "12091fa7-61c0-4ebf-abf7-0fa80c53a3a5", labelAttached: false, extra: {} },
        { code: "2687720481", active: false, uuid: "8bce4ad4-4249-4bcf-8f54-fb8c8b5f8e14", labelAttached: false, extra: {} },
      ],
    });
  }
});

test("invalidateCode answer: valid sits directly under the root", () => {
  assert.deepEqual(parseResponse("invalidateCode", 200, text("invalidate-code.xml")), { valid: false, extra: {} });
});

test("getReport answer: records, empty elements null, unknown elements in order in extra", () => {
  const { records } = parseResponse("getReport", 200, fixture("get-report.xml"));
  assert.equal(records.length, 2);
  assert.deepEqual(records[0], {
    operatorEmail: "sklep@example.pl",
    reverseReturnPackCode: "670781097283000026014876",
    reverseReturnPackStatus: "InTransit",
    code: "6397348744",
    rma: "123",
    active: true,
    used: true,
    senderPhone: "333222111",
    senderEmail: "klient@example.pl",
    returnDescription1: "Zamówienie:312",
    extra: { usedDate: "2022-07-01 10:15:00", creationDate: "2022-06-30 09:00:00", statusDate: "2022-07-02 08:00:00" },
  });
  assert.deepEqual(Object.keys(records[0].extra), ["usedDate", "creationDate", "statusDate"]);
  const second = records[1];
  assert.equal(second.reverseReturnPackCode, null);
  assert.equal(second.rma, null);
  assert.equal(second.returnDescription1, null);
  assert.equal(second.reverseReturnPackStatus, "NieznanyStatus", "an unknown status is kept, never a failure");
  assert.deepEqual(second.extra, { note: "a & b" });
});

test("Uint8Array views and Node Buffers are read from their own window only", () => {
  const bytes = fixture("invalidate-code.xml");
  const padded = new Uint8Array(bytes.length + 20).fill(0x41);
  padded.set(bytes, 10);
  assert.deepEqual(parseResponse("invalidateCode", 200, padded.subarray(10, 10 + bytes.length)), { valid: false, extra: {} });
});

test("<error key=…> is an api error with key, status and InPost's message", () => {
  const error = rejects(() => parseResponse("getReport", 200, fixture("error-with-key.xml")), {
    kind: "api",
    key: "NoPackageFound",
    status: 200,
    field: undefined,
  });
  assert.match(error.message, /Nie znaleziono kodu/);
  const noKey = rejects(() => parseResponse("invalidateCode", 400, text("error-without-key.xml")), { kind: "api", key: undefined, status: 400 });
  assert.match(noKey.message, /Błąd wewnętrzny/);
});

test("an HTML 502 page is unexpected_response with status 502 and a short excerpt at most", () => {
  const error = rejects(() => parseResponse("generateActiveCode", 502, fixture("bad-gateway.html")), { kind: "unexpected_response", status: 502 });
  assert.ok(error.message.length < 400, error.message);
});

test("an empty body and a truncated body are unexpected_response", () => {
  rejects(() => parseResponse("generateActiveCode", 200, ""), { kind: "unexpected_response", status: 200 });
  rejects(() => parseResponse("generateActiveCode", 200, new Uint8Array()), { kind: "unexpected_response", status: 200 });
  rejects(() => parseResponse("generateActiveCode", 200, fixture("truncated.xml")), { kind: "unexpected_response", status: 200 });
  rejects(() => parseResponse("generateActiveCode", 504, "upstream request timeout"), { kind: "unexpected_response", status: 504 });
});

test("a body string is read as TextEncoder encodes it; a lone surrogate in input text is refused instead", () => {
  // Response.text() never yields a lone surrogate; a string made by hand is encoded as
  // TextEncoder does (U+FFFD), and the bytes are what the core reads.
  const answer = "<paczkomaty><valid>false</valid><note>X</note></paczkomaty>";
  for (const text of ["\uD800", "\uFFFD", "\uD83D\uDE00"]) {
    const body = answer.replace("X", text);
    const expected = new TextDecoder().decode(new TextEncoder().encode(text));
    assert.deepEqual(parseResponse("invalidateCode", 200, body), { valid: false, extra: { note: expected } });
    assert.deepEqual(parseResponse("invalidateCode", 200, new TextEncoder().encode(body)), parseResponse("invalidateCode", 200, body));
  }
});

test("usage errors: unknown operation, a body that is neither text nor bytes, a bad status", () => {
  const body = text("invalidate-code.xml");
  rejects(() => parseResponse("revloginvalidatecode", 200, body), { kind: "usage" });
  rejects(() => parseResponse(undefined, 200, body), { kind: "usage" });
  for (const bad of [undefined, null, 42, { body }, [body], new ArrayBuffer(4), new Uint16Array(4)]) {
    rejects(() => parseResponse("invalidateCode", 200, bad), { kind: "usage" });
  }
  for (const bad of ["200", 200.5, -1, 70000, NaN, undefined]) {
    rejects(() => parseResponse("invalidateCode", bad, body), { kind: "usage" });
  }
});

// The core's own fixtures (tests/fixtures in the repository): for every answer and every
// operation, the wasm face gives exactly what the command-line face (`inpost-returns parse`, the
// same core compiled natively) gives: the same value, or the same error kind, message, field, key
// and status.
const repoFixtures = process.env.INPOST_REPO_FIXTURES;
const cli = process.env.INPOST_CLI_BIN;
const files = repoFixtures && existsSync(repoFixtures) ? readdirSync(repoFixtures).filter((f) => /\.(xml|html|txt)$/.test(f)) : [];
test("every core fixture parses exactly as the native command line parses it", { skip: (files.length === 0 || !cli) && "needs INPOST_REPO_FIXTURES and INPOST_CLI_BIN (make test-node)" }, () => {
  const operations = ["generateActiveCode", "generateInactiveCodes", "activateCode", "invalidateCode", "getReport"];
  let compared = 0;
  for (const file of files) {
    const path = `${repoFixtures}/${file}`;
    const body = readFileSync(path);
    for (const operation of operations) {
      for (const status of [200, 502]) {
        const run = spawnSync(cli, ["parse", operation, "--status", String(status), path], { encoding: "utf8" });
        const expected = JSON.parse(run.stdout);
        let actual;
        try {
          actual = { ok: true, value: parseResponse(operation, status, body) };
        } catch (error) {
          assert.ok(error instanceof QuickReturnsError, `${file} as ${operation}: ${error}`);
          actual = { ok: false, error: Object.fromEntries(Object.entries({ kind: error.kind, message: error.message, field: error.field, key: error.key, status: error.status }).filter(([, v]) => v !== undefined)) };
        }
        assert.deepEqual(actual, expected, `${file} as ${operation} with HTTP ${status}`);
        compared += 1;
      }
    }
  }
  assert.equal(compared, files.length * 10);
});

// Values reach JavaScript as a tape (bindings/wasm/src/tape.rs, src/tape.js), not as JSON: they
// must come out exactly as the command line's JSON gives them, property order included, for every
// kind of text, key and record.
test("values are exactly the command line's, property order included", { skip: (files.length === 0 || !cli) && "needs INPOST_REPO_FIXTURES and INPOST_CLI_BIN (make test-node)" }, () => {
  const many = Array.from({ length: 70 }, (_, i) => `<k${i}>v${i}</k${i}>`).join("");
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<paczkomaty><return>' +
    "<code>single</code><used>yes</used>" +
    "<0><operatorEmail>a@b.pl</operatorEmail><code>1</code><active>TRUE</active><used>0</used><rma></rma>" +
    "<returnDescription1>Zamówienie — łódź 😀 &lt;&amp;&gt; \uFEFFbom</returnDescription1>" +
    "<note>x</note><note>y</note><__proto__>polluted?</__proto__><constructor/><label><format>PDF</format><size>A6</size></label>" +
    "<żółw>ąę</żółw><empty/><code>second code</code><active>maybe</active></0>" +
    `<1><senderPhone>600100200</senderPhone><note>z</note>${many}<label><format>ZPL</format></label></1>` +
    "<2><![CDATA[ignored]]><senderEmail><![CDATA[k@l.pl]]></senderEmail><rma>\uFEFF</rma><reverseReturnPackStatus> \u00a0Sent </reverseReturnPackStatus></2>" +
    "<3/><4></4>" +
    "</return></paczkomaty>";
  const dir = mkdtempSync(join(tmpdir(), "inpost-tape-"));
  try {
    const path = join(dir, "report.xml");
    writeFileSync(path, body);
    const run = spawnSync(cli, ["parse", "getReport", "--status", "200", path], { encoding: "utf8" });
    const expected = JSON.parse(run.stdout);
    assert.equal(expected.ok, true, run.stdout);
    for (const input of [body, new TextEncoder().encode(body)]) {
      const value = parseResponse("getReport", 200, input);
      assert.equal(JSON.stringify(value), JSON.stringify(expected.value));
      assert.deepEqual(value, expected.value);
      for (const record of value.records) {
        assert.equal(Object.getPrototypeOf(record.extra), Object.prototype);
        assert.deepEqual(Object.keys(record.extra), Object.keys(expected.value.records[value.records.indexOf(record)].extra));
      }
      assert.ok(Object.hasOwn(value.records[1].extra, "__proto__"), "an element named __proto__ is an own property, as JSON.parse makes it");
    }
    // Every other value, and the request buildRequest gives, in the same order as the JSON too.
    for (const file of files) {
      for (const operation of ["generateActiveCode", "generateInactiveCodes", "invalidateCode"]) {
        const theirs = JSON.parse(spawnSync(cli, ["parse", operation, `${repoFixtures}/${file}`], { encoding: "utf8" }).stdout);
        if (!theirs.ok) continue;
        assert.equal(JSON.stringify(parseResponse(operation, 200, readFileSync(`${repoFixtures}/${file}`))), JSON.stringify(theirs.value), `${file} as ${operation}`);
      }
    }
    const config = { environment: "sandbox", email: "sklep@example.pl", password: "tajne — hasło" };
    const input = { rma: "ZAM/1", packType: "a", expirationDate: "2026-12-31T23:59:59", senderPhone: "600100200", senderEmail: "k@l.pl", returnDescription1: "Zamówienie 😀" };
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    writeFileSync(join(dir, "input.json"), JSON.stringify(input));
    const built = JSON.parse(spawnSync(cli, ["build", "generateActiveCode", "--config", join(dir, "config.json"), "--input", join(dir, "input.json")], { encoding: "utf8" }).stdout);
    assert.equal(built.ok, true, JSON.stringify(built));
    assert.equal(JSON.stringify(buildRequest("generateActiveCode", config, input)), JSON.stringify(built.value));
    // The same call twice, and after other answers, gives the same value (the wasm buffers are reused).
    parseResponse("invalidateCode", 200, "<paczkomaty><valid>false</valid></paczkomaty>");
    assert.equal(JSON.stringify(parseResponse("getReport", 200, body)), JSON.stringify(expected.value));
    assert.deepEqual(parseResponse("getReport", 200, "<paczkomaty><return/></paczkomaty>"), { records: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
