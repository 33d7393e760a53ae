// The client's retry options and fields (docs/clients.md), compiled with `tsc --noEmit --strict`
// by types.test.mjs against the installed package's types.
import { QuickReturnsClient, QuickReturnsError, type RetryEvent, type ReturnCode } from "inpost-quick-returns";

async function retries(): Promise<void> {
  const events: RetryEvent[] = [];
  const c = new QuickReturnsClient({
    environment: "production",
    email: "e",
    password: "p",
    timeoutMs: 10000,
    deadlineMs: 60000,
    maxRetries: 2,
    retryDelayMs: 250,
    onRetry: (event) => events.push(event),
    logger: console,
  });
  const code = await c.generateActiveCode({ rma: "1", packType: "A", expirationDate: "2030-01-01T00:00:00", senderPhone: "600100200", senderEmail: "a@b.pl" });
  const recovered: boolean = code.recovered;
  const plain: ReturnCode = code;
  const gone: boolean = (await c.invalidateCode("2991513940")).recovered;
  for await (const record of c.reportRecords({}, { maxPages: 10 })) void record;
  try {
    await c.generateInactiveCodes(1);
  } catch (error) {
    if (error instanceof QuickReturnsError && error.mayHaveSucceeded) void error.message;
  }
  const first: "retry" | "lookup" | "recovered" | undefined = events[0]?.type;
  void [recovered, plain, gone, first];
}

void retries;
