// buildRequest and the error kinds of validation, through the installed package (ESM entry).
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildRequest, QuickReturnsError, version } from "inpost-quick-returns";
import { rejects as rejectsWith } from "./helpers/rejects.mjs";

const EMAIL = "shop+returns@example.com";
const PASSWORD = "p&ss=w+rd 1";
const config = { environment: "sandbox", email: EMAIL, password: PASSWORD };
const activeCode = {
  rma: "123",
  packType: "a",
  expirationDate: "2030-10-10T11:00:00",
  senderPhone: "+48 600-100-200",
  senderEmail: "klient@example.pl",
  returnDescription1: "Zamówienie:312",
};

const SECRETS = [EMAIL, PASSWORD, encodeURIComponent(EMAIL), encodeURIComponent(PASSWORD)];
const rejects = (fn, expected) => rejectsWith(fn, expected, SECRETS);

test("version() is the core's semver", () => {
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test("generateActiveCode: exactly the request InPost expects, form-encoded, phone normalised", () => {
  const request = buildRequest("generateActiveCode", config, activeCode);
  assert.deepEqual(Object.keys(request).sort(), ["body", "headers", "method", "url"]);
  assert.equal(request.method, "POST");
  assert.equal(request.url, "https://sandbox-api.paczkomaty.pl/?do=revloggenerateactivecode");
  assert.deepEqual(request.headers, { "Content-Type": "application/x-www-form-urlencoded" });
  const form = new URLSearchParams(request.body);
  assert.deepEqual([...form.keys()], ["email", "password", "content"]);
  assert.equal(form.get("email"), EMAIL);
  assert.equal(form.get("password"), PASSWORD);
  const content = form.get("content");
  assert.match(content, /^<paczkomaty>.*<\/paczkomaty>$/s);
  assert.match(content, /<rma>123<\/rma>/);
  assert.match(content, /<packType>A<\/packType>/);
  assert.match(content, /<senderPhone>600100200<\/senderPhone>/);
  assert.match(content, /<returnDescription1>Zamówienie:312<\/returnDescription1>/);
});

test("every operation builds with its ?do= function; baseUrl overrides the environment", () => {
  const local = { baseUrl: "http://127.0.0.1:8787/", email: EMAIL, password: PASSWORD };
  const cases = [
    ["generateInactiveCodes", { numberOfCodes: 2 }, "revloggenerateinactivecodes", /<numberOfCodes>2<\/numberOfCodes>/],
    ["activateCode", { code: "2991513940", packType: "B", expirationDate: "2030-01-01T00:00:00", senderPhone: "600100200", senderEmail: "a@b.pl" }, "revlogactivatecode", /<code>2991513940<\/code>/],
    ["invalidateCode", { code: "2991513940" }, "revloginvalidatecode", /<code>2991513940<\/code>/],
    ["getReport", { used: true, paging: { limit: 2, offset: 4 } }, "revloggetreport", /<limit>2<\/limit>/],
    ["getReport", {}, "revloggetreport", /<paczkomaty/],
  ];
  for (const [operation, input, fn, pattern] of cases) {
    const request = buildRequest(operation, local, input);
    assert.equal(request.url, `http://127.0.0.1:8787/?do=${fn}`);
    assert.match(new URLSearchParams(request.body).get("content"), pattern);
  }
});

test("invalid_input names the field: senderPhone, address.postCode, config.*", () => {
  const phone = rejects(() => buildRequest("generateActiveCode", config, { ...activeCode, senderPhone: "12345" }), { kind: "invalid_input", field: "senderPhone" });
  assert.ok(phone.message.length > 0);
  const address = { name: "Jan", surname: "Kowalski", street: "Prosta", buildingNumber: "1", flatNumber: "2", postCode: "00950", city: "Warszawa" };
  rejects(() => buildRequest("generateActiveCode", config, { ...activeCode, address }), { kind: "invalid_input", field: "address.postCode" });
  rejects(() => buildRequest("generateActiveCode", config, { ...activeCode, rma: "" }), { kind: "invalid_input", field: "rma" });
  rejects(() => buildRequest("generateActiveCode", config, { ...activeCode, packType: "D" }), { kind: "invalid_input", field: "packType" });
  rejects(() => buildRequest("generateActiveCode", config, { ...activeCode, expirationDate: "2030-02-30T11:00:00" }), { kind: "invalid_input", field: "expirationDate" });
  rejects(() => buildRequest("generateActiveCode", config, { ...activeCode, colour: "red" }), { kind: "invalid_input", field: "colour" });
  rejects(() => buildRequest("generateInactiveCodes", config, { numberOfCodes: "two" }), { kind: "invalid_input", field: "numberOfCodes" });
  rejects(() => buildRequest("getReport", config, { paging: { limit: 1001 } }), { kind: "invalid_input", field: "paging.limit" });
  rejects(() => buildRequest("getReport", { ...config, password: "" }, {}), { kind: "invalid_input", field: "config.password" });
  rejects(() => buildRequest("getReport", { environment: "sandbox", password: PASSWORD }, {}), { kind: "invalid_input", field: "config.email" });
  rejects(() => buildRequest("getReport", { email: EMAIL, password: PASSWORD }, {}), { kind: "invalid_input", field: "config.environment" });
  rejects(() => buildRequest("getReport", { ...config, baseUrl: "http://api.example.com/" }, {}), { kind: "invalid_input", field: "config.baseUrl" });
  rejects(() => buildRequest("getReport", { ...config, colour: "red" }, {}), { kind: "invalid_input", field: "config.colour" });
});

test("the client's options serve as config too: fetch and timeoutMs are left out, the rest is checked", () => {
  const options = { ...config, timeoutMs: 5000, fetch: globalThis.fetch };
  assert.deepEqual(buildRequest("getReport", options, { used: true }), buildRequest("getReport", config, { used: true }));
  assert.equal(options.timeoutMs, 5000, "the caller's object is left as it was");
  rejects(() => buildRequest("getReport", { ...options, password: "" }, {}), { kind: "invalid_input", field: "config.password" });
});

test("usage: unknown operation, a missing argument", () => {
  rejects(() => buildRequest("generateactivecode", config, activeCode), { kind: "usage", field: undefined });
  rejects(() => buildRequest(42, config, activeCode), { kind: "usage" });
  rejects(() => buildRequest("generateActiveCode", config), { kind: "usage", field: undefined });
  rejects(() => buildRequest("generateActiveCode", undefined, activeCode), { kind: "usage", field: undefined });
});

test("a config or input that is not an object is invalid_input naming it, as through the C ABI", () => {
  // The same values written as JSON text are invalid_input through the C ABI and the command line.
  for (const bad of [null, "{}", 7, true, [activeCode], []]) {
    rejects(() => buildRequest("generateActiveCode", config, bad), { kind: "invalid_input", field: "input" });
    rejects(() => buildRequest("generateActiveCode", bad, activeCode), { kind: "invalid_input", field: "config" });
  }
  rejects(() => buildRequest("getReport", config, { paging: [10, 0] }), { kind: "invalid_input", field: "paging" });
});

test("a lone UTF-16 surrogate is refused naming the field, never sent as U+FFFD", () => {
  // JavaScript strings can hold unpaired surrogates; UTF-8 cannot. They used to become U+FFFD.
  const lone = ["\uD800", "\uDFFF", "12\uD83D", "\uDE00ab"];
  for (const text of lone) {
    rejects(() => buildRequest("invalidateCode", config, { code: text }), { kind: "invalid_input", field: "code" });
    rejects(() => buildRequest("getReport", { ...config, password: `pass${text}` }, {}), { kind: "invalid_input", field: "config.password" });
    rejects(() => buildRequest("generateActiveCode", config, { ...activeCode, address: { name: text } }), { kind: "invalid_input", field: "address.name" });
  }
  // A real U+FFFD and a surrogate pair are text, and arrive unchanged.
  for (const text of ["\uFFFD", "\uD83D\uDE00", "a\uFFFDb\uD83D\uDE00"]) {
    const request = buildRequest("invalidateCode", config, { code: text });
    assert.equal(new URLSearchParams(request.body).get("content"), `<paczkomaty><code>${text}</code></paczkomaty>`);
  }
});

test("QuickReturnsError is a real Error subclass with a stack and the contract's members", () => {
  const error = rejects(() => buildRequest("generateActiveCode", config, { ...activeCode, senderPhone: "x" }), { kind: "invalid_input" });
  assert.equal(error.name, "QuickReturnsError");
  assert.equal(Object.prototype.toString.call(error), "[object Error]");
  assert.match(error.stack, /QuickReturnsError/);
  assert.equal(error.key, undefined);
  assert.equal(error.status, undefined);
  const made = new QuickReturnsError("transport", "down", { status: 1 });
  assert.equal(made.kind, "transport");
  assert.equal(made.message, "down");
});
