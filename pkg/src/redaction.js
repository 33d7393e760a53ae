// Removes the account's e-mail and password from text the client shows: error messages
// (transport errors included) and retry events. The rule is docs/clients.md's "Redaction"; the PHP
// client's Redaction class applies the same one.
//
// An answer can echo a credential in whatever encoding it was carried or quoted in, so each secret
// is looked for as given; form-encoded (`+` or `%20` for spaces, upper- or lower-case hex, the
// core's, PHP's and JavaScript's sets of characters left alone); JSON-escaped (with and without
// `\/` and `\uXXXX`); XML- and HTML-escaped. Each becomes `[redacted]`. The e-mail is matched in any
// letter case.

export const PLACEHOLDER = "[redacted]";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// Characters each form encoder leaves alone besides letters and digits, with its space.
const FORM_ENCODINGS = [
  ["*-._", "+"], // the core (as browsers encode forms)
  ["-._", "+"], // PHP urlencode()
  ["-._~", "%20"], // PHP rawurlencode(), RFC 3986
  ["-._~", "+"],
  ["-._~!'()*", "%20"], // encodeURIComponent()
  ["-._~!'()*", "+"], // URLSearchParams
  ["*-._", "%20"],
];

// Entity sets for & < > " ' that XML and HTML writers use.
const MARKUP_ESCAPES = [
  ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"], // XML
  ["&amp;", "&lt;", "&gt;", "&quot;", "&#039;"], // PHP htmlspecialchars(ENT_QUOTES)
  ["&amp;", "&lt;", "&gt;", "&#34;", "&#39;"], // numeric
  ["&amp;", "&lt;", "&gt;", "&quot;", "&#x27;"], // hex
  ["&amp;", "&lt;", "&gt;", '"', "'"], // element text
];

function formEncode(value, safe, space) {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(byte);
    if (byte < 128 && (ALNUM.includes(c) || safe.includes(c))) out += c;
    else if (c === " ") out += space;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function jsonForms(value) {
  const plain = JSON.stringify(value).slice(1, -1);
  const unicode = plain.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return [plain, unicode, plain.replace(/\//g, "\\/"), unicode.replace(/\//g, "\\/")];
}

/** Every encoded form of one secret, the secret itself included. */
export function formsOf(secret) {
  const forms = [secret];
  for (const [safe, space] of FORM_ENCODINGS) {
    const encoded = formEncode(secret, safe, space);
    forms.push(encoded, encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  }
  forms.push(...jsonForms(secret));
  for (const [amp, lt, gt, quot, apos] of MARKUP_ESCAPES) {
    forms.push(secret.replace(/[&<>"']/g, (c) => ({ "&": amp, "<": lt, ">": gt, '"': quot, "'": apos })[c]));
  }
  return [...new Set(forms)].filter((f) => f.length > 0);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A function that replaces every form of `email` (any case) and `password` in a text. */
export function redactor(email, password) {
  const caseless = new Map();
  for (const [secret, ignoreCase] of [
    [password, false],
    [email, true],
  ]) {
    if (typeof secret !== "string" || secret.length === 0) continue;
    for (const form of formsOf(secret)) caseless.set(form, (caseless.get(form) ?? false) || ignoreCase);
  }
  // Longest first, so that a secret inside another is not half-redacted.
  const patterns = [...caseless.entries()]
    .sort(([a], [b]) => b.length - a.length)
    .map(([form, ignoreCase]) => new RegExp(escapeRegExp(form), ignoreCase ? "gi" : "g"));
  return (text) => {
    let out = String(text);
    for (const pattern of patterns) out = out.replace(pattern, PLACEHOLDER);
    return out;
  };
}
