// The CommonJS side of the types: `require` resolves dist/index.d.cts.
import api = require("inpost-quick-returns");

const report: api.Report = api.parseResponse("getReport", 200, "");
const kind: api.ErrorKind = new api.QuickReturnsError("usage", "x").kind;
void [report, kind];
