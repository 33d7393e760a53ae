// Helpers for the browser tests: Debian's Chromium through playwright-core, the test shop's
// fixture script, captured e-mails and the sandbox.

import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";

const HERE = dirname(new URL(import.meta.url).pathname);
const env = process.env;

export const shop = {
  url: env.INPOST_QR_URL,
  restrictedUrl: env.INPOST_QR_RESTRICTED_URL,
  sandboxUrl: env.INPOST_QR_SANDBOX_URL,
  mailDir: env.INPOST_QR_MAIL_DIR,
  pluginZip: env.INPOST_QR_PLUGIN_ZIP,
  screenshots: env.INPOST_QR_SCREENSHOTS,
  docsScreenshots: env.INPOST_QR_DOCS_SCREENSHOTS,
};
export const ADMIN = { login: "admin", password: "admin-password" };
export const CUSTOMER = { login: "jan", password: "customer-password", email: "jan.kowalski@example.pl" };

/** Headless Chromium as Debian ships it; playwright-core never downloads a browser of its own. */
export function launch() {
  return chromium.launch({
    executablePath: env.INPOST_QR_CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

/** A fresh browser context (its own cookies), logged in as the given user on base (default: the main shop). */
export async function loggedIn(browser, user, base = shop.url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", acceptDownloads: true });
  context.setDefaultTimeout(30000);
  context.setDefaultNavigationTimeout(60000);
  const page = await context.newPage();
  await page.goto(`${base}/wp-login.php`);
  await page.fill("#user_login", user.login);
  await page.fill("#user_pass", user.password);
  await Promise.all([page.waitForNavigation(), page.click("#wp-submit")]);
  if (page.url().includes("wp-login.php")) throw new Error(`login as ${user.login} failed at ${page.url()}`);
  return { context, page };
}

/** One call of tests/support/fixture.php (orders, order state, storage mode, options, the sync). */
export function fixture(command, input = {}) {
  return new Promise((resolve, reject) => {
    execFile("php", [join(HERE, "../support/fixture.php"), command, JSON.stringify(input)], { env }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`fixture.php ${command} failed: ${stderr}${stdout}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`fixture.php ${command}: not JSON: ${stdout}${stderr}`));
      }
    });
  });
}

/** The URL on another server of the same shop (e.g. the built-in server). */
export const on = (base, url) => base + url.replace(/^https?:\/\/[^/]+/, "");

/** Mails captured through pre_wp_mail (tests/support/mu-plugins/inpost-qr-test.php) since a time in seconds. */
export function mails(since = 0) {
  return readdirSync(shop.mailDir)
    .filter((name) => name.endsWith(".json") && Number.parseFloat(name) >= since)
    .sort()
    .map((name) => JSON.parse(readFileSync(join(shop.mailDir, name), "utf8")));
}

export const now = () => Date.now() / 1000;

/** The sandbox's codes for an rma, read from its report like InPost's (so: what InPost has). */
export async function sandboxCodes(rma) {
  const body = new URLSearchParams({
    email: "demo@example.com",
    password: "demo-password",
    content: `<paczkomaty><rma>${rma}</rma></paczkomaty>`,
  });
  const response = await fetch(`${shop.sandboxUrl}?do=revloggetreport`, { method: "POST", body });
  const xml = await response.text();
  return [...xml.matchAll(/<code>(\d+)<\/code>/g)].map((m) => m[1]);
}

/** The sandbox's test hook: the parcel is dropped off (Created), travels (InTransit), arrives (Delivered). */
export async function parcel(code, status) {
  const response = await fetch(`${shop.sandboxUrl}_sandbox/parcel`, { method: "POST", body: new URLSearchParams({ code, status }) });
  const answer = await response.json();
  if (!response.ok) throw new Error(`parcel hook: ${JSON.stringify(answer)}`);
  return answer;
}

/** Hides WordPress's and WooCommerce's fixed bars, which would cover an element scrolled into view. */
export async function hideBars(page) {
  await page.addStyleTag({ content: "#wpadminbar, .woocommerce-layout__header { display: none !important; } html.wp-toolbar { padding-top: 0 !important; }" });
}

/**
 * Saves a screenshot (of a page or an element) to the run's screenshot folder; with docs: true and
 * INPOST_QR_UPDATE_DOCS=1 also to bindings/woocommerce/docs/screenshots (the README shows those).
 */
export async function screenshot(target, name, { docs = false, ...options } = {}) {
  mkdirSync(shop.screenshots, { recursive: true });
  const path = join(shop.screenshots, `${name}.png`);
  await hideBars(typeof target.page === "function" ? target.page() : target);
  await target.screenshot({ path, animations: "disabled", ...options });
  if (docs && shop.docsScreenshots) {
    mkdirSync(shop.docsScreenshots, { recursive: true });
    copyFileSync(path, join(shop.docsScreenshots, `${name}.png`));
  }
  return path;
}
