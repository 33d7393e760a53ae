// Child processes of a test run: each in its own process group, logged to a file, and stopped on
// success, failure, Ctrl-C or SIGTERM (SIGTERM first, SIGKILL after a grace period).

import { spawn, execFile } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export class Processes {
  /** @param onAbort synchronous cleanup after a signal killed everything (e.g. removing the folder) */
  constructor(logDir, onAbort = () => {}) {
    this.logDir = logDir;
    this.children = [];
    const onSignal = (signal) => {
      this.killAllNow();
      onAbort();
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    this.handlers = { SIGINT: onSignal, SIGTERM: onSignal, SIGHUP: onSignal };
    for (const [signal, handler] of Object.entries(this.handlers)) process.on(signal, handler);
    this.onExit = () => this.killAllNow();
    process.on("exit", this.onExit);
  }

  /** Starts a long-running process; stdout/stderr go to <logDir>/<name>.log unless `stdout: 'pipe'`. */
  start(name, command, args, options = {}) {
    const log = `${this.logDir}/${name}.log`;
    const out = createWriteStream(log, { flags: "a" });
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...(options.env ?? {}) },
      detached: true,
      stdio: ["ignore", options.stdout === "pipe" ? "pipe" : "pipe", "pipe"],
    });
    child.stderr.pipe(out);
    if (options.stdout !== "pipe") child.stdout.pipe(out);
    const entry = { name, child, log, exited: false, code: null };
    child.on("exit", (code, signal) => {
      entry.exited = true;
      entry.code = code ?? signal;
    });
    child.on("error", (error) => {
      entry.exited = true;
      entry.code = String(error);
      out.write(`spawn error: ${error}\n`);
    });
    this.children.push(entry);
    return entry;
  }

  /**
   * Runs a test runner in the foreground (output inherited) in its own process group, so that an
   * aborted run kills it and everything it started; resolves to its exit code.
   */
  runInForeground(name, command, args, env = {}) {
    const child = spawn(command, args, { stdio: "inherit", detached: true, env: { ...process.env, ...env } });
    const entry = { name, child, log: null, exited: false, code: null };
    this.children.push(entry);
    return new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        entry.exited = true;
        entry.code = code ?? signal;
        resolve(code ?? 1);
      });
      child.on("error", (error) => {
        entry.exited = true;
        console.error(`${name}: ${error}`);
        resolve(1);
      });
    });
  }

  /** Stops one process (its whole group). */
  async stop(entry, graceMs = 5000) {
    if (entry.exited) return;
    try {
      process.kill(-entry.child.pid, "SIGTERM");
    } catch {
      return;
    }
    const deadline = Date.now() + graceMs;
    while (!entry.exited && Date.now() < deadline) await sleep(50);
    if (!entry.exited) {
      try {
        process.kill(-entry.child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      while (!entry.exited) await sleep(20);
    }
  }

  /** Stops every process, newest first. */
  async stopAll() {
    for (const entry of [...this.children].reverse()) await this.stop(entry);
    for (const [signal, handler] of Object.entries(this.handlers)) process.off(signal, handler);
    process.off("exit", this.onExit);
  }

  killAllNow() {
    for (const entry of this.children) {
      if (!entry.exited) {
        try {
          process.kill(-entry.child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  }
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: { ...process.env, ...(options.env ?? {}) }, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 300000 },
      (error, stdout, stderr) => {
        if (error) {
          error.message = `${command} ${args.join(" ")} failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`;
          reject(error);
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits until check() is truthy; fails with what() and the log's tail after timeoutMs. */
export async function waitFor(check, { timeoutMs = 30000, what = "condition", entry = null } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (entry?.exited) break;
    await sleep(100);
  }
  const tail = entry && existsSync(entry.log) ? `\n--- ${entry.log} ---\n${readFileSync(entry.log, "utf8").slice(-3000)}` : "";
  throw new Error(`timed out waiting for ${what}${entry?.exited ? ` (${entry.name} exited: ${entry.code})` : ""}${tail}`);
}

/** Resolves when an HTTP GET of url answers (any status). */
export async function answers(url) {
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** The first line a process prints on stdout (for the sandbox's `listening on …`). */
export function firstLine(entry, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`${entry.name}: no first line within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf("\n");
      if (newline >= 0) {
        clearTimeout(timer);
        entry.child.stdout.off("data", onData);
        entry.child.stdout.resume();
        resolve(buffer.slice(0, newline));
      }
    };
    entry.child.stdout.setEncoding("utf8");
    entry.child.stdout.on("data", onData);
    entry.child.on("exit", () => {
      clearTimeout(timer);
      reject(new Error(`${entry.name} exited before printing a line`));
    });
  });
}
