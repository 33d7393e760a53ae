// Starts the real local sandbox (`inpost-returns-sandbox`, built by `make test-node`) on a free
// loopback port and stops it again. Every client test talks HTTP to one of these.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export const EMAIL = "demo@example.com";
export const PASSWORD = "demo-password";

export async function startSandbox(args = []) {
  const bin = process.env.INPOST_SANDBOX_BIN;
  if (!bin) throw new Error("INPOST_SANDBOX_BIN is not set (run the tests with `make test-node`)");
  const child = spawn(bin, ["--listen", "127.0.0.1:0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start within 20 s; stderr: ${stderr}`)), 20000);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (${code ?? signal}) before listening; stderr: ${stderr}`));
    });
    lines.once("line", (line) => {
      clearTimeout(timer);
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
      if (match) resolve(match[1]);
      else reject(new Error(`unexpected first line from the sandbox: ${JSON.stringify(line)}`));
    });
  });
  child.stdout.resume();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    url,
    config: { baseUrl: url, email: EMAIL, password: PASSWORD },
    /** POST /_sandbox/<hook> with form fields, e.g. hook("parcel", {code, status: "Created"}). */
    async hook(name, fields = {}) {
      const response = await fetch(new URL(`_sandbox/${name}`, url), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`sandbox hook ${name} answered ${response.status}: ${text}`);
      return text;
    },
    /** GET /_sandbox/codes: every code of every account, as the sandbox holds it. */
    async codes() {
      const response = await fetch(new URL("_sandbox/codes", url));
      if (!response.ok) throw new Error(`sandbox hook codes answered ${response.status}`);
      return (await response.json()).codes;
    },
    /** The request log (stderr) once it holds the line of a GET /_sandbox/codes made now. */
    async logAfterCodes() {
      const before = stderr.split("GET /_sandbox/codes").length;
      await this.codes();
      const deadline = Date.now() + 10000;
      while (stderr.split("GET /_sandbox/codes").length <= before || !stderr.endsWith("\n")) {
        if (Date.now() > deadline) throw new Error("the sandbox did not log the codes request in time");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return stderr;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A loopback port with nothing listening on it (bound, then closed). */
export async function closedPort() {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A date-time `days` from now in InPost's `yyyy-mm-ddThh:mm:ss` form. */
export function inDays(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 19);
}
