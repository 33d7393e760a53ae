// Server entry of the test apps (a Node bundle, Deno, Bun): runs the probe against SANDBOX_URL and
// prints the result as one JSON line.
import { probe } from "./probe.js";

const sandboxUrl = globalThis.process?.env.SANDBOX_URL ?? globalThis.Deno?.env.get("SANDBOX_URL");
probe(sandboxUrl).then(
  (result) => console.log(JSON.stringify(result)),
  (error) => {
    console.error(error);
    globalThis.process.exitCode = 1;
  },
);
