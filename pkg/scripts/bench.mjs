// `make bench-node`: measures the package's two budgets (a script, not a test).
//
// 1. size: dist/inpost_quick_returns_bg.wasm gzipped must be at most 48,000 bytes; prints
//    what is in it (sections, code per crate, largest functions) from a copy optimised the same
//    way but keeping names.
// 2. speed: parseResponse on a generated 1000-record getReport answer (~600 KB, the fields the
//    API documentation lists) must be at least 12 times faster than fast-xml-parser on the
//    same data (with well-formed <item> tags instead of InPost's <0>, <1>, …).
//
// Prints the figures and exits non-zero when a budget is missed.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { XMLParser } from "fast-xml-parser";
import { WASM_FEATURES } from "./build-features.mjs";
import { report } from "./wasm-size.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { parseResponse, version } = require(join(root, "dist", "node.cjs"));
const SIZE_BUDGET = 48_000;
const SPEED_BUDGET = 12;

// ---- size ---------------------------------------------------------------------------------------
const wasmPath = join(root, "dist", "inpost_quick_returns_bg.wasm");
const wasm = readFileSync(wasmPath);
const gzipped = gzipSync(wasm, { level: 9 }).length;
console.log(`inpost-quick-returns ${version()} on Node ${process.version}`);
console.log(`\n== size: dist/inpost_quick_returns_bg.wasm ${wasm.length} bytes, ${gzipped} bytes gzipped (-9), budget ${SIZE_BUDGET}`);
const named = join(root, ".build", "named.wasm");
execFileSync(join(root, "node_modules", ".bin", "wasm-opt"), ["-Oz", "-g", ...WASM_FEATURES, join(root, ".build", "inpost_quick_returns_bg.wasm"), "-o", named]);
console.log(report(readFileSync(named), 12));

// ---- speed --------------------------------------------------------------------------------------
const STATUSES = ["Created", "Prepared", "Sent", "InTransit", "Stored", "Delivered", "ClaimProcessed"];
function record(i, tag) {
  const day = String(1 + (i % 28)).padStart(2, "0");
  const used = i % 3 !== 0;
  return (
    `<${tag}><operatorEmail>zwroty.sklep@example-shop.pl</operatorEmail>` +
    `<reverseReturnPackCode>${used ? String(670781097283000026014876n + BigInt(i)) : ""}</reverseReturnPackCode>` +
    `<code>${String(6397348744 + i * 7919).slice(0, 10)}</code><rma>ORDER-2024-${String(i).padStart(6, "0")}</rma>` +
    `<active>${i % 5 !== 0}</active><usedDate>${used ? `2024-03-${day} 10:15:00` : ""}</usedDate>` +
    `<creationDate>2024-02-${day} 09:00:00</creationDate><senderPhone>6001${String(i).padStart(5, "0")}</senderPhone>` +
    `<senderEmail>klient.${i}@example.pl</senderEmail><reverseReturnPackStatus>${STATUSES[i % STATUSES.length]}</reverseReturnPackStatus>` +
    `<statusDate>2024-03-${day} 18:30:00</statusDate><packType>${"ABC"[i % 3]}</packType>` +
    `<returnDescription1>Zamówienie:${i} — zwrot towaru, rozmiar M, kolor niebieski &amp; czarny</returnDescription1>` +
    `<used>${used}</used></${tag}>\n`
  );
}
const RECORDS = 1000;
const head = '<?xml version="1.0" encoding="UTF-8"?>\n<paczkomaty><return>\n';
const tail = "</return></paczkomaty>\n";
let inpostXml = head;
let wellFormedXml = head;
for (let i = 0; i < RECORDS; i += 1) {
  inpostXml += record(i, String(i));
  wellFormedXml += record(i, "item");
}
inpostXml += tail;
wellFormedXml += tail;
const inpostBytes = new TextEncoder().encode(inpostXml);

const fxp = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === "item" });
const ours = parseResponse("getReport", 200, inpostBytes);
const theirs = fxp.parse(wellFormedXml);
if (ours.records.length !== RECORDS || theirs.paczkomaty.return.item.length !== RECORDS) throw new Error("the parsers disagree on the record count");
if (ours.records[7].code !== String(theirs.paczkomaty.return.item[7].code)) throw new Error("the parsers disagree on a code");

/** Median time of one call in ms, over `rounds` rounds after warming up. */
function time(fn, rounds = 40) {
  for (let i = 0; i < 10; i += 1) fn();
  const samples = [];
  for (let i = 0; i < rounds; i += 1) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const results = {
  "parseResponse(Uint8Array)": time(() => parseResponse("getReport", 200, inpostBytes)),
  "parseResponse(string)": time(() => parseResponse("getReport", 200, inpostXml)),
  "fast-xml-parser(string)": time(() => fxp.parse(wellFormedXml), 20),
};
console.log(
  `\n== speed: getReport answer of ${RECORDS} records, ${inpostBytes.length} bytes (InPost's <0>…<${RECORDS - 1}>) / ${wellFormedXml.length} bytes (<item>)`,
);
for (const [name, ms] of Object.entries(results)) console.log(`  ${name.padEnd(28)} ${ms.toFixed(2).padStart(8)} ms median`);
const ratio = results["fast-xml-parser(string)"] / results["parseResponse(Uint8Array)"];
const ratioText = results["fast-xml-parser(string)"] / results["parseResponse(string)"];
console.log(`  fast-xml-parser / parseResponse: ${ratio.toFixed(1)}x (bytes), ${ratioText.toFixed(1)}x (string); budget >= ${SPEED_BUDGET}x`);

const sizeOk = gzipped <= SIZE_BUDGET;
const speedOk = Math.min(ratio, ratioText) >= SPEED_BUDGET;
console.log(`\nsize budget:  ${sizeOk ? "met" : "MISSED"} (${gzipped} B gzip of ${SIZE_BUDGET} B)`);
console.log(`speed budget: ${speedOk ? "met" : "MISSED"} (${Math.min(ratio, ratioText).toFixed(1)}x of >= ${SPEED_BUDGET}x; load ${loadavg()[0].toFixed(2)})`);
process.exitCode = sizeOk && speedOk ? 0 : 1;
