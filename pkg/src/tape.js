// Builds the contract's values, and the errors, from the tape the .wasm writes each result on
// (bindings/wasm/src/tape.rs): numbers, and the text of every string decoded once and sliced.
// Several times faster than JSON.parse of the same value (README, Performance); each value is the
// same, property for property and in the same order, as the JSON envelope of the other faces.

const NULL = -1;
const NEW_KEY = -2;
const ONCE_KEY = -3;

/** The tape's kinds (tape::Kind). */
export const ERROR = 0;
const REPORT = 1;
const RETURN_CODE = 2;
const INACTIVE_CODES = 3;
const INVALIDATION = 4;
const REQUEST = 5;

const asciiDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
const wideDecoder = utf16Decoder();

/** A UTF-16LE decoder, or an equivalent where a runtime has none. */
function utf16Decoder() {
  try {
    return new TextDecoder("utf-16le", { ignoreBOM: true });
  } catch {
    return {
      decode(units) {
        const parts = [];
        for (let i = 0; i < units.length; i += 8192) parts.push(String.fromCharCode.apply(null, units.subarray(i, i + 8192)));
        return parts.join("");
      },
    };
  }
}

/**
 * The value (or, for ERROR, the error's fields) on the tape: `numbers` an Int32Array, `ascii` a
 * Uint8Array and `wide` a Uint16Array, views of wasm memory read before this returns.
 */
export function readTape(kind, numbers, ascii, wide) {
  const asciiText = ascii.length === 0 ? "" : asciiDecoder.decode(ascii);
  const wideText = wide.length === 0 ? "" : wideDecoder.decode(wide);
  let at = 0;
  let asciiAt = 0;
  let wideAt = 0;
  const text = () => {
    const n = numbers[at++];
    if (n === NULL) return null;
    const end = n >> 1;
    let value;
    if ((n & 1) === 0) {
      value = asciiText.slice(asciiAt, end);
      asciiAt = end;
    } else {
      value = wideText.slice(wideAt, end);
      wideAt = end;
    }
    return value;
  };
  const flag = () => {
    const n = numbers[at++];
    return n === NULL ? null : n === 1;
  };
  const keys = [];
  const extra = () => {
    const object = {};
    for (let entries = numbers[at++]; entries > 0; entries -= 1) {
      const id = numbers[at++];
      let key;
      if (id >= 0) {
        key = keys[id];
      } else {
        key = text();
        if (id === NEW_KEY) keys.push(key);
        else if (id !== ONCE_KEY) throw new Error(`inpost-quick-returns: the result tape is corrupt at ${at - 1}`);
      }
      // An own, enumerable property even for `__proto__`, as JSON.parse makes it.
      if (key === "__proto__") Object.defineProperty(object, key, { value: text(), writable: true, enumerable: true, configurable: true });
      else object[key] = text();
    }
    return object;
  };
  switch (kind) {
    case REPORT: {
      const records = new Array(numbers[at++]);
      for (let i = 0; i < records.length; i += 1) {
        records[i] = {
          operatorEmail: text(),
          reverseReturnPackCode: text(),
          reverseReturnPackStatus: text(),
          code: text(),
          rma: text(),
          active: flag(),
          used: flag(),
          senderPhone: text(),
          senderEmail: text(),
          returnDescription1: text(),
          extra: extra(),
        };
      }
      return { records };
    }
    case RETURN_CODE:
      return {
        code: text(),
        active: flag(),
        expirationDate: text(),
        packType: text(),
        uuid: text(),
        labelAttached: flag(),
        extra: extra(),
      };
    case INACTIVE_CODES: {
      const codes = new Array(numbers[at++]);
      for (let i = 0; i < codes.length; i += 1) {
        codes[i] = { code: text(), active: flag(), uuid: text(), labelAttached: flag(), extra: extra() };
      }
      return { codes };
    }
    case INVALIDATION:
      return { valid: flag(), extra: extra() };
    case REQUEST: {
      const method = text();
      const url = text();
      const headers = {};
      for (let count = numbers[at++]; count > 0; count -= 1) {
        const name = text();
        headers[name] = text();
      }
      return { method, url, headers, body: text() };
    }
    case ERROR: {
      const kindName = text();
      const message = text();
      const field = text() ?? undefined;
      const key = text() ?? undefined;
      const status = numbers[at++];
      return { kind: kindName, message, field, key, status: status === NULL ? undefined : status };
    }
    default:
      throw new Error(`inpost-quick-returns: unknown result kind ${kind}`);
  }
}
