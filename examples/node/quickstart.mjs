// Quick Returns from Node, against the local sandbox (or any InPost-compatible base URL):
//
//   make pkg && node examples/node/quickstart.mjs         # sandbox at http://127.0.0.1:8787/
//   INPOST_BASE_URL=http://127.0.0.1:PORT/ node examples/node/quickstart.mjs
//
// 1. an active return code for an accepted return (scenario 1)
// 2. a batch of inactive codes: one activated, an unused one disabled (scenario 2)
// 3. the parcel of scenario 1 dropped at a locker and on its way (sandbox test hooks)
// 4. the report, page by page, with each code's shipment status
// 5. an answer lost on its way back, recovered from the report instead of asking twice
// 6. a bad phone number, caught and explained
//
// Exits with status 1 on anything unexpected.

// In your project this is simply:
//   import { QuickReturnsClient, QuickReturnsError } from "inpost-quick-returns";
// Run from a clone of the repository (after `make pkg`) the package is not installed, so the
// example falls back to the build in pkg/ — the same files `npm pack` ships.
const { QuickReturnsClient, QuickReturnsError } = await import("inpost-quick-returns").catch((error) => {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  return import(new URL("../../pkg/dist/node.mjs", import.meta.url).href);
});

const baseUrl = process.env.INPOST_BASE_URL ?? "http://127.0.0.1:8787/";
const options = {
  baseUrl,
  email: "demo@example.com", // the sandbox's demo account
  password: "demo-password",
  timeoutMs: 10000,
  // The client retries what is safe to retry (docs/clients.md); the shop never loops itself.
  maxRetries: 2,
  retryDelayMs: 250,
  onRetry: (event) => console.log(`  [${event.type}] ${event.message}`), // never holds the password
};
const client = new QuickReturnsClient(options);

const SIZES = { A: "8 x 38 x 64 cm", B: "19 x 38 x 64 cm", C: "41 x 38 x 64 cm" };
const inDays = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 19);

/** The sandbox's test hook that plays the customer and the courier (not part of InPost's API). */
async function moveParcel(code, status) {
  const response = await fetch(new URL("_sandbox/parcel", baseUrl), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ code, status }),
  });
  if (!response.ok) throw new Error(`sandbox hook answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function main() {
  console.log(`InPost Quick Returns at ${baseUrl}\n`);

  // 1. Scenario 1: the shop accepted the return of order 1042; InPost texts the code to the customer.
  const returned = await client.generateActiveCode({
    rma: "ORDER-1042",
    packType: "b",
    expirationDate: inDays(14),
    senderPhone: "+48 600-100-200", // normalised to 600100200
    senderEmail: "jan.kowalski@example.pl",
    returnDescription1: "Zamówienie:1042",
  });
  console.log("Scenario 1 — active return code for order ORDER-1042");
  console.log(`  code ${returned.code}, valid until ${returned.expirationDate}`);
  console.log(`  locker size ${returned.packType} (${SIZES[returned.packType] ?? "unknown size"}), active: ${returned.active}\n`);

  // 2. Scenario 2: codes printed and packed with products; one customer files a return.
  const { codes } = await client.generateInactiveCodes(3);
  console.log(`Scenario 2 — ${codes.length} inactive codes to pack with products: ${codes.map((c) => c.code).join(", ")}`);
  const activated = await client.activateCode({
    code: codes[0].code,
    packType: "A",
    expirationDate: inDays(7),
    senderPhone: "600 200 300",
    senderEmail: "anna.nowak@example.pl",
    returnDescription1: "Serial SN-2231",
  });
  console.log(`  activated ${activated.code} for a customer's return, until ${activated.expirationDate}`);
  const disabled = await client.invalidateCode(codes[1].code);
  console.log(`  disabled unused ${codes[1].code} (product never sold): still valid? ${disabled.valid}\n`);

  // 3. The customer drops the scenario 1 parcel at a locker; a courier picks it up.
  const dropped = await moveParcel(returned.code, "Created");
  await moveParcel(returned.code, "InTransit");
  console.log(`Parcel of ${returned.code}: dropped at a locker as shipment ${dropped.reverseReturnPackCode}, now in transit\n`);

  // 4. The report, two records per page to show the paging (reportRecords() does this for you).
  const limit = 2;
  const ours = new Set([returned.code, activated.code]);
  console.log(`Report of active and used codes, ${limit} per page:`);
  for (let page = 1, offset = 0; ; page += 1, offset += limit) {
    const { records } = await client.getReport({ paging: { limit, offset } });
    console.log(`  page ${page} (offset ${offset}): ${records.length > 0 ? `${records.length} record(s)` : "no more records"}`);
    for (const r of records) {
      const status = r.reverseReturnPackStatus ?? (r.used ? "used" : "not sent yet");
      console.log(`    ${r.code}  rma ${r.rma ?? "-"}  status ${status}${ours.has(r.code) ? "  <- this run" : ""}`);
    }
    if (records.length < limit) break;
  }
  let total = 0;
  for await (const _record of client.reportRecords()) total += 1;
  console.log(`  reportRecords() went through all ${total} record(s) in one loop\n`);

  // 5. A lost answer: the request reaches InPost (here the sandbox) and the code is made, but the
  // answer never comes back (here a fetch that drops it). A retry would make a second code; the
  // client looks the return up in the report instead and answers with the code it finds.
  let lost = false;
  const losingFetch = async (url, init) => {
    const response = await fetch(url, init);
    if (!lost && url.includes("revloggenerateactivecode")) {
      lost = true;
      throw new TypeError("fetch failed: connection reset (simulated)");
    }
    return response;
  };
  console.log("An answer lost on its way back:");
  const again = await new QuickReturnsClient({ ...options, fetch: losingFetch }).generateActiveCode({
    rma: "ORDER-1044",
    packType: "A",
    expirationDate: inDays(14),
    senderPhone: "600 100 200",
    senderEmail: "jan.kowalski@example.pl",
  });
  const held = (await client.getReport({ rma: "ORDER-1044" })).records.length;
  console.log(`  order ORDER-1044: code ${again.code} (recovered: ${again.recovered}); InPost holds ${held} code(s) for ORDER-1044\n`);

  // 6. A phone number InPost cannot take: refused before anything is sent.
  try {
    await client.generateActiveCode({
      rma: "ORDER-1043",
      packType: "A",
      expirationDate: inDays(14),
      senderPhone: "600-100", // seven digits
      senderEmail: "jan.kowalski@example.pl",
    });
    throw new Error("a seven-digit phone number was accepted");
  } catch (error) {
    if (!(error instanceof QuickReturnsError) || error.kind !== "invalid_input" || error.field !== "senderPhone") throw error;
    console.log("A bad phone number is caught before anything is sent:");
    console.log(`  QuickReturnsError kind=${error.kind} field=${error.field}`);
    console.log(`  ${error.message}`);
  }
}

try {
  await main();
} catch (error) {
  console.error(`\nquickstart failed: ${error instanceof QuickReturnsError ? `${error.kind}: ` : ""}${error.message}`);
  process.exitCode = 1;
}
