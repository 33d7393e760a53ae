// The package's public API, shared by every entry (node, edge/browser). The entries differ only
// in how they hand the compiled .wasm to `initSync` before anything here is called.
//
// The wasm functions return the contract's envelope as one JSON string; `JSON.parse` turns it
// into values (faster than building objects through serde-wasm-bindgen: see README, Performance).

import {
  buildRequest as wasmBuildRequest,
  parseResponse as wasmParseResponse,
  version as wasmVersion,
} from "../.build/inpost_quick_returns.js";

/** Every failure of this package; `kind` is one of the contract's error kinds. */
export class QuickReturnsError extends Error {
  constructor(kind, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.field = details.field ?? undefined;
    this.key = details.key ?? undefined;
    this.status = details.status ?? undefined;
  }
}
Object.defineProperty(QuickReturnsError.prototype, "name", {
  value: "QuickReturnsError",
  writable: true,
  configurable: true,
  enumerable: false,
});

function unwrap(json) {
  const envelope = JSON.parse(json);
  if (envelope.ok) return envelope.value;
  const { kind, message, field, key, status } = envelope.error;
  throw new QuickReturnsError(kind, message, { field, key, status });
}

/**
 * Validates `input` for `operation` and returns the HTTP request to send. `config` may be the
 * client's options: the client-only ones (`fetch`, `timeoutMs`, …) are left out.
 */
export function buildRequest(operation, config, input) {
  return unwrap(wasmBuildRequest(operation, coreConfig(config), input));
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
  return unwrap(wasmParseResponse(operation, status, body));
}

/** The version of the Rust core inside the .wasm. */
export function version() {
  return wasmVersion();
}

// ---- the client ---------------------------------------------------------------------------------

const DEFAULT_TIMEOUT_MS = 30000;
const DEFAULT_PAGE_LIMIT = 1000;
const CLIENT_ONLY = new Set(["fetch", "timeoutMs"]);

/** Replaces every occurrence of a secret (raw and form-encoded) in `text`. */
function redact(text, secrets) {
  let out = String(text);
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), formEncode(secret)])) {
      out = out.split(form).join("***");
    }
  }
  return out;
}

function formEncode(value) {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

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

/**
 * A small client: builds each call with the core, sends it with `fetch` (the global one or the
 * one given), and parses the answer. Holds the credentials in a private field, so they never show
 * in `console.log(client)`.
 */
export class QuickReturnsClient {
  #config;
  #fetch;
  #timeoutMs;
  #secrets;

  constructor(options) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
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
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new QuickReturnsError("usage", "timeoutMs must be a positive number of milliseconds", { field: "timeoutMs" });
    }
    this.#config = config;
    // Without an explicit `fetch`, look the global up per call (test tools replace it).
    this.#fetch = options.fetch ? fetchImpl : (url, init) => globalThis.fetch(url, init);
    this.#timeoutMs = timeoutMs;
    this.#secrets = [config.email, config.password].filter((s) => typeof s === "string" && s.length > 0);
  }

  /** Scenario 1: one active return code. */
  generateActiveCode(input) {
    return this.#call("generateActiveCode", input);
  }

  /** Scenario 2: `numberOfCodes` inactive codes; resolves to `{codes}`. */
  generateInactiveCodes(numberOfCodes) {
    return this.#call("generateInactiveCodes", { numberOfCodes });
  }

  /** Scenario 2: activate an inactive code. */
  activateCode(input) {
    return this.#call("activateCode", input);
  }

  /** Disable an inactive, unused code; resolves to `{valid, extra}`. */
  invalidateCode(code) {
    return this.#call("invalidateCode", { code });
  }

  /** One page of the report: `{records}`. */
  getReport(query = {}) {
    return this.#call("getReport", query);
  }

  /**
   * Every record of the report, page by page (`paging.limit` default 1000, `paging.offset`
   * 0-based, default 0), stopping at the first page with fewer than `limit` records.
   */
  async *reportRecords(query = {}) {
    if (query === null || typeof query !== "object" || Array.isArray(query)) {
      throw new QuickReturnsError("usage", "the report query must be an object");
    }
    const limit = query.paging?.limit ?? DEFAULT_PAGE_LIMIT;
    let offset = query.paging?.offset ?? 0;
    for (;;) {
      const { records } = await this.getReport({ ...query, paging: { limit, offset } });
      yield* records;
      // A short page is the last one; a page longer than asked means the server ignored paging.
      if (records.length !== limit) return;
      offset += limit;
    }
  }

  async #call(operation, input) {
    const request = buildRequest(operation, this.#config, input);
    const response = await this.#send(request);
    try {
      return parseResponse(operation, response.status, response.body);
    } catch (error) {
      // An answer quoted in the message (InPost's text, a proxy's page) may echo the login.
      if (error instanceof QuickReturnsError) error.message = redact(error.message, this.#secrets);
      throw error;
    }
  }

  async #send(request) {
    const timeoutMs = this.#timeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    const where = `${request.method} ${request.url}`;
    try {
      const fetchImpl = this.#fetch; // called unbound: native fetch refuses a foreign `this`
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
        // Following a redirect would re-send the credentials to wherever it points.
        redirect: "manual",
      });
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        throw new QuickReturnsError(
          "unexpected_response",
          redact(`${where} answered with a redirect (HTTP ${response.status}); not followed`, this.#secrets),
          { status: response.status },
        );
      }
      const body = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, body };
    } catch (error) {
      if (error instanceof QuickReturnsError) throw error;
      const timedOut = signal.aborted || error?.name === "TimeoutError" || error?.name === "AbortError";
      const message = timedOut ? `${where} timed out after ${timeoutMs} ms` : `${where} failed: ${describeCause(error)}`;
      throw new QuickReturnsError("transport", redact(message, this.#secrets));
    }
  }
}
