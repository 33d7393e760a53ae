#!/usr/bin/env node
// The WooCommerce plugin's end-to-end tests (`make test-woocommerce` runs this):
//   1. a throwaway shop: WordPress + WooCommerce unpacked into a temporary folder, a private
//      MariaDB, the plugin installed from its zip, the local InPost sandbox;
//   2. PHPUnit inside that WordPress, once with orders in posts and once with HPOS;
//   3. nginx + php-fpm with the library preloaded, PHP's built-in server without the preload, and
//      Debian's Chromium (driven by playwright-core) as the customer and the shop manager.
// Every process stops and the folder is removed at the end, also on failure or Ctrl-C.
//
// Environment:
//   INPOST_QR_PLUGIN_ZIP   the plugin zip (default: <repo>/target/woocommerce/inpost-quick-returns.zip)
//   INPOST_SANDBOX_BIN     the sandbox binary (default: <repo>/target/debug/inpost-returns-sandbox)
//   INPOST_QR_WORDPRESS    your own WordPress + WooCommerce folder or .tar.xz (default: the fixture)
//   INPOST_QR_ONLY         php | browser: run one part only; serve: keep the shop up for a look by hand
//   INPOST_QR_PHPUNIT_FILTER  passed to phpunit --filter
//   INPOST_QR_KEEP         1: keep the shop's folder (logs, database) after the run
//   INPOST_QR_SCREENSHOTS  where screenshots go (default: <repo>/target/woocommerce/screenshots)
//   INPOST_QR_UPDATE_DOCS  1: also refresh the README's screenshots in bindings/woocommerce/docs/screenshots

import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Shop, findWordPress } from "./support/shop.mjs";

const HERE = dirname(new URL(import.meta.url).pathname);
const REPO = resolve(HERE, "../../..");
const only = process.env.INPOST_QR_ONLY ?? "";
const started = Date.now();
let last = started;
const timer = (what) => {
  const now = Date.now();
  console.log(`[${((now - started) / 1000).toFixed(1)} s, +${((now - last) / 1000).toFixed(1)} s] ${what}`);
  last = now;
};

const pluginZip = resolve(process.env.INPOST_QR_PLUGIN_ZIP ?? join(REPO, "target/woocommerce/inpost-quick-returns.zip"));
const sandboxBin = resolve(process.env.INPOST_SANDBOX_BIN ?? join(REPO, "target/debug/inpost-returns-sandbox"));
const screenshots = resolve(process.env.INPOST_QR_SCREENSHOTS ?? join(REPO, "target/woocommerce/screenshots"));
for (const [what, path, how] of [
  ["plugin zip", pluginZip, "make woocommerce-zip"],
  ["sandbox", sandboxBin, "cargo build -p inpost-returns-sandbox"],
  ["playwright-core", join(HERE, "node_modules/playwright-core"), "cd bindings/woocommerce/tests && npm ci"],
]) {
  if (!existsSync(path)) {
    console.error(`test-woocommerce: no ${what} at ${path}; run \`${how}\` first (make test-woocommerce does).`);
    process.exit(2);
  }
}

let wordpress;
try {
  wordpress = findWordPress(REPO);
} catch (error) {
  console.error(`test-woocommerce: ${error.message}`);
  process.exit(2);
}
console.log(`WordPress + WooCommerce from ${wordpress.path}`);

const shop = new Shop({ repoRoot: REPO, pluginZip, sandboxBin, wordpress, keep: process.env.INPOST_QR_KEEP === "1" });
const failures = [];
try {
  await shop.start(timer);

  if (only === "" || only === "php") {
    for (const hpos of [false, true]) {
      await shop.fixture("storage", { hpos });
      const filter = process.env.INPOST_QR_PHPUNIT_FILTER ? ["--filter", process.env.INPOST_QR_PHPUNIT_FILTER] : [];
      const code = await shop.processes.runInForeground("phpunit", shop.tools.phpunit, ["-c", join(HERE, "php/phpunit.xml"), ...filter], shop.env());
      timer(`PHPUnit with orders in ${hpos ? "HPOS tables" : "posts"}: ${code === 0 ? "passed" : "FAILED"}`);
      if (code !== 0) failures.push(`PHPUnit (${hpos ? "HPOS" : "posts"})`);
    }
  }

  if (only === "" || only === "browser") {
    await shop.fixture("storage", { hpos: true });
    await shop.startFpm();
    const restricted = await shop.startBuiltinServer("php-builtin-restricted", ["-d", "ffi.enable=preload"]);
    timer("nginx + php-fpm (library preloaded) and php -S (FFI restricted, nothing preloaded) up");
    mkdirSync(screenshots, { recursive: true });
    const code = await shop.processes.runInForeground("browser tests", process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", join(HERE, "browser")], {
      ...shop.env(),
      INPOST_QR_RESTRICTED_URL: restricted.url,
      INPOST_QR_CHROMIUM: shop.tools.chromium,
      INPOST_QR_SCREENSHOTS: screenshots,
      INPOST_QR_DOCS_SCREENSHOTS: process.env.INPOST_QR_UPDATE_DOCS === "1" ? join(HERE, "../docs/screenshots") : "",
    });
    timer(`Chromium as customer and shop manager: ${code === 0 ? "passed" : "FAILED"}`);
    if (code !== 0) failures.push("browser tests");
  }

  if (only === "serve") {
    // By hand: the shop stays up until Ctrl-C (admin / admin-password, jan / customer-password).
    await shop.fixture("storage", { hpos: true });
    await shop.startFpm();
    const restricted = await shop.startBuiltinServer("php-builtin-restricted", ["-d", "ffi.enable=preload"]);
    console.log(`shop: ${shop.url}/wp-admin/ (nginx + php-fpm), ${restricted.url}/ (php -S, FFI restricted); sandbox: ${shop.sandboxUrl}; folder: ${shop.dir}`);
    await new Promise(() => {});
  }

  const problems = shop.phpProblems();
  if (problems.length > 0) {
    failures.push("PHP errors in the logs");
    console.error(`PHP errors logged during the run:\n${problems.join("\n")}`);
  }
} catch (error) {
  failures.push(error.message);
  console.error(error);
} finally {
  if (failures.length > 0 && shop.logDir) console.error(`logs: ${shop.logDir} (set INPOST_QR_KEEP=1 or INPOST_QR_KEEP_ON_FAILURE=1 to keep them)`);
  await shop.stop({ failed: failures.length > 0 });
}
timer(failures.length === 0 ? "test-woocommerce: all passed" : `test-woocommerce FAILED: ${failures.join("; ")}`);
process.exit(failures.length === 0 ? 0 : 1);
