// Safe retries (docs/clients.md) against real sandboxes that fail before a call (--fail-rate) and
// lose answers after it (--lose-answer-rate): whatever the network does, a return never gets a
// second code. The package as installed from its tarball.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import { QuickReturnsClient, QuickReturnsError } from "inpost-quick-returns";
import { EMAIL, PASSWORD, closedPort, startSandbox } from "./helpers/sandbox.mjs";

const PROOF_CALLS = 300;

const details = (rma) => ({
  rma,
  packType: "b",
  expirationDate: "2030-12-31T23:59:59",
  senderPhone: "+48 600 100 200",
  senderEmail: "jan.kowalski@example.pl",
  returnDescription1: `Zwrot ${rma}`,
});

/** Codes of the sandbox by rma. */
async function codesByRma(sandbox) {
  const by = new Map();
  for (const code of await sandbox.codes()) {
    if (code.rma !== null) by.set(code.rma, [...(by.get(code.rma) ?? []), code.code]);
  }
  return by;
}

/** Requests and injected faults, from the sandbox's request log. */
async function faults(sandbox) {
  const log = await sandbox.logAfterCodes();
  const count = (re) => (log.match(re) ?? []).length;
  return { requests: count(/ POST \/ do=/g), faults: count(/ (fault|lost)=/g), lost: count(/ lost=/g) };
}

/** A fetch that sends the request for real, then loses the answer `times` times (when `when`). */
function losingFetch(times, when = () => true) {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (times > 0 && when(url)) {
      times -= 1;
      await response.arrayBuffer();
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    }
    return response;
  };
}

/**
 * A stand-in for InPost on a loopback port, for what the sandbox never does: `answer(operation,
 * req, res)` answers each request (its body already read); `seen` lists the operations asked for.
 */
async function fakeInPost(answer) {
  const seen = [];
  const server = createServer((req, res) => {
    const operation = new URL(req.url, "http://localhost").searchParams.get("do");
    seen.push(operation);
    req.resume();
    req.on("end", () => answer(operation, req, res));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    seen,
    config: { baseUrl: `http://127.0.0.1:${server.address().port}/`, email: EMAIL, password: PASSWORD },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const xml = (res, body) => {
  res.writeHead(200, { "Content-Type": "text/xml; charset=utf-8" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<paczkomaty>${body}</paczkomaty>`);
};

async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof QuickReturnsError, `expected a QuickReturnsError, got ${error}`);
    return error;
  }
  assert.fail("no error");
}

describe("under lost answers and failures", () => {
  test(`${PROOF_CALLS} generateActiveCode calls never make a second code`, async (t) => {
    const sandbox = await startSandbox(["--lose-answer-rate", "0.3", "--fail-rate", "0.1", "--seed", "2026"]);
    try {
      const events = [];
      const client = new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, onRetry: (event) => events.push(event) });
      const returned = new Map();
      const errors = new Map();
      const started = Date.now();
      for (let i = 1; i <= PROOF_CALLS; i += 1) {
        const rma = `PROOF-${String(i).padStart(3, "0")}`;
        try {
          const value = await client.generateActiveCode(details(rma));
          assert.deepEqual(Object.keys(value), ["code", "active", "expirationDate", "packType", "uuid", "labelAttached", "extra"]);
          assert.match(value.code, /^\d{10}$/);
          assert.equal(value.active, true);
          assert.equal(value.packType, "B");
          assert.equal(value.expirationDate, "2030-12-31T23:59:59");
          assert.equal(typeof value.recovered, "boolean");
          returned.set(rma, value);
        } catch (error) {
          assert.ok(error instanceof QuickReturnsError, String(error));
          assert.ok(["transport", "unexpected_response"].includes(error.kind), error.message);
          errors.set(rma, error);
        }
      }
      const took = (Date.now() - started) / 1000;
      const byRma = await codesByRma(sandbox);
      for (const [rma, codes] of byRma) assert.equal(codes.length, 1, `${rma} has two codes`);
      for (const [rma, value] of returned) assert.deepEqual(byRma.get(rma), [value.code], `${rma}: the code returned is the one InPost holds`);
      let made = returned.size;
      for (const [rma, error] of errors) {
        if (!error.mayHaveSucceeded) assert.ok(!byRma.has(rma), `${rma} failed without mayHaveSucceeded, yet a code exists`);
        if (byRma.has(rma)) made += 1;
      }
      assert.equal(byRma.size, made, "no code for an rma that was not asked for");
      const recovered = [...returned.values()].filter((v) => v.recovered).length;
      const seen = await faults(sandbox);
      assert.ok(seen.lost > 50, `the sandbox lost ${seen.lost} answers`);
      assert.ok(recovered > 20, `${recovered} recovered`);
      assert.ok(returned.size > 250, `${returned.size} codes returned`);
      assert.ok(events.some((e) => e.type === "recovered"));
      t.diagnostic(
        `[${globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node"} proof] ${PROOF_CALLS} generateActiveCode calls, ${seen.requests} requests, ${seen.faults} faults injected ` +
          `(${seen.lost} answers lost after the call was carried out): ${returned.size} codes returned (${recovered} recovered from the report), ` +
          `${errors.size} typed errors (${[...errors.values()].filter((e) => e.mayHaveSucceeded).length} mayHaveSucceeded, ` +
          `${made - returned.size} of them had made a code), duplicates 0; ${took.toFixed(1)} s`,
      );
    } finally {
      await sandbox.stop();
    }
  });

  test("activateCode under lost answers activates each code once, with this call's data", async () => {
    const sandbox = await startSandbox(["--lose-answer-rate", "0.3", "--fail-rate", "0.1", "--seed", "77"]);
    try {
      const client = new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, maxRetries: 4 });
      const codes = [];
      while (codes.length < 100) {
        try {
          codes.push(...(await client.generateInactiveCodes(25)).codes.map((c) => c.code));
        } catch (error) {
          assert.ok(error instanceof QuickReturnsError);
        }
      }
      const activated = new Map();
      const failed = new Map();
      for (const [i, code] of codes.slice(0, 100).entries()) {
        try {
          const value = await client.activateCode({ ...details(`ACT-${i}`), code });
          assert.equal(value.code, code);
          assert.equal(value.active, true);
          activated.set(code, `ACT-${i}`);
        } catch (error) {
          assert.ok(error instanceof QuickReturnsError);
          assert.notEqual(error.kind, "api", `a lost activation was sent again: ${error.message}`);
          failed.set(code, error);
        }
      }
      const state = new Map((await sandbox.codes()).map((c) => [c.code, c]));
      for (const [code, rma] of activated) {
        assert.equal(state.get(code).active, true, code);
        assert.equal(state.get(code).rma, rma);
      }
      for (const [code, error] of failed) if (!error.mayHaveSucceeded) assert.equal(state.get(code).active, false, code);
      assert.ok(activated.size > 90, `${activated.size} activated`);
    } finally {
      await sandbox.stop();
    }
  });

  test("invalidateCode under lost answers is decided from the report", async () => {
    const sandbox = await startSandbox(["--lose-answer-rate", "0.3", "--fail-rate", "0.1", "--seed", "5"]);
    try {
      const client = new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, maxRetries: 4 });
      const codes = [];
      while (codes.length < 60) {
        try {
          codes.push(...(await client.generateInactiveCodes(20)).codes.map((c) => c.code));
        } catch {
          // The batch may or may not exist; only codes we hold are used below.
        }
      }
      const results = new Map();
      for (const code of codes.slice(0, 60)) {
        try {
          assert.equal((await client.invalidateCode(code)).valid, false);
          results.set(code, true);
        } catch (error) {
          assert.ok(error instanceof QuickReturnsError && error.kind !== "api", String(error));
          results.set(code, error);
        }
      }
      const state = new Map((await sandbox.codes()).map((c) => [c.code, c]));
      for (const [code, result] of results) {
        if (result === true) assert.equal(state.get(code).invalidated, true, code);
        else if (!result.mayHaveSucceeded) assert.equal(state.get(code).invalidated, false, code);
      }
      assert.ok([...results.values()].filter((r) => r === true).length > 55);
    } finally {
      await sandbox.stop();
    }
  });

  test("the report walk survives faults and returns every record once", async () => {
    const sandbox = await startSandbox(["--lose-answer-rate", "0.3", "--fail-rate", "0.1", "--seed", "31"]);
    try {
      const client = new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, maxRetries: 8 });
      for (let i = 0; i < 23; i += 1) await client.generateActiveCode(details(`WALK-${i}`)).catch(() => {});
      const expected = (await sandbox.codes()).filter((c) => c.active).map((c) => c.code);
      assert.ok(expected.length > 15);
      for (let run = 0; run < 5; run += 1) {
        const walked = [];
        for await (const record of client.reportRecords({ paging: { limit: 4 } })) walked.push(record.code);
        assert.deepEqual(walked, expected, "every record exactly once, in order");
      }
    } finally {
      await sandbox.stop();
    }
  });
});

describe("what each operation does with a lost answer", () => {
  test("generateInactiveCodes is not retried once it may have reached InPost: mayHaveSucceeded", async () => {
    const sandbox = await startSandbox(["--lose-answer-rate", "1", "--seed", "1"]);
    const down = await startSandbox(["--fail-rate", "1", "--seed", "1"]);
    try {
      const events = [];
      const client = new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, onRetry: (e) => events.push(e) });
      const error = await failure(client.generateInactiveCodes(3));
      assert.equal(error.mayHaveSucceeded, true);
      assert.match(error.message, /may have succeeded/);
      assert.match(error.message, /getReport\(\{ active: false/);
      assert.deepEqual(events, [], "no retry");
      assert.equal((await sandbox.codes()).length, 3, "one request, three codes, none made twice");

      const before = await failure(new QuickReturnsClient({ ...down.config, retryDelayMs: 1 }).generateInactiveCodes(1));
      assert.equal(before.mayHaveSucceeded, true, "a 502 or a drop cannot be told from a lost answer");
      assert.deepEqual(await down.codes(), []);
    } finally {
      await sandbox.stop();
      await down.stop();
    }
  });

  test("a lost generateActiveCode answer is recovered in the same shape as a fresh one", async () => {
    const sandbox = await startSandbox(["--seed", "8"]);
    try {
      const events = [];
      const fresh = await new QuickReturnsClient(sandbox.config).generateActiveCode(details("SHAPE-1"));
      const client = new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, fetch: losingFetch(1), onRetry: (e) => events.push(e) });
      const recovered = await client.generateActiveCode(details("SHAPE-2"));
      assert.deepEqual(Object.keys(recovered), Object.keys(fresh));
      assert.equal(fresh.recovered, false);
      assert.equal(recovered.recovered, true);
      assert.equal(recovered.packType, "B");
      assert.equal(recovered.expirationDate, "2030-12-31T23:59:59");
      assert.equal(recovered.active, true);
      assert.deepEqual((await codesByRma(sandbox)).get("SHAPE-2"), [recovered.code]);
      assert.deepEqual(
        events.map((e) => e.type),
        ["lookup", "recovered"],
      );
      assert.equal(events[1].code, recovered.code);
      assert.equal(events[1].operation, "generateActiveCode");
    } finally {
      await sandbox.stop();
    }
  });

  test("an older code with other data is not taken for this call's code; a 502 before the call is sent again once", async () => {
    const sandbox = await startSandbox(["--seed", "9"]);
    try {
      const old = await new QuickReturnsClient(sandbox.config).generateActiveCode({ ...details("SAME-RMA"), senderPhone: "511222333" });
      const client = new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, fetch: losingFetch(1) });
      const fresh = await client.generateActiveCode(details("SAME-RMA"));
      assert.equal(fresh.recovered, true);
      assert.notEqual(fresh.code, old.code);
      assert.equal((await codesByRma(sandbox)).get("SAME-RMA").length, 2);

      let calls = 0;
      const flaky = async (url, init) => {
        calls += 1;
        return calls === 1 ? new Response("<html>502 Bad Gateway</html>", { status: 502 }) : fetch(url, init);
      };
      const value = await new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, fetch: flaky }).generateActiveCode(details("AFTER-502"));
      assert.equal(value.recovered, false);
      assert.equal(calls, 3, "the 502, the report lookup, the second attempt");
      assert.deepEqual((await codesByRma(sandbox)).get("AFTER-502"), [value.code]);
    } finally {
      await sandbox.stop();
    }
  });

  test("a report record without a code is never taken for the call's code", async () => {
    // The sandbox always lists a code; InPost's report might not (its fields are all optional).
    // Such a record matches the call's rma and data, yet cannot be the code the call made.
    const codeless = (i, code) =>
      `<${i}>${code}<rma>NO-CODE</rma><active>true</active><used>false</used><senderPhone>600100200</senderPhone>` +
      `<senderEmail>jan.kowalski@example.pl</senderEmail><returnDescription1>Zwrot NO-CODE</returnDescription1></${i}>`;
    let generated = 0;
    const inpost = await fakeInPost((operation, req, res) => {
      if (operation === "revloggetreport") return xml(res, `<return>${codeless(0, "<code/>")}${codeless(1, "")}${codeless(2, "<code> </code>")}</return>`);
      generated += 1;
      if (generated === 1) return req.socket.destroy(); // the first answer is lost
      xml(res, "<return><code>5550001111</code><active>true</active></return>");
    });
    try {
      const events = [];
      const value = await new QuickReturnsClient({ ...inpost.config, retryDelayMs: 1, onRetry: (e) => events.push(e) }).generateActiveCode(details("NO-CODE"));
      assert.equal(value.code, "5550001111");
      assert.equal(value.recovered, false, "answered by the second attempt, not from a record without a code");
      assert.deepEqual(inpost.seen, ["revloggenerateactivecode", "revloggetreport", "revloggenerateactivecode"]);
      assert.deepEqual(
        events.map((e) => e.type),
        ["lookup", "retry"],
      );

      generated = 0;
      const error = await failure(new QuickReturnsClient({ ...inpost.config, retryDelayMs: 1, maxRetries: 0 }).generateActiveCode(details("NO-CODE")));
      assert.equal(error.kind, "transport");
      assert.equal(error.mayHaveSucceeded, false);
      assert.match(error.message, /The report shows the call did not take effect; no retries left/);
    } finally {
      await inpost.stop();
    }
  });

  test("a lost answer on a reused connection is not sent again by the runtime (Deno's fetch would)", async () => {
    // Deno 2.9's fetch sends a request again by itself when a reused keep-alive connection closes
    // without an answer; Node's and Bun's never do. The client sends calls that change something
    // over a connection of their own there, so each call reaches InPost once.
    let generated = 0;
    const inpost = await fakeInPost((operation, req, res) => {
      if (operation === "revloggetreport") return xml(res, "<return/>");
      generated += 1;
      if (generated === 1) return xml(res, `<return><code>555000000${generated}</code><active>true</active></return>`);
      req.socket.destroy(); // carried out, then the connection closes without an answer
    });
    try {
      const client = new QuickReturnsClient({ ...inpost.config, retryDelayMs: 1, maxRetries: 0 });
      await client.getReport(); // leaves a keep-alive connection to reuse
      assert.equal((await client.generateActiveCode(details("ONCE-1"))).code, "5550000001");
      const error = await failure(client.generateActiveCode(details("ONCE-2")));
      assert.equal(error.kind, "transport");
      assert.deepEqual(
        inpost.seen,
        ["revloggetreport", "revloggenerateactivecode", "revloggenerateactivecode", "revloggetreport"],
        "each generateActiveCode call sent once; the lost one looked up in the report",
      );
    } finally {
      await inpost.stop();
    }
  });

  test("a lost activation counts only with this call's data; a lost invalidation is read from the report", async () => {
    const sandbox = await startSandbox(["--seed", "10"]);
    try {
      const plain = new QuickReturnsClient(sandbox.config);
      const [a, b, c] = (await plain.generateInactiveCodes(3)).codes.map((x) => x.code);
      const activation = (url) => url.includes("revlogactivatecode");
      const value = await new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, fetch: losingFetch(1, activation) }).activateCode({
        ...details("ACT-A"),
        code: a,
      });
      assert.equal(value.recovered, true);
      assert.equal(value.code, a);

      await plain.activateCode({ ...details("ACT-B"), code: b, senderEmail: "someone.else@example.pl" });
      const error = await failure(
        new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, fetch: losingFetch(1, activation) }).activateCode({ ...details("ACT-B"), code: b }),
      );
      assert.equal(error.kind, "api");
      assert.equal(error.key, "CodeAlreadyActive");
      assert.equal(error.mayHaveSucceeded, false);

      const invalidation = (url) => url.includes("revloginvalidatecode");
      const invalidated = await new QuickReturnsClient({ ...sandbox.config, retryDelayMs: 1, fetch: losingFetch(1, invalidation) }).invalidateCode(c);
      assert.deepEqual(invalidated, { valid: false, extra: {} });
      assert.equal(invalidated.recovered, true);
      assert.equal((await sandbox.codes()).find((x) => x.code === c).invalidated, true);
    } finally {
      await sandbox.stop();
    }
  });
});

describe("retry timing, options and hooks", () => {
  test("failures before sending are retried for any call, with growing delays", async () => {
    const port = await closedPort();
    const events = [];
    const client = new QuickReturnsClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      email: EMAIL,
      password: PASSWORD,
      maxRetries: 3,
      retryDelayMs: 40,
      onRetry: (e) => events.push(e),
    });
    const started = Date.now();
    const error = await failure(client.generateInactiveCodes(1));
    assert.equal(error.kind, "transport");
    assert.equal(error.mayHaveSucceeded, false);
    assert.deepEqual(
      events.map((e) => e.type),
      ["retry", "retry", "retry"],
    );
    for (const [i, [min, max]] of [
      [20, 40],
      [40, 80],
      [80, 160],
    ].entries()) {
      assert.ok(events[i].delayMs >= min && events[i].delayMs <= max, `delay ${events[i].delayMs}`);
      assert.equal(events[i].attempt, i + 1);
    }
    assert.ok(Date.now() - started >= 140);
  });

  test("a refused connection and an unknown host count as not sent on every runtime", async () => {
    // Node's fetch names them with a code on `cause`, Bun's on the error, Deno's only in the message
    // ("client error (Connect)"): each is recognised, so generateActiveCode is simply sent again,
    // with no report lookup, and the error does not say it may have succeeded.
    const port = await closedPort();
    for (const baseUrl of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, "https://no-such-host.invalid/"]) {
      const events = [];
      const client = new QuickReturnsClient({ baseUrl, email: EMAIL, password: PASSWORD, maxRetries: 1, retryDelayMs: 1, onRetry: (e) => events.push(e) });
      const error = await failure(client.generateActiveCode(details("NOT-SENT")));
      assert.equal(error.kind, "transport", baseUrl);
      assert.equal(error.mayHaveSucceeded, false, `${baseUrl}: ${error.message}`);
      assert.deepEqual(
        events.map((e) => e.type),
        ["retry"],
        `${baseUrl}: sent again, no lookup (${error.message})`,
      );
      assert.match(events[0].message, /failed before the request was sent/);
    }
  });

  test("the deadline is never exceeded (--delay-ms)", async () => {
    const slow = await startSandbox(["--delay-ms", "600"]);
    try {
      const client = new QuickReturnsClient({ ...slow.config, timeoutMs: 200, deadlineMs: 1000, retryDelayMs: 50 });
      const started = Date.now();
      const error = await failure(client.generateActiveCode(details("SLOW-1")));
      const took = Date.now() - started;
      assert.ok(took < 1300, `took ${took} ms with deadlineMs 1000`);
      assert.ok(took > 800, `took ${took} ms: the time went into the report lookup`);
      assert.equal(error.kind, "transport");
      assert.equal(error.mayHaveSucceeded, true, error.message);
      assert.match(error.message, /getReport\(\{ rma: "SLOW-1" \}\)/);
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.deepEqual([...(await codesByRma(slow)).keys()], ["SLOW-1"]);
      assert.equal((await codesByRma(slow)).get("SLOW-1").length, 1, "one code, never a second");

      const cut = Date.now();
      await failure(new QuickReturnsClient({ ...slow.config, deadlineMs: 300 }).getReport());
      assert.ok(Date.now() - cut < 600, "a deadline shorter than the timeout cuts the attempt");
    } finally {
      await slow.stop();
    }
  });

  test("retry events and log lines never carry credentials", async () => {
    const email = "Sklep.Zwroty@example.pl";
    const password = "P@ss word&\"<ł>'/+";
    const sandbox = await startSandbox(["--account", `${email}:${password}`, "--lose-answer-rate", "0.5", "--fail-rate", "0.2", "--seed", "4"]);
    try {
      const events = [];
      const lines = [];
      const logger = { warn: (...args) => lines.push(["warn", ...args]), info: (...args) => lines.push(["info", ...args]) };
      const client = new QuickReturnsClient({ baseUrl: sandbox.url, email, password, retryDelayMs: 1, logger, onRetry: (e) => events.push(e) });
      const messages = [];
      for (let i = 0; i < 30; i += 1) {
        try {
          await client.generateActiveCode(details(`SECRET-${i}`));
          await client.getReport({ rma: `SECRET-${i}` });
        } catch (error) {
          messages.push(error.message, inspect(error));
        }
      }
      assert.ok(events.length > 0);
      assert.equal(lines.length, events.length);
      assert.ok(lines.some(([level]) => level === "warn"));
      const seen = `${JSON.stringify([events, lines, messages])}${inspect([events, lines], { depth: 10 })}`.toLowerCase();
      for (const secret of [password, encodeURIComponent(password), new URLSearchParams({ p: password }).toString().slice(2), "p@ss", "word&", email, encodeURIComponent(email)]) {
        assert.ok(!seen.includes(secret.toLowerCase()), `${secret} appears in an event, a log line or an error`);
      }
      for (const event of events) {
        assert.ok(["retry", "lookup", "recovered"].includes(event.type));
        assert.deepEqual(Object.keys(event).slice(0, 6), ["type", "operation", "attempt", "delayMs", "error", "message"]);
      }
    } finally {
      await sandbox.stop();
    }
  });

  test("options are checked: timeoutMs, deadlineMs, maxRetries, retryDelayMs, onRetry, logger", () => {
    const base = { environment: "production", email: EMAIL, password: PASSWORD };
    for (const [name, values] of Object.entries({
      timeoutMs: [1500.5, 5e9, 0, -1, Number.NaN, Infinity, "30000"],
      deadlineMs: [0.5, 2 ** 31, "60000"],
      maxRetries: [-1, 21, 1.5, "2"],
      retryDelayMs: [-1, 0.5, 30001, "250"],
      onRetry: ["not a function", 42],
      logger: [{}, { warn() {} }, "console", null],
    })) {
      for (const value of values) {
        let error;
        try {
          new QuickReturnsClient({ ...base, [name]: value });
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof QuickReturnsError, `${name} = ${String(value)} was accepted`);
        assert.equal(error.kind, "invalid_input");
        assert.equal(error.field, `config.${name}`);
        assert.match(error.message, new RegExp(name));
      }
    }
    for (const ok of [{ timeoutMs: 1 }, { timeoutMs: 2147483647 }, { maxRetries: 0, retryDelayMs: 0 }, { logger: console }]) {
      assert.ok(new QuickReturnsClient({ ...base, ...ok }));
    }
  });

  test("an answer past 64 MiB is refused while reading", async () => {
    let sent = 0;
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "Content-Type": "text/xml" });
      const chunk = Buffer.alloc(1 << 20, "<a>x</a>");
      const pump = () => {
        while (sent < 4096) {
          sent += 1;
          if (!res.write(chunk)) return res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => {
        sent = Infinity;
      });
      pump();
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = new QuickReturnsClient({ baseUrl: `http://127.0.0.1:${server.address().port}/`, email: EMAIL, password: PASSWORD, maxRetries: 0 });
      const started = Date.now();
      const error = await failure(client.getReport());
      assert.equal(error.kind, "unexpected_response");
      assert.equal(error.status, 200);
      assert.match(error.message, /larger than 64 MiB; stopped reading it/);
      assert.ok(Date.now() - started < 15000);
    } finally {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("every encoding of the login is redacted, in answers and in transport errors", async () => {
    const email = "Sklep Zwroty@example.pl";
    const password = "Pa55 w/o'rd&\"<ł>+";
    const html = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#039;");
    const forms = {
      raw: [password, email],
      "form +": [new URLSearchParams({ x: password }).toString().slice(2), new URLSearchParams({ x: email }).toString().slice(2)],
      "form %20": [encodeURIComponent(password), encodeURIComponent(email)],
      JSON: [JSON.stringify(password).slice(1, -1), JSON.stringify(email).slice(1, -1)],
      "JSON escaped": [JSON.stringify(password).slice(1, -1).replace(/\//g, "\\/").replace(/ł/g, "\\u0142"), email],
      XML: [html(password).replace(/&#039;/g, "&apos;"), html(email)],
      HTML: [html(password), html(email.toUpperCase())],
    };
    for (const [name, [p, e]] of Object.entries(forms)) {
      const page = `<html><body>502 Bad Gateway: upstream said login=${e} pass=${p}</body></html>`;
      const proxy = new QuickReturnsClient({ environment: "production", email, password, maxRetries: 0, fetch: async () => new Response(page, { status: 502 }) });
      const error = await failure(proxy.getReport());
      assert.match(error.message, /login=\[redacted\] pass=\[redacted\]/, name);
      const broken = new QuickReturnsClient({
        environment: "production",
        email,
        password,
        maxRetries: 0,
        fetch: async () => {
          throw new TypeError(`connection to proxy failed for ${e} / ${p}`);
        },
      });
      const transport = await failure(broken.getReport());
      assert.equal(transport.kind, "transport");
      assert.ok(transport.message.endsWith("connection to proxy failed for [redacted] / [redacted]"), `${name}: ${transport.message}`);
    }
  });
});

describe("the report walk's stop rule", () => {
  test("a server that ignores paging is stopped with an error; maxPages caps the walk", async () => {
    for (const [mode, message, expected] of [
      ["ignore-offset", /ignores paging\.offset/, ["B-1", "B-2"]],
      ["ignore-limit", /ignores paging\.limit/, []],
    ]) {
      const broken = await startSandbox(["--report-paging", mode]);
      try {
        const client = new QuickReturnsClient(broken.config);
        for (let i = 1; i <= 5; i += 1) await client.generateActiveCode(details(`B-${i}`));
        const seen = [];
        const error = await failure(
          (async () => {
            for await (const record of client.reportRecords({ paging: { limit: 2 } })) seen.push(record.rma);
          })(),
        );
        assert.equal(error.kind, "unexpected_response");
        assert.match(error.message, message);
        assert.deepEqual(seen, expected, "never a record twice");
      } finally {
        await broken.stop();
      }
    }

    const sandbox = await startSandbox();
    try {
      const client = new QuickReturnsClient(sandbox.config);
      for (let i = 1; i <= 5; i += 1) await client.generateActiveCode(details(`M-${i}`));
      const seen = [];
      const error = await failure(
        (async () => {
          for await (const record of client.reportRecords({ paging: { limit: 1 } }, { maxPages: 3 })) seen.push(record.rma);
        })(),
      );
      assert.match(error.message, /did not end within 3 pages/);
      assert.deepEqual(seen, ["M-1", "M-2", "M-3"]);
      let count = 0;
      for await (const _ of client.reportRecords({ paging: { limit: 1 } }, { maxPages: 6 })) count += 1;
      assert.equal(count, 5);

      // paging is checked by the core, which names the field as on every face.
      for (const [field, query] of [
        ["paging.limit", { paging: { limit: 0 } }],
        ["paging.offset", { paging: { limit: 2, offset: "x" } }],
        ["paging", { paging: "first" }],
      ]) {
        const bad = await failure(
          (async () => {
            for await (const _ of client.reportRecords(query));
          })(),
        );
        assert.equal(bad.kind, "invalid_input");
        assert.equal(bad.field, field);
      }
      const pages = await failure(
        (async () => {
          for await (const _ of client.reportRecords({}, { maxPages: 0 }));
        })(),
      );
      assert.equal(pages.field, "maxPages");
    } finally {
      await sandbox.stop();
    }
  });
});
