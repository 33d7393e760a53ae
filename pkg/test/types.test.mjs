// The package's .d.ts, checked by TypeScript (tsc --noEmit --strict) exactly as a user's project
// would see them: resolved through the installed package's exports map, ESM and CommonJS; and the
// installed README's js and ts blocks, compiled under --strict.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";

const run = promisify(execFile);
const tsc = process.env.INPOST_TSC;
const dir = fileURLToPath(new URL("./types/", import.meta.url));

test("typed usage compiles under --strict (ESM and CommonJS resolution)", { skip: !tsc && "INPOST_TSC not set" }, async () => {
  await run(tsc, ["-p", dir], { cwd: dir }).catch((error) => assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`));
});

test("wrong usage is refused by the types", { skip: !tsc && "INPOST_TSC not set" }, async () => {
  const result = await run(tsc, ["-p", `${dir}tsconfig.wrong.json`], { cwd: dir }).then(
    () => assert.fail("wrong.ts compiled"),
    (error) => error.stdout,
  );
  const lines = result.split("\n").filter((l) => /^wrong\.ts\(\d+,\d+\): error TS/.test(l));
  const errorLines = lines.map((l) => Number(/^wrong\.ts\((\d+),/.exec(l)[1]));
  assert.deepEqual([...new Set(errorLines)], [6, 8, 10, 12, 14, 16], result);
});

test("the README's ts blocks compile under --strict, its js blocks pass checkJs under --strict", { skip: !tsc && "INPOST_TSC not set" }, async () => {
  const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.resolve("inpost-quick-returns"))), "utf8");
  const blocks = [...readme.matchAll(/^```(js|ts)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
  assert.ok(blocks.filter((b) => b.lang === "ts").length >= 1 && blocks.filter((b) => b.lang === "js").length >= 4, `README blocks: ${blocks.map((b) => b.lang)}`);
  // Inside the test app, so that "inpost-quick-returns" resolves to the installed package.
  const work = mkdtempSync(join(dir, "readme-"));
  try {
    const files = blocks.map((block, i) => {
      const name = `block-${i + 1}.${block.lang === "ts" ? "mts" : "mjs"}`;
      writeFileSync(join(work, name), block.code);
      return name;
    });
    writeFileSync(join(work, "medusa-framework.d.ts"), MEDUSA_STAND_IN);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: "es2022",
      module: "node16",
      moduleResolution: "node16",
      lib: ["es2022", "dom"],
      types: ["node"],
      typeRoots: process.env.INPOST_TYPE_ROOTS ? [process.env.INPOST_TYPE_ROOTS] : undefined,
    };
    // ts blocks: --strict as is. js blocks: checked as a TypeScript user's editor checks them
    // (checkJs, --strict), except noImplicitAny: plain JavaScript has no annotations to give.
    const projects = {
      "tsconfig.ts.json": { compilerOptions, files: ["medusa-framework.d.ts", ...files.filter((f) => f.endsWith(".mts"))] },
      "tsconfig.js.json": { compilerOptions: { ...compilerOptions, allowJs: true, checkJs: true, noImplicitAny: false }, files: files.filter((f) => f.endsWith(".mjs")) },
    };
    for (const [name, project] of Object.entries(projects)) {
      writeFileSync(join(work, name), JSON.stringify(project));
      await run(tsc, ["-p", join(work, name)], { cwd: work }).catch((error) => assert.fail(`README blocks (${name}) do not compile:\n${error.stdout}${error.stderr}`));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

/**
 * The three names the README's Medusa subscriber imports from @medusajs/framework, as Medusa v2
 * shapes them (narrowed to what the example touches), so that the example's use of this package
 * is checked without installing Medusa.
 */
const MEDUSA_STAND_IN = `declare module "@medusajs/framework" {
  interface Order {
    id: string;
    display_id: number;
    email: string | null;
    shipping_address: { phone: string | null } | null;
  }
  interface Logger {
    info(message: string): void;
    warn(message: string): void;
  }
  interface Query {
    graph(options: { entity: "order"; fields: string[]; filters: { id: string } }): Promise<{ data: Order[] }>;
  }
  export interface SubscriberArgs<T> {
    event: { name: string; data: T };
    container: { resolve(name: "logger"): Logger; resolve(name: "query"): Query };
  }
  export interface SubscriberConfig {
    event: string | string[];
  }
}
`;
