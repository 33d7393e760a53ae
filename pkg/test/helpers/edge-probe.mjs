// Run by edge.test.mjs in a child `node --conditions=<workerd|edge-light> --import …` (see there).
// Prints one JSON line describing what the entry did.
import * as api from "inpost-quick-returns";

const out = { entry: import.meta.resolve("inpost-quick-returns"), exports: Object.keys(api).sort(), version: api.version() };
out.parsed = api.parseResponse("invalidateCode", 200, '<?xml version="1.0" encoding="UTF-8"?><paczkomaty><valid>false</valid></paczkomaty>');
try {
  api.buildRequest("generateActiveCode", { environment: "sandbox", email: "a@b.pl", password: "pw" }, { rma: "1", packType: "A", expirationDate: "2030-01-01T00:00:00", senderPhone: "12", senderEmail: "a@b.pl" });
} catch (error) {
  out.error = { isQuickReturnsError: error instanceof api.QuickReturnsError, kind: error.kind, field: error.field };
}
if (process.env.SANDBOX_URL) {
  const client = new api.QuickReturnsClient({ baseUrl: process.env.SANDBOX_URL, email: "demo@example.com", password: "demo-password" });
  const { codes } = await client.generateInactiveCodes(2);
  out.codes = codes.length;
}
console.log(JSON.stringify(out));
