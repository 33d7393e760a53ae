// `make test-bundlers`: the packed package, installed in this folder beside the pinned tools of
// package.json, built into a tiny app by each bundler with its defaults, then run for real: the
// browser bundles in headless Chromium (Debian's), served with /sandbox/ forwarded to the local
// sandbox; the server bundles and Next.js routes under Node; Deno and Bun run the package's own
// node:test suites. Every app parses an inactive-codes answer with <0>/<1> items and calls the
// sandbox (apps/src/probe.js). Each test also prints what the app weighs (`# … bytes`).
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { startSandbox } from "../helpers/sandbox.mjs";
import { launchChromium, readResult } from "./helpers/browser.mjs";
import { serveStatic } from "./helpers/static-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const apps = join(here, "apps");
const bin = (name) => join(here, "node_modules", ".bin", name);
const execFileAsync = promisify(execFile);
const installed = join(here, "node_modules", "inpost-quick-returns");
const WASM_MAGIC_BASE64 = "AGFzbQ"; // "\0asm" in base64: the start of the inlined .wasm

let sandbox;
let browser;
let out;

before(async () => {
  assert.ok(existsSync(join(installed, "package.json")), "install the packed package first (pkg/scripts/test-bundlers.sh)");
  out = mkdtempSync(join(tmpdir(), "inpost-bundlers-"));
  sandbox = await startSandbox();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
  if (out && process.env.KEEP_BUNDLER_OUTPUT !== "1") rmSync(out, { recursive: true, force: true });
});

/** Runs a command to completion; its output is part of the failure when it fails. */
async function run(cmd, args, options = {}) {
  const started = Date.now();
  try {
    const result = await execFileAsync(cmd, args, {
      cwd: here,
      maxBuffer: 64 * 1024 * 1024,
      ...options,
      env: childEnv(options.env),
    });
    return result;
  } catch (error) {
    throw new Error(`${relative(here, cmd) || cmd} ${args.join(" ")} failed after ${Date.now() - started} ms:\n${error.stdout ?? ""}${error.stderr ?? ""}`, { cause: error });
  }
}

/** What every app must report (apps/src/probe.js). */
function assertProbe(result, where) {
  assert.equal(result.error, undefined, `${where}: ${result.error}`);
  assert.match(result.version, /^\d+\.\d+\.\d+/, where);
  assert.deepEqual(result.parsed, ["1414764219", "2687720481"], `${where}: the <0>/<1> items`);
  assert.deepEqual(result.fromSandbox, [true, true], `${where}: two codes from the sandbox`);
  assert.deepEqual(result.refused, { isQuickReturnsError: true, kind: "invalid_input", field: "senderPhone" }, where);
}

/** Sum of the files under `dir` (or one file), raw and gzip -9, for the diagnostics. */
function weigh(path) {
  const files = statSync(path).isDirectory() ? readdirSync(path, { recursive: true }).map((f) => join(path, f)).filter((f) => statSync(f).isFile()) : [path];
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip, text: `${raw} bytes, ${gzip} gzipped` };
}

/** Serves `dir`, loads it in Chromium, checks the probe; returns what the page requested. */
async function checkInBrowser(t, dir, label) {
  const server = await serveStatic(dir, sandbox.url);
  try {
    const { result, requested } = await readResult(browser.context, server.url);
    assertProbe(result, label);
    t.diagnostic(`${label}: ${weigh(dir).text} (${readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile()).join(", ")})`);
    return requested;
  } finally {
    await server.close();
  }
}

/** Puts the apps' page (apps/src/index.html, which loads ./main.js) beside a bundle. */
function withPage(dir) {
  cpSync(join(apps, "src", "index.html"), join(dir, "index.html"));
  return dir;
}

const wasmRequests = (requested) => requested.filter((path) => path.endsWith(".wasm"));

// ---- browser bundles --------------------------------------------------------------------------

test("webpack 5 (defaults, browser): the .wasm is emitted as an asset and fetched", async (t) => {
  const dir = join(out, "webpack");
  process.env.OUT_DIR = dir;
  const { default: webpack } = await import("webpack");
  const { default: config } = await import("./apps/webpack/webpack.config.mjs");
  const stats = await new Promise((resolve, reject) => {
    const compiler = webpack(config);
    compiler.run((error, result) => compiler.close(() => (error ? reject(error) : resolve(result))));
  });
  assert.ok(!stats.hasErrors() && !stats.hasWarnings(), stats.toString({ all: false, errors: true, warnings: true }));
  assert.ok(!readFileSync(join(dir, "main.js"), "utf8").includes(WASM_MAGIC_BASE64), "webpack gets the entry that fetches the .wasm");
  const requested = await checkInBrowser(t, withPage(dir), "webpack");
  assert.equal(wasmRequests(requested).length, 1, `one .wasm fetched: ${requested}`);
});

test("Vite (build): one bundle with the .wasm inside", async (t) => {
  const dir = join(out, "vite");
  await run(bin("vite"), ["build", join(apps, "vite"), "--outDir", dir, "--emptyOutDir"]);
  const requested = await checkInBrowser(t, dir, "vite build");
  assert.deepEqual(wasmRequests(requested), []);
});

test("Vite (dev server): the page works as served in development", async () => {
  const port = await freePort();
  const server = startServer(bin("vite"), [join(apps, "vite"), "--host", "127.0.0.1", "--port", String(port), "--strictPort"], { SANDBOX_URL: sandbox.url });
  try {
    const base = `http://127.0.0.1:${port}/`;
    await waitForHttp(base, server);
    const { result } = await readResult(browser.context, base, 60000);
    assertProbe(result, "vite dev");
  } finally {
    await server.stop();
  }
});

test("Rollup with node-resolve (browser)", async (t) => {
  const dir = join(out, "rollup");
  await run(bin("rollup"), ["-c", join(apps, "rollup", "rollup.config.mjs"), "--silent"], { env: { OUT_DIR: dir } });
  const requested = await checkInBrowser(t, withPage(dir), "rollup");
  assert.deepEqual(wasmRequests(requested), []);
});

test("esbuild (defaults, browser)", async (t) => {
  const dir = join(out, "esbuild-browser");
  await run(bin("esbuild"), [join(apps, "src", "browser.js"), "--bundle", `--outfile=${join(dir, "main.js")}`, "--log-level=warning"]);
  const requested = await checkInBrowser(t, withPage(dir), "esbuild");
  assert.deepEqual(wasmRequests(requested), []);
});

test("bun build (defaults, browser)", async (t) => {
  const dir = join(out, "bun-browser");
  await run(bin("bun"), ["build", join(apps, "src", "browser.js"), "--outfile", join(dir, "main.js")]);
  const requested = await checkInBrowser(t, withPage(dir), "bun build");
  assert.deepEqual(wasmRequests(requested), []);
});

// ---- server bundles and runtimes ------------------------------------------------------------------

for (const format of ["cjs", "esm"]) {
  test(`esbuild --platform=node (${format}): the server bundle works after it is moved to another folder`, async (t) => {
    const built = join(out, `esbuild-node-${format}`);
    const file = `server.${format === "esm" ? "mjs" : "cjs"}`;
    await run(bin("esbuild"), [join(apps, "src", "server.js"), "--bundle", "--platform=node", `--format=${format}`, `--outfile=${join(built, file)}`, "--log-level=warning"]);
    const moved = join(mkdtempSync(join(tmpdir(), "inpost-moved-")), "srv");
    try {
      mkdirSync(moved);
      cpSync(join(built, file), join(moved, file));
      const { stdout } = await run(process.execPath, [join(moved, file)], { cwd: moved, env: { SANDBOX_URL: sandbox.url } });
      assertProbe(JSON.parse(stdout), `esbuild node ${format}`);
      t.diagnostic(`esbuild node ${format}: ${weigh(join(moved, file)).text}`);
    } finally {
      rmSync(dirname(moved), { recursive: true, force: true });
    }
  });
}

test("workerd (npm workerd): the README's Worker and the probe, bundled as wrangler bundles", async (t) => {
  // wrangler 4 needs Node >= 22, so its bundling step is done here as wrangler does it (its
  // defaults: conditions workerd, worker, browser; `*.wasm?module` uploaded as a compiled wasm
  // module), and workerd, the runtime itself, serves the result.
  const dir = join(out, "workerd");
  cpSync(join(here, "..", "..", "..", "examples", "node", "worker.mjs"), join(apps, "workerd", "readme-worker.mjs"));
  await run(bin("esbuild"), [join(apps, "workerd", "main.js"), "--bundle", "--format=esm", "--conditions=workerd,worker,browser", "--external:*.wasm?module", `--outfile=${join(dir, "worker.js")}`, "--log-level=warning"]);
  assert.match(readFileSync(join(dir, "worker.js"), "utf8"), /^import \w+ from "\.\/inpost_quick_returns_bg\.wasm\?module";$/m);
  cpSync(join(installed, "dist", "inpost_quick_returns_bg.wasm"), join(dir, "inpost_quick_returns_bg.wasm"));
  const port = await freePort();
  const config = readFileSync(join(apps, "workerd", "config.capnp.in"), "utf8").replaceAll("@PORT@", String(port)).replaceAll("@SANDBOX_URL@", sandbox.url);
  writeFileSync(join(dir, "config.capnp"), config);
  const server = startServer(bin("workerd"), ["serve", join(dir, "config.capnp")]);
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(base, server);
    const probed = await fetch(`${base}/probe`);
    const text = await probed.text();
    assert.equal(probed.status, 200, `${text}\n${server.log()}`);
    assertProbe(JSON.parse(text), "workerd");
    const post = (order) => fetch(`${base}/returns`, { method: "POST", body: JSON.stringify(order) });
    const ok = await post({ orderId: 1042, phone: "+48 600 100 200", email: "jan.kowalski@example.pl", size: "B" });
    const code = await ok.json();
    assert.equal(ok.status, 200, JSON.stringify(code));
    assert.match(code.code, /^\d{10}$/);
    assert.equal(code.size, "B");
    const bad = await post({ orderId: 1043, phone: "600-100", email: "jan.kowalski@example.pl" });
    assert.equal(bad.status, 422);
    assert.equal((await bad.json()).field, "senderPhone");
    t.diagnostic(`workerd: worker.js ${weigh(join(dir, "worker.js")).text} + .wasm ${weigh(join(dir, "inpost_quick_returns_bg.wasm")).text}`);
  } finally {
    await server.stop();
  }
});

for (const bundler of ["turbopack", "webpack"]) {
  test(`Next.js (${bundler}): a Node route and an Edge route, next build then next start`, async (t) => {
    const app = join(apps, "next");
    rmSync(join(app, ".next"), { recursive: true, force: true });
    await run(bin("next"), ["build", ...(bundler === "webpack" ? ["--webpack"] : []), app]);
    const port = await freePort();
    const server = startServer(bin("next"), ["start", app, "-p", String(port), "-H", "127.0.0.1"], { SANDBOX_URL: sandbox.url });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(base, server);
      for (const route of ["node", "edge"]) {
        const response = await fetch(`${base}/api/${route}`);
        const text = await response.text();
        assert.equal(response.status, 200, `/api/${route}: ${text}\n${server.log()}`);
        assertProbe(JSON.parse(text), `next ${bundler} /api/${route}`);
      }
      // Which entry each route got: the Edge route's .wasm is a file of its own (edge.mjs,
      // `?module`); the Node route's bundle carries it inline (the module condition under node).
      const serverFiles = readdirSync(join(app, ".next", "server"), { recursive: true }).map((f) => join(app, ".next", "server", f));
      const wasmFiles = serverFiles.filter((f) => f.endsWith(".wasm"));
      assert.equal(wasmFiles.length, 1, `one .wasm for the Edge route: ${wasmFiles}`);
      const inlined = serverFiles.filter((f) => f.endsWith(".js") && statSync(f).isFile() && readFileSync(f, "latin1").includes(WASM_MAGIC_BASE64));
      assert.ok(inlined.length >= 1, "the Node route's bundle carries the .wasm inline");
      t.diagnostic(`next ${bundler}: Edge route .wasm ${weigh(wasmFiles[0]).text}; Node route chunk with it inline ${weigh(inlined[0]).text}`);
    } finally {
      await server.stop();
    }
  });
}

// retries.test.mjs holds the 300-call proof: no runtime's fetch may make a second return code.
const SUITES = ["build.test.mjs", "parse.test.mjs", "client.test.mjs", "retries.test.mjs"];

/** The package's own node:test suites, copied beside this folder's node_modules. */
function suiteFolder() {
  const dir = join(here, ".suite");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const name of [...SUITES, "helpers", "fixtures"]) cpSync(join(here, "..", name), join(dir, name), { recursive: true });
  cpSync(join(apps, "src", "package.json"), join(dir, "package.json"));
  return dir;
}

test("Deno (npm package deno): the package's build, parse, client and retries suites", async (t) => {
  const dir = suiteFolder();
  const { stdout } = await run(bin("deno"), ["test", "-A", "--no-check", ...SUITES], { cwd: dir });
  assert.match(stdout, /\bok \| \d+ passed \(\d+ steps\) \| 0 failed/, stdout);
  const which = await run(bin("deno"), ["eval", 'console.log(import.meta.resolve("inpost-quick-returns"))'], { cwd: dir });
  assert.match(which.stdout.trim(), /\/dist\/node\.mjs$/);
  t.diagnostic(`deno: ${/ok \| .*/.exec(stdout)[0]}`);
});

test("Bun (npm package bun): the package's build, parse, client and retries suites", async (t) => {
  const dir = suiteFolder();
  const { stdout, stderr } = await run(bin("bun"), ["test", ...SUITES.map((s) => `./${s}`)], { cwd: dir });
  const summary = stdout + stderr;
  assert.match(summary, /\n\s*\d+ pass\n\s*0 fail\n/, summary);
  const which = await run(bin("bun"), ["-e", 'console.log(import.meta.resolve("inpost-quick-returns"))'], { cwd: dir });
  assert.match(which.stdout.trim(), /\/dist\/node\.mjs$/);
  t.diagnostic(`bun: ${/(\d+) pass/.exec(summary)[0]}`);
});

// ---- helpers ------------------------------------------------------------------------------------------

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The environment for the tools: quiet, no telemetry, and no NODE_ENV of the test runner's. */
function childEnv(extra = {}) {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...extra };
  delete env.NODE_ENV;
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Starts a long-running server (its own process group) and collects its output. */
function startServer(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: here, detached: true, stdio: ["ignore", "pipe", "pipe"], env: childEnv(env) });
  let log = "";
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => (log += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    child,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGTERM");
      await exited;
    },
  };
}

async function waitForHttp(base, server, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${base}: the server exited (${server.child.exitCode}):\n${server.log()}`);
    try {
      await fetch(base, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`no answer from ${base} within ${timeoutMs} ms:\n${server.log()}`);
}
