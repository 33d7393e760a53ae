// What is in the .wasm: section sizes, and code size per crate and per function, read from a copy
// optimised like the shipped one but keeping the function names (`wasm-opt -Oz -g`). A small
// stand-in for `twiggy top` that needs nothing beyond the package's build tools.
//
//   node scripts/wasm-size.mjs <named.wasm> [top N]

import { readFileSync } from "node:fs";
import { readLeb } from "./wasm-imports.mjs";

export function analyse(bytes) {
  let pos = 8;
  const leb = () => {
    let value;
    [value, pos] = readLeb(bytes, pos);
    return value;
  };
  const name = () => {
    const len = leb();
    const text = new TextDecoder().decode(bytes.subarray(pos, pos + len));
    pos += len;
    return text;
  };
  const SECTION = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"];
  const sections = [];
  const bodies = [];
  const names = new Map();
  let importedFunctions = 0;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = leb();
    const start = pos;
    const end = pos + size;
    let label = SECTION[id] ?? `section ${id}`;
    if (id === 0) {
      label = `custom "${name()}"`;
      if (label === 'custom "name"') {
        while (pos < end) {
          const sub = bytes[pos++];
          const subSize = leb();
          const subEnd = pos + subSize;
          if (sub === 1) {
            for (let n = leb(); n > 0; n -= 1) names.set(leb(), name());
          }
          pos = subEnd;
        }
      }
    } else if (id === 2) {
      for (let n = leb(); n > 0; n -= 1) {
        name();
        name();
        const kind = bytes[pos++];
        if (kind === 0) {
          leb();
          importedFunctions += 1;
        } else if (kind === 1) {
          pos += 1;
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else if (kind === 2) {
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else if (kind === 3) {
          pos += 2;
        } else {
          leb();
          leb();
        }
      }
    } else if (id === 10) {
      for (let n = leb(), i = 0; i < n; i += 1) {
        const bodySize = leb();
        bodies.push({ index: importedFunctions + i, size: bodySize });
        pos += bodySize;
      }
    }
    sections.push({ label, size: end - start });
    pos = end;
  }
  const functions = bodies.map((b) => ({ name: names.get(b.index) ?? `func[${b.index}]`, size: b.size }));
  return { total: bytes.length, sections, functions };
}

/** The crate a (demangled) Rust function name belongs to, roughly. */
export function crateOf(fnName) {
  const path = fnName.replace(/\[[0-9a-f]{16}\]/g, "").replace(/^(?:[<&*\s]|dyn |mut |const )+/g, "");
  const match = /^([A-Za-z_][A-Za-z0-9_]*)::/.exec(path);
  if (!match) {
    if (/ shim$/.test(fnName)) return "(exports: wasm-bindgen shims with their callees inlined)";
    return /^__wbg|^__wbindgen|^__externref/.test(fnName) ? "wasm_bindgen" : "(other)";
  }
  return match[1];
}

export function report(bytes, top = 15) {
  const { total, sections, functions } = analyse(bytes);
  const lines = [];
  lines.push(`sections (${total} bytes in all):`);
  for (const s of [...sections].sort((a, b) => b.size - a.size)) lines.push(`  ${String(s.size).padStart(8)}  ${s.label}`);
  const byCrate = new Map();
  for (const f of functions) byCrate.set(crateOf(f.name), (byCrate.get(crateOf(f.name)) ?? 0) + f.size);
  const code = functions.reduce((sum, f) => sum + f.size, 0);
  lines.push(`code by crate (${code} bytes of function bodies, ${functions.length} functions):`);
  for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`  ${String(size).padStart(8)}  ${((100 * size) / code).toFixed(1).padStart(5)}%  ${crate}`);
  }
  lines.push(`largest functions:`);
  for (const f of [...functions].sort((a, b) => b.size - a.size).slice(0, top)) {
    lines.push(`  ${String(f.size).padStart(8)}  ${f.name.replace(/::h[0-9a-f]{16}$/, "").slice(0, 110)}`);
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(report(readFileSync(process.argv[2]), Number(process.argv[3] ?? 15)));
}
