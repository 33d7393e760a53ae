// Compiled with `tsc --noEmit --strict` by types.test.mjs against the installed package's types.
import {
  buildRequest,
  parseResponse,
  version,
  QuickReturnsClient,
  QuickReturnsError,
  type ActivatedCode,
  type ClientOptions,
  type Config,
  type ErrorKind,
  type GenerateActiveCodeInput,
  type HttpRequest,
  type InactiveCodes,
  type Invalidation,
  type Report,
  type ReportRecord,
  type ReturnCode,
} from "inpost-quick-returns";

const config = { environment: "sandbox", email: "shop@example.com", password: "secret" } as const;
const input: GenerateActiveCodeInput = {
  rma: "123",
  packType: "A",
  expirationDate: "2030-10-10T11:00:00",
  senderPhone: "600100200",
  senderEmail: "klient@example.pl",
  address: { name: "Jan", surname: "Kowalski", street: "Prosta", buildingNumber: "1", flatNumber: "2", postCode: "00-950", city: "Warszawa" },
};
const request: HttpRequest = buildRequest("generateActiveCode", config, input);
const method: "POST" = request.method;
const contentType: string = request.headers["Content-Type"];

const options: ClientOptions = { ...config, timeoutMs: 5000 };
const coreConfig: Config = options;
const fromOptions: HttpRequest = buildRequest("getReport", options, {});
const fromLiteral: HttpRequest = buildRequest("getReport", { ...config, timeoutMs: 5000, fetch: globalThis.fetch }, {});

const code: ReturnCode = parseResponse("generateActiveCode", 200, "<paczkomaty/>");
const alwaysCode: string = code.code;
const activatedCode: ActivatedCode = parseResponse("activateCode", 200, "<paczkomaty/>");
const maybeCode: string | null = activatedCode.code;
const extraValue: string | null | undefined = code.extra["anything"];
const codes: InactiveCodes = parseResponse("generateInactiveCodes", 200, new Uint8Array());
const firstUuid: string | null | undefined = codes.codes[0]?.uuid;
const firstCode: string | undefined = codes.codes[0]?.code;
const invalidation: Invalidation = parseResponse("invalidateCode", 200, "");
const valid: boolean = invalidation.valid;
const report: Report = parseResponse("getReport", 200, "");
const status: string | null | undefined = report.records[0]?.reverseReturnPackStatus;
const v: string = version();

async function client(): Promise<void> {
  const c = new QuickReturnsClient({ baseUrl: "http://127.0.0.1:8787/", email: "e", password: "p", timeoutMs: 5000, fetch: globalThis.fetch });
  const active: ReturnCode = await c.generateActiveCode(input);
  const batch: InactiveCodes = await c.generateInactiveCodes(2);
  const activated: ActivatedCode = await c.activateCode({ code: batch.codes[0].code, packType: "c", expirationDate: "2030-01-01T00:00:00", senderPhone: "600100200", senderEmail: "a@b.pl" });
  const gone: Invalidation = await c.invalidateCode(batch.codes[1].code);
  const page: Report = await c.getReport({ used: true, dateRange: { startDate: "2024-01-01" }, paging: { limit: 10, offset: 0 } });
  for await (const record of c.reportRecords({ paging: { limit: 2 } })) {
    const r: ReportRecord = record;
    const used: boolean | null = r.used;
    void used;
  }
  void [active, batch, activated, gone, page];
}

function handle(error: unknown): string {
  if (error instanceof QuickReturnsError) {
    const kind: ErrorKind = error.kind;
    const field: string | undefined = error.field;
    const key: string | undefined = error.key;
    const httpStatus: number | undefined = error.status;
    const asError: Error = error;
    return `${kind} ${field} ${key} ${httpStatus} ${asError.message}`;
  }
  return "other";
}

void [method, contentType, coreConfig, fromOptions, fromLiteral, alwaysCode, maybeCode, firstCode, extraValue, firstUuid, valid, status, v, client, handle];
