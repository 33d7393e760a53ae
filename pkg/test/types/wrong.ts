// Must NOT compile: proves the types are checked (types.test.mjs expects these exact errors).
import { buildRequest, parseResponse, QuickReturnsClient } from "inpost-quick-returns";

const config = { environment: "sandbox", email: "e", password: "p" } as const;
// unknown operation
buildRequest("generateActivecode", config, {});
// numberOfCodes is a number
buildRequest("generateInactiveCodes", config, { numberOfCodes: "2" });
// a report record has no `status`
parseResponse("getReport", 200, "").records[0]?.status;
// activateCode's answer may lack the code
const code: string = parseResponse("activateCode", 200, "").code;
// the body is text or bytes
parseResponse("invalidateCode", 200, 42);
// environment is production or sandbox
new QuickReturnsClient({ environment: "staging", email: "e", password: "p" });
void code;
