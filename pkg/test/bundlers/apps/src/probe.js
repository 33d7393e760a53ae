// What every test app does with the package, whatever bundled it: parse InPost's inactive-codes
// answer (items named <0>, <1>, which DOMParser refuses) and call the local sandbox through the
// client. Returns plain data for the test to compare.
import { QuickReturnsClient, QuickReturnsError, parseResponse, version } from "inpost-quick-returns";

const INACTIVE_CODES = `<?xml version="1.0" encoding="UTF-8"?>
<paczkomaty><return>
 <0><code>1414764219</code><active>false</active><uuid>12091fa7-61c0-4ebf-abf7-0fa80c53a3a5</uuid><labelAttached>false</labelAttached></0>
 <1><code>2687720481</code><active>false</active><uuid>8bce4ad4-4249-4bcf-8f54-fb8c8b5f8e14</uuid><labelAttached>false</labelAttached></1>
</return></paczkomaty>`;

export async function probe(sandboxUrl) {
  const parsed = parseResponse("generateInactiveCodes", 200, new TextEncoder().encode(INACTIVE_CODES));
  const client = new QuickReturnsClient({ baseUrl: sandboxUrl, email: "demo@example.com", password: "demo-password" });
  const { codes } = await client.generateInactiveCodes(2);
  let refused;
  try {
    await client.generateActiveCode({ rma: "1", packType: "A", expirationDate: "2030-01-01T00:00:00", senderPhone: "12", senderEmail: "a@b.pl" });
  } catch (error) {
    refused = { isQuickReturnsError: error instanceof QuickReturnsError, kind: error.kind, field: error.field };
  }
  return {
    version: version(),
    parsed: parsed.codes.map((c) => c.code),
    fromSandbox: codes.map((c) => /^\d{10}$/.test(c.code)),
    refused,
  };
}
