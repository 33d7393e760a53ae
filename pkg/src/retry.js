// When the client tries again, how long it waits, and who hears about it (docs/clients.md,
// "Retries"): `maxRetries` (default 2) further attempts after the first, waits of `retryDelayMs`
// (default 250) doubling each time with jitter, never past the call's deadline; every retry,
// lookup and recovery goes to the `onRetry` callback and a console-style `logger`, if given. The
// PHP client's RetryPolicy class is the same policy.

export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 250;
/** No single wait is longer, however many retries. */
export const MAX_RETRY_DELAY_MS = 30000;
export const MAX_RETRIES_LIMIT = 20;

/** A failure that cannot have reached InPost: any call may be sent again. */
export const NOT_SENT = "not_sent";
/** A failure after the request may have reached InPost and been carried out. */
export const POSSIBLY_DELIVERED = "possibly_delivered";
/** InPost answered (an `<error>`), or the input or setup is wrong: trying again cannot help. */
export const FINAL = "final";

/** Transport errors known to happen before any byte of the request is sent. */
const notSent = new WeakSet();

/** Marks a transport error as "the request never left" (connection refused, DNS, TLS handshake). */
export function markNotSent(error) {
  notSent.add(error);
  return error;
}

// How each runtime's `fetch` says that a request never left (docs/clients.md, "Retries"). Anything
// not recognised here counts as possibly delivered: a second return code is worse than a report
// lookup that was not needed.

// Error codes of failures before the request is written: Node (undici) puts them on the error's
// `cause`, Bun on the error itself.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "EAI_FAIL",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
]);

// Deno's `fetch` gives no codes: its `TypeError("fetch failed")` has a `cause` whose message names
// the step that failed. "client error (Connect)" is the connection step (TCP, DNS, TLS handshake),
// before any byte of the request is written. It proves "not sent" only when the request went over
// a connection of its own (singleUseDenoClient): on a reused connection Deno may already have sent
// the request once and be failing its own second try.
const DENO_CONNECT_FAILED = /\bclient error \(Connect\)/;

/**
 * Whether a `fetch` failure (with its `cause` chain) happened before anything was sent.
 * `singleUse`: the request went through Deno's fetch on a connection of its own.
 */
export function failedBeforeSending(error, { singleUse = false } = {}) {
  // Deno refuses a host that --allow-net does not allow before connecting.
  if (error?.name === "NotCapable") return true;
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = e.cause, depth += 1) {
    const code = typeof e.code === "string" ? e.code : "";
    if (NOT_SENT_CODES.has(code) || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_")) return true;
    if (singleUse && typeof e.message === "string" && DENO_CONNECT_FAILED.test(e.message)) return true;
  }
  return false;
}

/**
 * Under Deno, an HTTP client for one request that changes something at InPost: it keeps no idle
 * connection, so every request gets a new one. Deno's `fetch` (2.9) sends a request a second time
 * by itself when a reused keep-alive connection closes without an answer; for generateActiveCode
 * that is a second code. It never re-sends on a new connection. Null elsewhere (Node's and Bun's
 * `fetch` never re-send a POST) and where Deno offers no `createHttpClient`. Close it after use.
 */
export function singleUseDenoClient() {
  const deno = globalThis.Deno;
  if (typeof deno?.createHttpClient !== "function") return null;
  try {
    return deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  } catch {
    return null;
  }
}

/** Which kind of failure a QuickReturnsError is; see the constants. */
export function classify(error) {
  if (error.kind === "transport") return notSent.has(error) ? NOT_SENT : POSSIBLY_DELIVERED;
  if (error.kind === "unexpected_response") {
    // A proxy's 5xx page, a timeout/limit page, or a 2xx body that is not a whole answer: the
    // request may have been carried out. Other statuses (a 404 from a wrong baseUrl, a 403 from a
    // firewall) will not change by trying again.
    const status = error.status;
    if (status === undefined || status >= 500 || (status >= 200 && status < 300) || status === 408 || status === 429) {
      return POSSIBLY_DELIVERED;
    }
  }
  return FINAL;
}

/**
 * The wait before retry number `retry` (1, 2, …): retryDelayMs × 2^(retry−1), of which a random
 * half is taken off (jitter, so that many clients do not retry in step).
 */
export function delayMs(retryDelayMs, retry) {
  const full = Math.min(MAX_RETRY_DELAY_MS, retryDelayMs * 2 ** Math.min(30, retry - 1));
  return Math.round(full / 2 + (full / 2) * Math.random());
}

/** Tells the callback and the logger (`warn` for retries and lookups, `info` for recoveries). */
export function emit(onRetry, logger, event) {
  if (onRetry) onRetry(event);
  if (logger) {
    const { message, ...context } = event;
    const line = `inpost-quick-returns: ${message}`;
    if (event.type === "recovered") logger.info(line, context);
    else logger.warn(line, context);
  }
}
