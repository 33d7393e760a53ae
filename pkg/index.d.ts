// Types of the inpost-quick-returns package. Field names are InPost's XML element names; `extra`
// keeps every element the library has no typed field for. The shapes, checks and error kinds are
// the project's contract, docs/contract.md in its repository (facts about InPost's API:
// docs/inpost-api.md; the client's retries and paging: docs/clients.md).

// ---- config -------------------------------------------------------------------------------------

/**
 * The core's config: where and as whom to call InPost. One of `environment` or `baseUrl` is
 * required; any other member is refused (`invalid_input`, field `config.<name>`) except the
 * client's own options, which {@link buildRequest} leaves out.
 */
export interface Config {
  /** InPost's hosted environment. */
  environment?: "production" | "sandbox";
  /**
   * Overrides the environment's URL, e.g. a local sandbox `http://127.0.0.1:8787/`. Plain
   * `http://` is refused for any host that is not loopback.
   */
  baseUrl?: string;
  /** Login e-mail of the InPost parcel-manager account. Never appears in an error. */
  email: string;
  /** Password of that account. Never appears in an error. */
  password: string;
}

/** The minimal `fetch` the client needs (the global one fits). */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
    redirect: "manual";
    /**
     * Under Deno only, on calls that change something: a `Deno.HttpClient` that keeps no idle
     * connection, so that Deno's `fetch` cannot send the call twice; hand it on to Deno's `fetch`.
     */
    client?: unknown;
  },
) => Promise<{
  status: number;
  type?: string;
  /** When present, the answer is read from it and reading stops past 64 MiB. */
  body?: ReadableStream<Uint8Array> | null;
  headers?: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/**
 * One retry, report lookup or recovery, as `onRetry` and the logger get it (docs/clients.md,
 * "Retries"). Never holds credentials or the request.
 */
export interface RetryEvent {
  /** `retry`: sending again; `lookup`: asking the report whether a lost call took effect; `recovered`: it did. */
  type: "retry" | "lookup" | "recovered";
  operation: Operation;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** The wait before the next step, in milliseconds. */
  delayMs: number;
  /** The failure that caused it, credentials redacted. */
  error: { kind: ErrorKind; message: string; status?: number };
  /** One line for a human. */
  message: string;
  /** For `recovered`: the code the report shows. */
  code?: string;
}

/** A console-style logger (`console` fits): `warn` for retries and lookups, `info` for recoveries. */
export interface RetryLogger {
  warn(message: string, event: Omit<RetryEvent, "message">): void;
  info(message: string, event: Omit<RetryEvent, "message">): void;
}

/**
 * Options of {@link QuickReturnsClient}: the core's {@link Config} plus the client's own settings.
 * An object of this type also serves as `buildRequest`'s config.
 */
export interface ClientOptions extends Config {
  /** The `fetch` to use; default: the global `fetch`. */
  fetch?: FetchLike;
  /** Time limit of one attempt (request and body), whole milliseconds up to 2^31−1; default 30000. */
  timeoutMs?: number;
  /** Time limit of one method call, retries and report lookups included, whole milliseconds; default 60000. */
  deadlineMs?: number;
  /** Further attempts after the first, 0 to 20; default 2. Only where a retry cannot make a second code. */
  maxRetries?: number;
  /** First wait before a retry, doubled each time, with jitter; 0 to 30000 ms, default 250. */
  retryDelayMs?: number;
  /** Hears every retry, lookup and recovery. */
  onRetry?: (event: RetryEvent) => void;
  /** Logs every retry, lookup and recovery. */
  logger?: RetryLogger;
}

/**
 * An answer of the client's `generateActiveCode`/`activateCode`/`invalidateCode`: `recovered` is
 * true when the answer was lost and the report showed the call took effect. It is a non-enumerable
 * property, so the value still deep-equals the contract's shape.
 */
export type Recoverable<T> = T & { readonly recovered: boolean };

// ---- inputs -------------------------------------------------------------------------------------

/** Locker size: A 8 x 38 x 64 cm, B 19 x 38 x 64 cm, C 41 x 38 x 64 cm; any case is accepted. */
export type PackType = "A" | "B" | "C" | "a" | "b" | "c";

/**
 * Where the returned parcel is delivered; when absent, the address stored in the merchant's
 * parcel-manager account is used. Element names other than `companyName` and `name` are
 * provisional (InPost documents them only in prose).
 */
export interface Address {
  companyName?: string;
  /** First name or company name. */
  name: string;
  /** Last name or company name. */
  surname: string;
  email?: string;
  /** Normalised like `senderPhone`. */
  phone?: string;
  street: string;
  buildingNumber: string;
  flatNumber: string;
  /** Polish format `NN-NNN`. */
  postCode: string;
  city: string;
  province?: string;
}

/** Input of `generateActiveCode` (scenario 1). */
export interface GenerateActiveCodeInput {
  /** The merchant's unique reference, e.g. the order number. */
  rma: string;
  packType: PackType;
  /** Last moment the code can be used, `yyyy-mm-ddThh:mm:ss`. */
  expirationDate: string;
  /** The customer's phone: 9 digits; `+48 600-100-200`, `0048600100200`, `600 100 200` are normalised. */
  senderPhone: string;
  senderEmail: string;
  /** Extra text on the label, e.g. `Zamówienie:312`. */
  returnDescription1?: string;
  address?: Address;
}

/** Input of `activateCode` (scenario 2). */
export interface ActivateCodeInput {
  /** The inactive code, e.g. `2991513940`. */
  code: string;
  rma?: string;
  packType: PackType;
  expirationDate: string;
  senderPhone: string;
  senderEmail: string;
  returnDescription1?: string;
  address?: Address;
}

/** Input of `generateInactiveCodes`. */
export interface GenerateInactiveCodesInput {
  /** At least 1. */
  numberOfCodes: number;
}

/** Input of `invalidateCode`. */
export interface InvalidateCodeInput {
  code: string;
}

/** Input of `getReport`; every filter is optional. Records are selected by creation date. */
export interface ReportQuery {
  used?: boolean;
  active?: boolean;
  /** 24-character shipment number. */
  packCode?: string;
  code?: string;
  rma?: string;
  /** Creation-date range, `yyyy-mm-dd`. */
  dateRange?: { startDate?: string; endDate?: string };
  /** `limit` 1 to 1000; `offset` 0-based. */
  paging?: { limit?: number; offset?: number };
}

// ---- outputs ------------------------------------------------------------------------------------

/** Elements the library has no typed field for, by name, in document order (repeats get `#2`…). */
export type Extra = Record<string, string | null>;

/**
 * The answer of `generateActiveCode`. Absent or empty elements are `null`, except `code`: an
 * answer without one is an `unexpected_response` error.
 */
export interface ReturnCode {
  code: string;
  active: boolean | null;
  /** Exactly as InPost sent it. */
  expirationDate: string | null;
  packType: string | null;
  uuid: string | null;
  labelAttached: boolean | null;
  extra: Extra;
}

/** The answer of `activateCode`: InPost does not document it, so even `code` may be `null`. */
export interface ActivatedCode extends Omit<ReturnCode, "code"> {
  code: string | null;
}

/** One code of a `generateInactiveCodes` answer; an item without `code` is an `unexpected_response`. */
export interface InactiveCode {
  code: string;
  active: boolean | null;
  uuid: string | null;
  labelAttached: boolean | null;
  extra: Extra;
}

/** The answer of `generateInactiveCodes`. */
export interface InactiveCodes {
  codes: InactiveCode[];
}

/**
 * The answer of `invalidateCode`: `valid` is `false` once the code is disabled (an answer without
 * `<valid>` is an `unexpected_response`).
 */
export interface Invalidation {
  valid: boolean;
  extra: Extra;
}

/** One record of `getReport`. Dates and other unconfirmed fields are in `extra`. */
export interface ReportRecord {
  operatorEmail: string | null;
  reverseReturnPackCode: string | null;
  /** The shipment status exactly as sent (e.g. `Created`, `InTransit`, `Delivered`). */
  reverseReturnPackStatus: string | null;
  code: string | null;
  rma: string | null;
  active: boolean | null;
  used: boolean | null;
  senderPhone: string | null;
  senderEmail: string | null;
  returnDescription1: string | null;
  extra: Extra;
}

/** The answer of `getReport`: one page. */
export interface Report {
  records: ReportRecord[];
}

/** Every operation with its input and parsed value. */
export interface Operations {
  generateActiveCode: { input: GenerateActiveCodeInput; value: ReturnCode };
  generateInactiveCodes: { input: GenerateInactiveCodesInput; value: InactiveCodes };
  activateCode: { input: ActivateCodeInput; value: ActivatedCode };
  invalidateCode: { input: InvalidateCodeInput; value: Invalidation };
  getReport: { input: ReportQuery; value: Report };
}

export type Operation = keyof Operations;

/** The HTTP request to send, exactly. */
export interface HttpRequest {
  method: "POST";
  /** e.g. `https://api.paczkomaty.pl/?do=revloggenerateactivecode` */
  url: string;
  headers: { "Content-Type": "application/x-www-form-urlencoded" };
  /** `email=…&password=…&content=…`: holds the credentials; never log it. */
  body: string;
}

// ---- errors -------------------------------------------------------------------------------------

/**
 * - `invalid_input`: an input or config value is missing or can never be valid (`field` names it)
 * - `api`: InPost answered with `<error>` (`key` when it sent one, `status`)
 * - `unexpected_response`: the body is not XML, is truncated or lacks what is needed (`status`)
 * - `usage`: unknown operation, input that is not an object, a body that is neither text nor bytes
 * - `transport`: the client could not get an answer (connection refused, TLS, timeout)
 */
export type ErrorKind = "invalid_input" | "api" | "unexpected_response" | "usage" | "transport";

/** Every failure of this package. Messages never contain the e-mail or the password. */
export class QuickReturnsError extends Error {
  constructor(kind: ErrorKind, message: string, details?: { field?: string; key?: string; status?: number; mayHaveSucceeded?: boolean });
  readonly name: "QuickReturnsError";
  readonly kind: ErrorKind;
  /** For `invalid_input`: the path of the value, e.g. `senderPhone`, `address.postCode`, `config.password`. */
  readonly field: string | undefined;
  /** For `api`: InPost's error key, e.g. `NoPackageFound`, when it sent one. */
  readonly key: string | undefined;
  /** For `api` and `unexpected_response`: the HTTP status of the answer. */
  readonly status: number | undefined;
  /**
   * The request may have reached InPost and been carried out although no answer came back, and
   * the client could not tell from the report: do not simply call again (see the message).
   */
  readonly mayHaveSucceeded: boolean;
}

// ---- functions ----------------------------------------------------------------------------------

/**
 * Validates `input` and returns the HTTP request to send; throws `QuickReturnsError`. `config` may
 * be the client's options: `fetch`, `timeoutMs` and the other client-only members are left out.
 */
export function buildRequest<O extends Operation>(operation: O, config: Config | ClientOptions, input: Operations[O]["input"]): HttpRequest;

/** Reads InPost's answer to `operation`; throws `QuickReturnsError`. */
export function parseResponse<O extends Operation>(operation: O, status: number, body: string | Uint8Array): Operations[O]["value"];

/** The version of the Rust core inside the .wasm. */
export function version(): string;

/** A fetch-based client; credentials stay in a private field. */
export class QuickReturnsClient {
  constructor(options: ClientOptions);
  /** Scenario 1: one active return code; a lost answer is recovered from the report. */
  generateActiveCode(input: GenerateActiveCodeInput): Promise<Recoverable<ReturnCode>>;
  /** Scenario 2: a batch of inactive codes. */
  generateInactiveCodes(numberOfCodes: number): Promise<InactiveCodes>;
  /** Scenario 2: activate an inactive code. */
  activateCode(input: ActivateCodeInput): Promise<Recoverable<ActivatedCode>>;
  /** Disable an inactive, unused code. */
  invalidateCode(code: string): Promise<Recoverable<Invalidation>>;
  /** One page of the report. */
  getReport(query?: ReportQuery): Promise<Report>;
  /** Every record of the report, page by page (`paging.limit` default 1000, `offset` 0-based). */
  reportRecords(query?: ReportQuery, options?: { maxPages?: number }): AsyncGenerator<ReportRecord, void, undefined>;
}
