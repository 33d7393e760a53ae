// Renames the module that a .wasm's imports come from (the first name of each import entry).
//
// wasm-bindgen declares every import as coming from "./<name>_bg.js", a file that only its
// `bundler` target writes. Bundlers that understand WebAssembly ESM integration (webpack with
// asyncWebAssembly, Vite 8, Turbopack) try to resolve that path when they meet the .wasm and
// fail, because the package ships no such file. The package's entries instantiate the module
// themselves (the glue passes the imports under the same name), so the name is free: build.mjs
// sets it to a short one here and in the glue.

const IMPORT_SECTION = 2;

/** An unsigned LEB128 number at `pos`: `[value, position after it]`. */
export function readLeb(bytes, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, pos];
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** Skips one import's description (after its two names); `pos` points at its kind byte. */
function skipImportDesc(bytes, pos) {
  const kind = bytes[pos++];
  const skipLimits = () => {
    const flags = bytes[pos++];
    [, pos] = readLeb(bytes, pos);
    if (flags & 1) [, pos] = readLeb(bytes, pos);
  };
  switch (kind) {
    case 0: // function: type index
      [, pos] = readLeb(bytes, pos);
      return pos;
    case 1: // table: reference type, limits
      pos += 1;
      skipLimits();
      return pos;
    case 2: // memory: limits
      skipLimits();
      return pos;
    case 3: // global: value type, mutability
      return pos + 2;
    case 4: // tag: attribute, type index
      pos += 1;
      [, pos] = readLeb(bytes, pos);
      return pos;
    default:
      throw new Error(`import of unknown kind ${kind}`);
  }
}

/**
 * Returns a copy of `bytes` whose imports from module `from` come from module `to` instead, and
 * how many were renamed.
 */
export function renameImportModule(bytes, from, to) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const toBytes = encoder.encode(to);
  const out = [...bytes.subarray(0, 8)];
  let pos = 8;
  let renamed = 0;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, start] = readLeb(bytes, pos + 1);
    const end = start + size;
    if (id !== IMPORT_SECTION) {
      for (let i = pos; i < end; i += 1) out.push(bytes[i]);
      pos = end;
      continue;
    }
    const body = [];
    let p = start;
    let count;
    [count, p] = readLeb(bytes, p);
    body.push(...leb(count));
    for (let n = 0; n < count; n += 1) {
      let len;
      [len, p] = readLeb(bytes, p);
      const module = decoder.decode(bytes.subarray(p, p + len));
      p += len;
      if (module === from) {
        body.push(...leb(toBytes.length), ...toBytes);
        renamed += 1;
      } else {
        body.push(...leb(len), ...encoder.encode(module));
      }
      const fieldStart = p;
      [len, p] = readLeb(bytes, p);
      p = skipImportDesc(bytes, p + len);
      for (let i = fieldStart; i < p; i += 1) body.push(bytes[i]);
    }
    if (p !== end) throw new Error("the import section is longer than its entries");
    out.push(IMPORT_SECTION, ...leb(body.length), ...body);
    pos = end;
  }
  return { bytes: Uint8Array.from(out), renamed };
}

/** The distinct module names the .wasm imports from. */
export function importModules(bytes) {
  return [...new Set(WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => i.module))];
}
