// The package's public API, shared by every entry (node, edge/browser). The entries differ only
// in how they hand the compiled .wasm to `initSync` before anything here is called.
//
// The wasm functions leave each result, the contract's value (docs/contract.md) or an error, as a
// tape in wasm memory, from which tape.js builds the value (faster than JSON.parse of a JSON
// envelope and than building objects through serde-wasm-bindgen: see README, Performance).

import {
  bodyBuffer,
  buildRequest as wasmBuildRequest,
  parseBody,
  version as wasmVersion,
  linearMemory,
} from "../.build/inpost_quick_returns.js";
import { advice, codeValue, findActivated, findGenerated, generatedQuery, invalidatedValue } from "./recovery.js";
import { PLACEHOLDER, redactor } from "./redaction.js";
import * as retry from "./retry.js";
import { ERROR, readTape } from "./tape.js";

/**
 * Every failure of this package; `kind` is one of the contract's error kinds. `mayHaveSucceeded`
 * is true when the request may have reached InPost and been carried out although no answer came
 * back, and the client could not find out from the report: do not simply call again (the message
 * says how to reconcile; docs/clients.md).
 */
export class QuickReturnsError extends Error {
  constructor(kind, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.field = details.field ?? undefined;
    this.key = details.key ?? undefined;
    this.status = details.status ?? undefined;
    this.mayHaveSucceeded = details.mayHaveSucceeded === true;
  }
}
Object.defineProperty(QuickReturnsError.prototype, "name", {
  value: "QuickReturnsError",
  writable: true,
  configurable: true,
  enumerable: false,
});

/** The result the wasm call left at `header` (tape.js), or the QuickReturnsError it describes. */
function result(header) {
  // Views of the memory are made after the call, which may have grown it.
  const buffer = memory().buffer;
  const [kind, numbers, count, ascii, bytes, wide, units] = new Uint32Array(buffer, header, 7);
  const value = readTape(kind, new Int32Array(buffer, numbers, count), new Uint8Array(buffer, ascii, bytes), new Uint16Array(buffer, wide, units));
  if (kind !== ERROR) return value;
  const { message, field, key, status } = value;
  throw new QuickReturnsError(value.kind, message, { field, key, status });
}

/** The .wasm's memory (the WebAssembly.Memory object stays; its buffer changes as it grows). */
let wasmMemoryObject;
const memory = () => (wasmMemoryObject ??= linearMemory());

/**
 * Validates `input` for `operation` and returns the HTTP request to send. `config` may be the
 * client's options: the client-only ones (`fetch`, `timeoutMs`, …) are left out.
 */
export function buildRequest(operation, config, input) {
  return result(wasmBuildRequest(operation, coreConfig(config), input));
}

/** `config` without QuickReturnsClient's own options (CLIENT_ONLY), copied only when it has some. */
function coreConfig(config) {
  if (config === null || typeof config !== "object" || Array.isArray(config)) return config;
  let copy;
  for (const name of CLIENT_ONLY) {
    if (Object.hasOwn(config, name)) {
      copy ??= { ...config };
      delete copy[name];
    }
  }
  return copy ?? config;
}

/** Reads InPost's answer (a string or a Uint8Array) to `operation`, received with `status`. */
export function parseResponse(operation, status, body) {
  return result(parseBody(operation, status, writeBody(body)));
}

const textEncoder = new TextEncoder();

/**
 * Writes the body into wasm memory (bodyBuffer) and returns its length in bytes; undefined when it is
 * neither a string nor a Uint8Array. A string is written as its UTF-8 encoding, as TextEncoder
 * makes it, in one pass.
 */
function writeBody(body) {
  if (typeof body === "string") {
    // Room for the longest encoding, 3 bytes a UTF-16 unit, while that stays modest.
    if (body.length > MAX_BODY_BYTES / 3) return writeBody(textEncoder.encode(body));
    const room = body.length * 3;
    const at = bodyBuffer(room);
    return textEncoder.encodeInto(body, new Uint8Array(memory().buffer, at, room)).written;
  }
  if (body instanceof Uint8Array) {
    const at = bodyBuffer(body.length);
    new Uint8Array(memory().buffer, at, body.length).set(body);
    return body.length;
  }
  return undefined;
}

/** The version of the Rust core inside the .wasm. */
export function version() {
  return wasmVersion();
}

// ---- the client ---------------------------------------------------------------------------------

const DEFAULT_TIMEOUT_MS = 30000;
const DEFAULT_DEADLINE_MS = 60000;
const DEFAULT_PAGE_LIMIT = 1000;
/** reportRecords() stops with an error after this many pages (10 million records at 1000 a page). */
const DEFAULT_MAX_PAGES = 10000;
/** The longest timer setTimeout and AbortSignal.timeout take: 2^31−1 ms (about 24.8 days). */
const MAX_TIMER_MS = 2147483647;
/** The largest answer read; the core refuses bigger ones anyway. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const CLIENT_ONLY = new Set(["fetch", "timeoutMs", "deadlineMs", "maxRetries", "retryDelayMs", "onRetry", "logger"]);
/** Operations whose effect the report shows, so that a lost answer can be recovered. */
const RECOVERABLE = new Set(["generateActiveCode", "activateCode", "invalidateCode"]);

const now = () => (globalThis.performance?.now ? globalThis.performance.now() : Date.now());
const sleep = (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

function describeCause(error) {
  if (error === null || typeof error !== "object") return String(error);
  const parts = [error.message || String(error)];
  let cause = error.cause;
  for (let depth = 0; cause && depth < 3; depth += 1, cause = cause.cause) {
    const text = cause.code && !String(cause.message).includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.join(": ");
}

/** A whole number option within bounds, or an invalid_input error naming it. */
function wholeNumber(options, name, fallback, min, max, what) {
  const value = options[name] ?? fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new QuickReturnsError("invalid_input", `${name} must be ${what} from ${min} to ${max}`, { field: `config.${name}` });
  }
  return value;
}

/** The recovered marker: a non-enumerable property, so the value keeps the contract's shape. */
function markRecovered(value, recovered) {
  Object.defineProperty(value, "recovered", { value: recovered, enumerable: false, configurable: true });
  return value;
}

function appendSentence(error, sentence) {
  error.message = `${error.message.replace(/\.$/, "")}. ${sentence}`;
  return error;
}

function markMayHaveSucceeded(error, sentence) {
  error.mayHaveSucceeded = true;
  return appendSentence(error, sentence);
}

/** Reads an answer's body up to the cap, stopping as soon as it is passed. */
async function readCapped(response, where) {
  const tooLarge = () =>
    new QuickReturnsError("unexpected_response", `${where}: the answer (HTTP ${response.status}) is larger than 64 MiB; stopped reading it`, {
      status: response.status,
    });
  const declared = Number(response.headers?.get?.("content-length"));
  const stream = response.body;
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    await stream?.cancel?.().catch(() => {});
    throw tooLarge();
  }
  if (!stream || typeof stream.getReader !== "function") {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
    return bytes;
  }
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/**
 * A small client: builds each call with the core, sends it with `fetch` (the global one or the
 * one given), parses the answer, and retries safely when the network fails (docs/clients.md). Holds
 * the credentials in a private field, so they never show in `console.log(client)`.
 */
export class QuickReturnsClient {
  #config;
  #fetch;
  /** Whether #fetch is the runtime's own fetch (no `fetch` option). */
  #ownFetch;
  #timeoutMs;
  #deadlineMs;
  #maxRetries;
  #retryDelayMs;
  #onRetry;
  #logger;
  #redact;

  constructor(options) {
    if (!isObject(options)) {
      throw new QuickReturnsError("usage", "QuickReturnsClient needs an options object: {environment | baseUrl, email, password}");
    }
    const config = {};
    for (const [name, value] of Object.entries(options)) {
      if (!CLIENT_ONLY.has(name)) config[name] = value;
    }
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") {
      throw new QuickReturnsError("usage", "no fetch: pass `fetch` in the options on runtimes without a global fetch");
    }
    this.#timeoutMs = wholeNumber(options, "timeoutMs", DEFAULT_TIMEOUT_MS, 1, MAX_TIMER_MS, "a whole number of milliseconds");
    this.#deadlineMs = wholeNumber(options, "deadlineMs", DEFAULT_DEADLINE_MS, 1, MAX_TIMER_MS, "a whole number of milliseconds");
    this.#maxRetries = wholeNumber(options, "maxRetries", retry.DEFAULT_MAX_RETRIES, 0, retry.MAX_RETRIES_LIMIT, "a whole number");
    this.#retryDelayMs = wholeNumber(
      options,
      "retryDelayMs",
      retry.DEFAULT_RETRY_DELAY_MS,
      0,
      retry.MAX_RETRY_DELAY_MS,
      "a whole number of milliseconds",
    );
    if (options.onRetry !== undefined && typeof options.onRetry !== "function") {
      throw new QuickReturnsError("invalid_input", "onRetry must be a function (event) => void", { field: "config.onRetry" });
    }
    const logger = options.logger;
    if (logger !== undefined && (logger === null || typeof logger !== "object" || typeof logger.warn !== "function" || typeof logger.info !== "function")) {
      throw new QuickReturnsError("invalid_input", "logger must have warn() and info() methods (console does)", { field: "config.logger" });
    }
    this.#config = config;
    // Without an explicit `fetch`, look the global up per call (test tools replace it).
    this.#fetch = options.fetch ? fetchImpl : (url, init) => globalThis.fetch(url, init);
    this.#ownFetch = !options.fetch;
    this.#onRetry = options.onRetry;
    this.#logger = logger;
    this.#redact = redactor(config.email, config.password);
  }

  /**
   * Scenario 1: one active return code. When the answer was lost but the report shows the code
   * this call made, that code is returned (`recovered` is true); a second code is never asked for
   * while the first may exist.
   */
  generateActiveCode(input) {
    return this.#run("generateActiveCode", input);
  }

  /**
   * Scenario 2: `numberOfCodes` inactive codes; resolves to `{codes}`. Not retried once the request
   * may have reached InPost (nothing identifies its codes): the error then has `mayHaveSucceeded`.
   */
  generateInactiveCodes(numberOfCodes) {
    return this.#run("generateInactiveCodes", { numberOfCodes });
  }

  /** Scenario 2: activate an inactive code; a lost answer counts when the report shows it done. */
  activateCode(input) {
    return this.#run("activateCode", input);
  }

  /** Disable an inactive, unused code; resolves to `{valid, extra}`. */
  invalidateCode(code) {
    return this.#run("invalidateCode", { code });
  }

  /** One page of the report: `{records}`. Retried on any network failure. */
  getReport(query = {}) {
    return this.#run("getReport", query);
  }

  /**
   * Every record of the report, page by page: `paging.limit` (default 1000) records from the
   * 0-based `paging.offset` (default 0) on, then `offset + limit`, until a page has fewer records
   * than the limit. A server that ignores paging is stopped with an `unexpected_response` error: a
   * page longer than the limit, a full page equal to the one before, or more than `maxPages` pages
   * (docs/clients.md, "Paging").
   */
  async *reportRecords(query = {}, { maxPages = DEFAULT_MAX_PAGES } = {}) {
    if (!isObject(query)) {
      throw new QuickReturnsError("usage", "the report query must be an object");
    }
    if (typeof maxPages !== "number" || !Number.isInteger(maxPages) || maxPages < 1) {
      throw new QuickReturnsError("invalid_input", "maxPages must be a whole number of at least 1", { field: "maxPages" });
    }
    yield* this.#pages(query, maxPages, undefined);
  }

  /** The report's records page by page, by the one stop rule; `paging` is the core's to check. */
  async *#pages(query, maxPages, deadline) {
    let current = query;
    if (current.paging === undefined || isObject(current.paging)) {
      const paging = { ...current.paging };
      paging.limit ??= DEFAULT_PAGE_LIMIT;
      paging.offset ??= 0;
      current = { ...current, paging };
    }
    let previous;
    for (let page = 1; ; page += 1) {
      const { records } = await this.#run("getReport", current, deadline);
      // The core accepted the paging, so limit and offset are whole numbers now.
      const { limit, offset } = current.paging;
      if (records.length > limit) {
        throw new QuickReturnsError(
          "unexpected_response",
          `the report answered ${records.length} records to paging.limit ${limit} (page ${page}, paging.offset ${offset}): ` +
            "the server ignores paging.limit; stopped reading the report",
        );
      }
      const fingerprint = JSON.stringify(records);
      if (records.length > 0 && fingerprint === previous) {
        throw new QuickReturnsError(
          "unexpected_response",
          `page ${page} of the report (paging.offset ${offset}) repeats the page before it: the server ignores paging.offset; stopped reading the report`,
        );
      }
      yield* records;
      if (records.length < limit) return;
      if (page >= maxPages) {
        throw new QuickReturnsError("unexpected_response", `the report did not end within ${maxPages} pages of ${limit} records (maxPages); stopped reading it`);
      }
      previous = fingerprint;
      current = { ...current, paging: { ...current.paging, offset: offset + limit } };
    }
  }

  /** The retry loop (docs/clients.md, "Retries"); `deadline` is shared with the call a lookup serves. */
  async #run(operation, input, deadline) {
    let request;
    try {
      request = buildRequest(operation, this.#config, input);
    } catch (error) {
      throw this.#redacted(error);
    }
    deadline ??= now() + this.#deadlineMs;
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt += 1) {
      let failure;
      try {
        const value = await this.#attempt(request, operation, deadline);
        return RECOVERABLE.has(operation) ? markRecovered(value, false) : value;
      } catch (error) {
        if (!(error instanceof QuickReturnsError)) throw error;
        failure = error;
      }
      const kind = retry.classify(failure);
      if (kind === retry.FINAL) throw failure;
      const retriesLeft = attempt <= this.#maxRetries;
      if (kind === retry.POSSIBLY_DELIVERED && operation !== "getReport") {
        if (!RECOVERABLE.has(operation)) throw markMayHaveSucceeded(failure, advice(operation, input));
        const recovered = await this.#recover(operation, input, failure, attempt, startedAt, deadline);
        if (recovered !== null) return recovered;
        if (!retriesLeft) {
          throw appendSentence(failure, `The report shows the call did not take effect; no retries left (maxRetries ${this.#maxRetries}).`);
        }
        this.#emit("retry", operation, attempt, failure, 0, `the report shows attempt ${attempt} did not take effect; sending it again`);
        continue;
      }
      if (!retriesLeft) throw failure;
      const wait = retry.delayMs(this.#retryDelayMs, attempt);
      if (now() + wait >= deadline) throw appendSentence(failure, `Not retried: the deadline of ${this.#deadlineMs} ms would pass.`);
      this.#emit(
        "retry",
        operation,
        attempt,
        failure,
        wait,
        kind === retry.NOT_SENT
          ? `attempt ${attempt} failed before the request was sent; trying again in ${wait} ms`
          : `attempt ${attempt} failed; trying again in ${wait} ms`,
      );
      await sleep(wait);
    }
  }

  /**
   * After a possibly delivered attempt of a recoverable call: waits a moment, then asks the report
   * whether the call took effect. Resolves to the answer (marked recovered) when it did, null when
   * it did not; marks `failure` "may have succeeded" and throws it when the report cannot tell.
   */
  async #recover(operation, input, failure, attempt, startedAt, deadline) {
    let wait = retry.delayMs(this.#retryDelayMs, attempt);
    if (now() + wait >= deadline) wait = 0;
    const subject = operation === "generateActiveCode" ? `rma ${input.rma}` : `code ${input.code}`;
    this.#emit(
      "lookup",
      operation,
      attempt,
      failure,
      wait,
      `attempt ${attempt} may have reached InPost; looking up ${subject} in the report${wait > 0 ? ` in ${wait} ms` : ""} before trying again`,
    );
    await sleep(wait);
    let value;
    try {
      value = await this.#lookUp(operation, input, startedAt, deadline);
    } catch (error) {
      if (!(error instanceof QuickReturnsError)) throw error;
      throw markMayHaveSucceeded(
        failure,
        `The report lookup failed too (${error.kind}: ${error.message.replace(/\.$/, "")}). ${advice(operation, input)}`,
      );
    }
    if (value !== null) {
      const code = value.code ? ` (code ${value.code})` : "";
      this.#emit("recovered", operation, attempt, failure, 0, `the report shows attempt ${attempt} took effect${code}; answering from the report`, value.code ? { code: value.code } : {});
      return markRecovered(value, true);
    }
    return null;
  }

  /** What the report says about a possibly delivered call (docs/clients.md, "Recovery"). */
  async #lookUp(operation, input, startedAt, deadline) {
    if (operation === "generateActiveCode") {
      const record = await findGenerated(this.#pages(generatedQuery(input, startedAt), DEFAULT_MAX_PAGES, deadline), input);
      return record === null ? null : codeValue(record, input);
    }
    if (operation === "activateCode") {
      const record = await findActivated(this.#pages({ code: input.code }, DEFAULT_MAX_PAGES, deadline), input);
      return record === null ? null : codeValue(record, input);
    }
    // invalidateCode: a disabled code is listed neither as inactive nor as active.
    for (const query of [{ code: input.code, active: false }, { code: input.code }]) {
      for await (const record of this.#pages(query, DEFAULT_MAX_PAGES, deadline)) {
        if (record.code === input.code) return null;
      }
    }
    return invalidatedValue();
  }

  /** One attempt: send, then parse. Every error leaves with its credentials redacted. */
  async #attempt(request, operation, deadline) {
    const left = Math.floor(deadline - now());
    if (left < 1) {
      throw retry.markNotSent(
        new QuickReturnsError("transport", `${request.method} ${request.url} not sent: the deadline of ${this.#deadlineMs} ms (deadlineMs) has passed`),
      );
    }
    const response = await this.#send(request, Math.min(this.#timeoutMs, left), operation);
    try {
      return parseResponse(operation, response.status, response.body);
    } catch (error) {
      // An answer quoted in the message (InPost's text, a proxy's page) may echo the login.
      throw this.#redacted(error);
    }
  }

  async #send(request, timeoutMs, operation) {
    const signal = AbortSignal.timeout(timeoutMs);
    const where = `${request.method} ${request.url}`;
    // A call that changes something goes over a connection of its own under Deno, whose fetch
    // would otherwise send it again by itself after a lost answer (retry.singleUseDenoClient).
    const connection = operation === "getReport" ? null : retry.singleUseDenoClient();
    try {
      const fetchImpl = this.#fetch; // called unbound: native fetch refuses a foreign `this`
      const init = {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
        // Following a redirect would re-send the credentials to wherever it points.
        redirect: "manual",
      };
      if (connection !== null) init.client = connection;
      const response = await fetchImpl(request.url, init);
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        throw new QuickReturnsError("unexpected_response", `${where} answered with a redirect (HTTP ${response.status}); not followed`, {
          status: response.status,
        });
      }
      return { status: response.status, body: await readCapped(response, where) };
    } catch (error) {
      if (error instanceof QuickReturnsError) throw this.#redacted(error);
      const timedOut = signal.aborted || error?.name === "TimeoutError" || error?.name === "AbortError";
      const message = timedOut ? `${where} timed out after ${timeoutMs} ms` : `${where} failed: ${describeCause(error)}`;
      const failure = new QuickReturnsError("transport", this.#redact(message.split(request.body).join(PLACEHOLDER)));
      // A timeout may come after the request was sent; only a refused connection, an unknown host
      // or a failed TLS handshake certainly never reached InPost. Deno's messages prove it only
      // for its own fetch on the connection made for this request.
      const singleUse = connection !== null && this.#ownFetch;
      if (!timedOut && retry.failedBeforeSending(error, { singleUse })) retry.markNotSent(failure);
      throw failure;
    } finally {
      connection?.close();
    }
  }

  #redacted(error) {
    if (error instanceof QuickReturnsError) error.message = this.#redact(error.message);
    return error;
  }

  /** Sends a retry event to the callback and the logger; never with credentials or the request. */
  #emit(type, operation, attempt, failure, delay, what, more = {}) {
    const error = { kind: failure.kind, message: this.#redact(failure.message) };
    if (failure.status !== undefined) error.status = failure.status;
    retry.emit(this.#onRetry, this.#logger, {
      type,
      operation,
      attempt,
      delayMs: delay,
      error,
      message: this.#redact(`${operation}: ${what} (${error.kind}: ${error.message})`),
      ...more,
    });
  }
}
