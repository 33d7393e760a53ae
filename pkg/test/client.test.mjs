// QuickReturnsClient end to end: real HTTP to the local sandbox (inpost-returns-sandbox), the
// package as installed from its tarball.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { inspect } from "node:util";
import { QuickReturnsClient, QuickReturnsError } from "inpost-quick-returns";
import { EMAIL, PASSWORD, closedPort, inDays, startSandbox } from "./helpers/sandbox.mjs";

/** Awaits `promise`, expecting a QuickReturnsError with these members and no credential in it. */
async function rejects(promise, expected) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof QuickReturnsError, `expected a QuickReturnsError, got ${error}`);
  for (const [name, value] of Object.entries(expected)) assert.equal(error[name], value, `error.${name} (${error.message})`);
  assertNoCredentials(error.message);
  assertNoCredentials(inspect(error));
  return error;
}

function assertNoCredentials(text) {
  for (const secret of [EMAIL, PASSWORD, encodeURIComponent(EMAIL), encodeURIComponent(PASSWORD)]) {
    assert.ok(!text.includes(secret), `a credential appears in: ${text}`);
  }
}

const returnInput = (rma) => ({
  rma,
  packType: "b",
  expirationDate: inDays(14),
  senderPhone: "+48 600-100-200",
  senderEmail: "klient@example.pl",
  returnDescription1: `Zamówienie:${rma}`,
});

describe("against the sandbox", () => {
  let sandbox;
  let client;
  before(async () => {
    sandbox = await startSandbox();
    client = new QuickReturnsClient(sandbox.config);
  });
  after(() => sandbox?.stop());

  test("scenario 1: an active code for an accepted return", async () => {
    const input = returnInput("ORDER-1001");
    const value = await client.generateActiveCode(input);
    assert.match(value.code, /^\d{10}$/);
    assert.equal(value.active, true);
    assert.equal(value.packType, "B");
    assert.equal(value.expirationDate, input.expirationDate);
    assert.equal(typeof value.extra, "object");
    const { records } = await client.getReport({ code: value.code });
    assert.equal(records.length, 1);
    assert.equal(records[0].rma, "ORDER-1001");
    assert.equal(records[0].senderPhone, "600100200");
    assert.equal(records[0].active, true);
    assert.equal(records[0].used, false);
  });

  test("scenario 2: inactive codes, one activated, an unused one disabled", async () => {
    const { codes } = await client.generateInactiveCodes(3);
    assert.equal(codes.length, 3);
    assert.equal(new Set(codes.map((c) => c.code)).size, 3);
    for (const code of codes) {
      assert.match(code.code, /^\d{10}$/);
      assert.equal(code.active, false);
    }
    const activated = await client.activateCode({ ...returnInput("SERIAL-77"), code: codes[0].code, rma: undefined });
    assert.equal(activated.code, codes[0].code);
    assert.equal(activated.active, true);
    const invalidated = await client.invalidateCode(codes[1].code);
    assert.equal(invalidated.valid, false);
    const { records } = await client.getReport({ code: codes[0].code });
    assert.equal(records[0]?.active, true);
  });

  test("report: parcels move through the sandbox hooks; reportRecords pages through every record", async () => {
    await sandbox.hook("reset");
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push((await client.generateActiveCode(returnInput(`PAGE-${i}`))).code);
    await sandbox.hook("parcel", { code: made[0], status: "Created" });
    await sandbox.hook("parcel", { code: made[1], status: "Created" });
    await sandbox.hook("parcel", { code: made[1], status: "InTransit" });

    const firstPage = await client.getReport({ paging: { limit: 2, offset: 0 } });
    assert.equal(firstPage.records.length, 2);
    const all = [];
    for await (const record of client.reportRecords({ paging: { limit: 2 } })) all.push(record);
    assert.deepEqual(all.map((r) => r.code).sort(), [...made].sort(), "every record exactly once over 3 pages");
    const byCode = new Map(all.map((r) => [r.code, r]));
    assert.equal(byCode.get(made[0]).reverseReturnPackStatus, "Created");
    assert.equal(byCode.get(made[0]).used, true);
    assert.match(byCode.get(made[0]).reverseReturnPackCode, /^\d{24}$/);
    assert.equal(byCode.get(made[1]).reverseReturnPackStatus, "InTransit");
    assert.equal(byCode.get(made[2]).used, false);

    const defaults = [];
    for await (const record of client.reportRecords()) defaults.push(record.code);
    assert.equal(defaults.length, 5, "default page limit 1000: one short page");
    const fromOffset = [];
    for await (const record of client.reportRecords({ paging: { limit: 2, offset: 3 } })) fromOffset.push(record.code);
    assert.equal(fromOffset.length, 2, "starting at offset 3 of 5");
  });

  test("an InPost <error> is kind api with its key and status", async () => {
    const error = await rejects(client.invalidateCode("0000000000"), { kind: "api" });
    assert.equal(typeof error.key, "string");
    assert.ok(error.key.length > 0);
    assert.equal(typeof error.status, "number");
  });

  test("wrong password: api error, and neither credential in it", async () => {
    const wrong = new QuickReturnsClient({ ...sandbox.config, password: "not-the-password" });
    const error = await rejects(wrong.generateInactiveCodes(1), { kind: "api" });
    assert.ok(!error.message.includes("not-the-password"));
  });

  test("invalid input is refused before anything is sent", async () => {
    await rejects(client.generateActiveCode({ ...returnInput("X"), senderPhone: "12-34" }), { kind: "invalid_input", field: "senderPhone" });
    await rejects(client.generateInactiveCodes(0), { kind: "invalid_input", field: "numberOfCodes" });
  });

  test("the client never shows its credentials", () => {
    for (const text of [inspect(client, { showHidden: true, depth: 5 }), JSON.stringify(client), String(client)]) assertNoCredentials(text);
  });
});

describe("when the network fails", () => {
  test("a 502/503 HTML page is unexpected_response with the status; a dropped connection is transport", async () => {
    const failing = await startSandbox(["--fail-rate", "1"]);
    try {
      const client = new QuickReturnsClient({ ...failing.config, maxRetries: 0 });
      const seen = new Set();
      for (let i = 0; i < 12 && seen.size < 2; i += 1) {
        try {
          await client.getReport();
          assert.fail("a sandbox with --fail-rate 1 answered normally");
        } catch (error) {
          assert.ok(error instanceof QuickReturnsError, String(error));
          assertNoCredentials(error.message);
          if (error.kind === "unexpected_response") {
            assert.ok([502, 503].includes(error.status), `status ${error.status}`);
            seen.add("unexpected_response");
          } else {
            assert.equal(error.kind, "transport", error.message);
            seen.add("transport");
          }
        }
      }
      assert.ok(seen.has("unexpected_response"), `saw ${[...seen]}`);
    } finally {
      await failing.stop();
    }
  });

  test("a 502 from a proxy is unexpected_response with status 502", async () => {
    const proxy = createServer((req, res) => {
      req.resume();
      res.writeHead(502, { "Content-Type": "text/html" }).end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const client = new QuickReturnsClient({ baseUrl: `http://127.0.0.1:${proxy.address().port}/`, email: EMAIL, password: PASSWORD });
      await rejects(client.getReport(), { kind: "unexpected_response", status: 502 });
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  test("a slow answer times out as transport, within about timeoutMs", async () => {
    const slow = await startSandbox(["--delay-ms", "3000"]);
    try {
      const client = new QuickReturnsClient({ ...slow.config, timeoutMs: 300 });
      const started = Date.now();
      const error = await rejects(client.generateInactiveCodes(1), { kind: "transport" });
      const took = Date.now() - started;
      assert.match(error.message, /timed out after 300 ms/);
      assert.ok(took >= 250 && took < 2500, `took ${took} ms`);
    } finally {
      await slow.stop();
    }
  });

  test("connection refused is transport, without credentials", async () => {
    const port = await closedPort();
    const client = new QuickReturnsClient({ baseUrl: `http://127.0.0.1:${port}/`, email: EMAIL, password: PASSWORD });
    const error = await rejects(client.getReport(), { kind: "transport" });
    assert.match(error.message, /ECONNREFUSED|refused/i);
  });

  test("a redirect is not followed (it would re-send the credentials)", async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits += 1;
      req.resume();
      res.writeHead(307, { Location: "http://127.0.0.1:1/elsewhere" }).end();
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = new QuickReturnsClient({ baseUrl: `http://127.0.0.1:${server.address().port}/`, email: EMAIL, password: PASSWORD });
      await rejects(client.getReport(), { kind: "unexpected_response", status: 307 });
      assert.equal(hits, 1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("answers that echo the login (a proxy's page, InPost's text) are redacted", async () => {
    const echo = (status, template) =>
      new QuickReturnsClient({
        environment: "production",
        email: EMAIL,
        password: PASSWORD,
        fetch: async (url, init) => new Response(template.replace("{request}", init.body), { status }),
      });
    const proxy = await rejects(echo(502, "<html><body>Bad Gateway for {request}</body></html>").getReport(), {
      kind: "unexpected_response",
      status: 502,
    });
    assert.match(proxy.message, /Bad Gateway/);
    const escaped = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    const inpost = await rejects(
      echo(200, `<paczkomaty><error key="Inactive">Konto ${escaped(EMAIL)} (hasło ${escaped(PASSWORD)}) nieaktywne</error></paczkomaty>`).getReport(),
      { kind: "api", key: "Inactive" },
    );
    assert.match(inpost.message, /Konto \[redacted\] \(hasło \[redacted\]\) nieaktywne/, "one placeholder on every face");
  });

  test("client options: fetch and timeoutMs stay in the client; a given fetch is used", async () => {
    const sent = [];
    const body = '<?xml version="1.0" encoding="UTF-8"?><paczkomaty><valid>false</valid></paczkomaty>';
    const client = new QuickReturnsClient({
      environment: "production",
      email: EMAIL,
      password: PASSWORD,
      timeoutMs: 1000,
      fetch: async (url, init) => {
        sent.push({ url, init });
        return new Response(body, { status: 200 });
      },
    });
    assert.deepEqual(await client.invalidateCode("2991513940"), { valid: false, extra: {} });
    assert.equal(sent.length, 1);
    assert.equal(sent[0].url, "https://api.paczkomaty.pl/?do=revloginvalidatecode");
    assert.equal(sent[0].init.method, "POST");
    assert.deepEqual(sent[0].init.headers, { "Content-Type": "application/x-www-form-urlencoded" });
    assert.equal(new URLSearchParams(sent[0].init.body).get("password"), PASSWORD);
    assert.ok(sent[0].init.signal instanceof AbortSignal);
    assert.throws(() => new QuickReturnsClient({ environment: "production", email: EMAIL, password: PASSWORD, timeoutMs: -1 }), {
      name: "QuickReturnsError",
      kind: "invalid_input",
      field: "config.timeoutMs",
    });
  });
});
