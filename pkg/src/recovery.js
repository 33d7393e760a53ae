// What a call that may have reached InPost left behind, read from the report. The rules are
// docs/clients.md's "Recovery"; the PHP client's Recovery class applies the same ones.
//
// InPost's report is documented to carry the code, `rma`, `active`, the sender's phone and e-mail
// and the label text, but not `packType` or `expirationDate`: those are compared only when a record
// carries them (in `extra`), so in practice a generated code is recognised by `rma`, phone, e-mail
// and label text, made since yesterday, active and not used.

const DAY_MS = 86400000;

function text(value) {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** A record's value by name: a typed field or one of `extra`, trimmed; null when absent or blank. */
function field(record, name) {
  return text(record[name] ?? record.extra?.[name] ?? null);
}

function same(a, b) {
  const left = text(a);
  return left !== null && left === text(b);
}

const digits = (phone) => String(phone).replace(/\D+/g, "");
const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Phone, e-mail, label text, size and expiry wherever the record carries them; active, unused. */
function carriesCallData(record, input) {
  if (record.active === false || record.used === true) return false;
  const phone = text(record.senderPhone);
  if (phone !== null && digits(phone) !== digits(input.senderPhone ?? "").slice(-9)) return false;
  const email = text(record.senderEmail);
  if (email !== null && email.toLowerCase() !== String(input.senderEmail ?? "").trim().toLowerCase()) return false;
  const description = text(input.returnDescription1);
  const recorded = text(record.returnDescription1);
  if (description !== null && recorded !== null && recorded !== description) return false;
  const packType = field(record, "packType");
  if (packType !== null && packType.toUpperCase() !== String(input.packType ?? "").trim().toUpperCase()) return false;
  const expires = field(record, "expirationDate");
  return expires === null || expires === String(input.expirationDate ?? "").trim();
}

/** The newest match: by `createDate` when every one carries it, else the last in report order. */
function newest(matches) {
  if (matches.length === 0) return null;
  const dates = matches.map((r) => field(r, "createDate"));
  if (dates.every((d) => d !== null)) {
    let best = 0;
    dates.forEach((d, i) => {
      if (d >= dates[best]) best = i;
    });
    return matches[best];
  }
  return matches[matches.length - 1];
}

/**
 * The report query listing the codes a `generateActiveCode` call could have made: its `rma`,
 * created from yesterday to tomorrow (UTC; the margin covers InPost's unknown time zone).
 */
export function generatedQuery(input, nowMs) {
  return { rma: String(input.rma), dateRange: { startDate: utcDay(nowMs - DAY_MS), endDate: utcDay(nowMs + DAY_MS) } };
}

/**
 * The record of the code this `generateActiveCode` call made, if the report shows one. A record
 * without a code cannot be the call's answer (which always has one), so it is passed over.
 */
export async function findGenerated(records, input) {
  const matches = [];
  for await (const record of records) {
    if (text(record.code) !== null && same(record.rma, input.rma) && carriesCallData(record, input)) matches.push(record);
  }
  return newest(matches);
}

/** The record of `input.code` if the report shows it active with this `activateCode` call's data. */
export async function findActivated(records, input) {
  const matches = [];
  const rma = text(input.rma);
  for await (const record of records) {
    if (record.code !== input.code || record.active !== true) continue;
    if (rma !== null && text(record.rma) !== null && !same(record.rma, rma)) continue;
    if (carriesCallData(record, input)) matches.push(record);
  }
  return newest(matches);
}

/**
 * The answer of a recovered `generateActiveCode` / `activateCode`: the shape of a fresh one, from
 * the record where it carries a value and from the call's input otherwise. `record` is one that
 * findGenerated or findActivated returned, so it has a code.
 */
export function codeValue(record, input) {
  const labelAttached = field(record, "labelAttached");
  return {
    code: record.code,
    active: record.active ?? true,
    expirationDate: field(record, "expirationDate") ?? String(input.expirationDate),
    packType: field(record, "packType") ?? String(input.packType).trim().toUpperCase(),
    uuid: field(record, "uuid"),
    labelAttached: labelAttached === null ? null : labelAttached === "true",
    extra: {},
  };
}

/** The answer of a recovered `invalidateCode`: InPost answers `<valid>false</valid>`. */
export function invalidatedValue() {
  return { valid: false, extra: {} };
}

/** How to find out by hand whether a call whose answer was lost took effect. */
export function advice(operation, input) {
  const quote = (value) => JSON.stringify(String(value ?? ""));
  switch (operation) {
    case "generateActiveCode":
      return (
        "The call may have succeeded: InPost may have made the code although the answer was lost. " +
        `Before asking again, look the return up in the report (getReport({ rma: ${quote(input.rma)} })), or the customer may get two codes.`
      );
    case "activateCode":
      return (
        "The call may have succeeded: InPost may have activated the code although the answer was lost. " +
        `Check it in the report (getReport({ code: ${quote(input.code)} })) before activating it again.`
      );
    case "invalidateCode":
      return (
        "The call may have succeeded: InPost may have disabled the code although the answer was lost. " +
        `The report lists a disabled code no more (getReport({ code: ${quote(input.code)}, active: false })).`
      );
    case "generateInactiveCodes":
      return (
        "The call may have succeeded: InPost may have made the codes although the answer was lost. " +
        "It is not retried, because nothing identifies its codes. Reconcile through the report: " +
        `getReport({ active: false, dateRange: { startDate: "${utcDay(Date.now())}" } }) lists today's inactive codes; ` +
        "invalidate (or use) those you do not hold."
      );
    default:
      return "The call may have succeeded although the answer was lost.";
  }
}
