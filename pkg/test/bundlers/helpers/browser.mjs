// Headless Chromium (Debian's package, never a downloaded build) driven by playwright-core.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";

export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), "inpost-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `url`, waits for the app to fill <pre id="result" data-done>, and returns the parsed
 * result with the page's errors and the URLs it requested.
 */
export async function readResult(context, url, timeoutMs = 30000) {
  const page = await context.newPage();
  const errors = [];
  const requested = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("request", (request) => requested.push(new URL(request.url()).pathname));
  try {
    await page.goto(url);
    await page.waitForSelector('#result[data-done="true"]', { state: "attached", timeout: timeoutMs }).catch((error) => {
      throw new Error(`${url}: no result within ${timeoutMs} ms; page errors: ${errors.join(" | ") || "none"}`, { cause: error });
    });
    const result = JSON.parse(await page.textContent("#result"));
    return { result, errors, requested };
  } finally {
    await page.close();
  }
}
