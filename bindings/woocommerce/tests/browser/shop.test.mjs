// Debian's Chromium plays the customer and the shop manager in the test shop served by nginx +
// php-fpm with the library preloaded (ffi.enable=preload), and once by PHP's built-in server
// where nothing is preloaded.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ADMIN, CUSTOMER, fixture, hideBars, launch, loggedIn, mails, now, on, parcel, sandboxCodes, screenshot, shop } from "./helpers.mjs";

let browser;
let admin;
let customer;
/** The order whose code the customer gets in the first test; the admin tests look at it. */
let returned;

before(async () => {
  browser = await launch();
  admin = await loggedIn(browser, ADMIN);
  customer = await loggedIn(browser, CUSTOMER);
});

after(async () => {
  await browser?.close();
});

/** Opens the return form of the order page and picks a size. */
async function openForm(page, size) {
  await page.click(".inpost-qr-request > summary");
  await page.check(`input[name="inpost_qr_pack_type"][value="${size}"]`);
}

describe("the plugin zip", () => {
  test("installs through Plugins → Add New → Upload Plugin (replacing the installed copy)", async () => {
    const { page } = admin;
    await page.goto(`${shop.url}/wp-admin/plugin-install.php?tab=upload`);
    await page.setInputFiles("#pluginzip", shop.pluginZip);
    await Promise.all([page.waitForNavigation(), page.click("#install-plugin-submit")]);
    await page.waitForSelector("text=This plugin is already installed");
    await Promise.all([page.waitForNavigation(), page.click("a.update-from-upload-overwrite")]);
    await page.waitForSelector("text=Plugin updated successfully");
    await page.goto(`${shop.url}/wp-admin/plugins.php`);
    const row = page.locator('tr[data-plugin="inpost-quick-returns/inpost-quick-returns.php"]');
    assert.match(await row.getAttribute("class"), /\bactive\b/);
    assert.match(await row.innerText(), /InPost Quick Returns for WooCommerce/);
  });
});

describe("the customer", () => {
  test("is told why the phone number is refused, corrects it, sees the code and gets it by e-mail", async () => {
    returned = await fixture("order", { phone: "12 34" });
    const { page } = customer;
    const since = now();

    // My Account → Orders → the order's "Return" button.
    await page.goto(returned.orders_url);
    await Promise.all([page.waitForNavigation(), page.click(`a.inpost-return[href*="view-order=${returned.id}"]`)]);
    await openForm(page, "B");
    await screenshot(page.locator("#inpost-return"), "customer-form");
    await Promise.all([page.waitForNavigation(), page.click("button.inpost-qr-submit")]);

    const error = page.locator(".inpost-qr-error");
    assert.match(await error.innerText(), /Polish mobile phone number of 9 digits/);
    assert.equal(await page.getAttribute("#inpost_qr_phone", "aria-invalid"), "true");
    assert.equal(await page.inputValue("#inpost_qr_phone"), "12 34");
    assert.ok(await page.isChecked('input[name="inpost_qr_pack_type"][value="B"]'), "the chosen size is kept");
    await screenshot(page.locator("#inpost-return"), "customer-phone-error", { docs: true });
    assert.deepEqual(await sandboxCodes(returned.number), [], "nothing was sent to InPost");

    await page.fill("#inpost_qr_phone", "+48 600 100 200");
    await Promise.all([page.waitForNavigation(), page.click("button.inpost-qr-submit")]);
    const code = (await page.innerText(".inpost-qr-code")).trim();
    assert.match(code, /^\d{10}$/);
    await page.getByText("Your InPost return code is ready").waitFor();
    assert.equal((await page.innerText(".inpost-qr-size")).trim(), "B");
    assert.match(await page.innerText(".inpost-qr-code-details"), /19 × 38 × 64 cm/);
    assert.match(await page.innerText(".inpost-qr-steps"), /type the return code/);
    await screenshot(page.locator("#inpost-return"), "customer-code", { docs: true });

    const mail = mails(since).find((m) => m.message.includes(code));
    assert.ok(mail, "the code was e-mailed");
    assert.equal(mail.to, CUSTOMER.email);
    assert.match(mail.subject, new RegExp(`order #${returned.number}`));
    assert.match(mail.message, /How to send the parcel back/);
    const letter = await customer.context.newPage();
    await letter.setViewportSize({ width: 640, height: 600 });
    await letter.setContent(mail.message);
    await screenshot(letter, "customer-email", { docs: true, fullPage: true });
    await letter.close();

    // Reloading shows the same code and asks InPost for nothing.
    await page.reload();
    assert.equal((await page.innerText(".inpost-qr-code")).trim(), code);
    assert.deepEqual(await sandboxCodes(returned.number), [code]);

    const state = await fixture("order-state", { id: returned.id });
    assert.equal(state.billing_phone, "+48 600 100 200");
    assert.equal(state.meta._inpost_return_code, code);
    assert.ok(state.notes.some((n) => n.includes("corrected the billing phone")));
    assert.ok(state.notes.some((n) => n.includes("not a Polish mobile number")), "the refused attempt left an order note");
    returned.code = code;
  });

  test("double-clicking the button makes one code", async () => {
    const order = await fixture("order");
    const { page } = customer;
    await page.goto(order.view_url);
    await openForm(page, "A");
    await Promise.all([page.waitForNavigation(), page.dblclick("button.inpost-qr-submit")]);
    const code = (await page.innerText(".inpost-qr-code")).trim();
    assert.deepEqual(await sandboxCodes(order.number), [code]);
  });

  test("three posts of the form at the same moment make one code", async () => {
    const order = await fixture("order");
    const { page, context } = customer;
    await page.goto(order.view_url);
    const form = Object.fromEntries(
      await page.$$eval(".inpost-qr-form input[type=hidden]", (inputs) => inputs.map((input) => [input.name, input.value])),
    );
    const posts = await Promise.all(
      [0, 1, 2].map(() => context.request.post(order.view_url, { form: { ...form, inpost_qr_pack_type: "A", inpost_qr_phone: "600100200" } })),
    );
    const shown = await Promise.all(posts.map(async (response) => /data-code="(\d+)"/.exec(await response.text())?.[1]));
    const codes = await sandboxCodes(order.number);
    assert.equal(codes.length, 1, `InPost made ${codes.length} codes`);
    assert.deepEqual(shown, [codes[0], codes[0], codes[0]]);
  });
});

describe("the shop manager", () => {
  test("runs the status sync under Status → Scheduled Actions and sees the parcel in the order box", async () => {
    const { page } = admin;
    const dropped = await parcel(returned.code, "Created");

    await page.goto(`${shop.url}/wp-admin/admin.php?page=wc-status&tab=action-scheduler&status=pending&s=inpost_quick_returns_sync_status`);
    const row = page.locator("tr", { hasText: "inpost_quick_returns_sync_status" }).first();
    assert.match(await row.innerText(), /inpost-quick-returns/);
    assert.match(await row.innerText(), /Every 30 minutes/);
    const run = await row.locator(".row-actions a", { hasText: "Run" }).getAttribute("href");
    await page.goto(new URL(run, page.url()).href);
    await page.waitForSelector("text=Successfully executed action: inpost_quick_returns_sync_status");
    await page.goto(`${shop.url}/wp-admin/admin.php?page=wc-status&tab=action-scheduler&status=complete&s=inpost_quick_returns_sync_status`);
    await screenshot(page.locator("#wpbody-content"), "scheduled-actions");

    await page.goto(returned.edit_url);
    const box = page.locator("#inpost-quick-returns");
    assert.equal((await box.locator(".inpost-qr-code").innerText()).trim(), returned.code);
    assert.match(await box.locator(".inpost-qr-size").innerText(), /B \(19 × 38 × 64 cm\)/);
    assert.match(await box.locator(".inpost-qr-expires").innerText(), /\d/);
    assert.match(await box.locator(".inpost-qr-status").innerText(), /^Created/);
    assert.equal((await box.locator(".inpost-qr-pack-code").innerText()).trim(), dropped.reverseReturnPackCode);
    assert.match(await page.innerText("#woocommerce-order-notes"), /dropped the return parcel off/);
    await screenshot(box, "admin-order-box", { docs: true });
  });

  test("generates a code with the order action, in HPOS and in the posts storage", async () => {
    const { page } = admin;
    for (const hpos of [true, false]) {
      await fixture("storage", { hpos });
      try {
        const order = await fixture("order");
        await page.goto(order.edit_url);
        assert.match(await page.innerText("#inpost-quick-returns"), /No return code yet/);
        await page.selectOption('select[name="wc_order_action"]', "inpost_quick_returns_generate");
        await Promise.all([page.waitForNavigation(), page.click("button.save_order")]);
        assert.match(await page.innerText(".inpost-qr-notice"), /InPost return code \d{10} made/);
        const code = (await page.innerText("#inpost-quick-returns .inpost-qr-code")).trim();
        assert.deepEqual(await sandboxCodes(order.number), [code], `storage ${hpos ? "HPOS" : "posts"}`);
        assert.equal(await page.locator('select[name="wc_order_action"] option[value="inpost_quick_returns_generate"]').count(), 0);
      } finally {
        if (!hpos) await fixture("storage", { hpos: true });
      }
    }
  });

  test("never sees the stored password, and Test connection shows success or the typed error", async () => {
    const { page } = admin;
    await page.goto(`${shop.url}/wp-admin/admin.php?page=wc-settings&tab=inpost_quick_returns`);
    assert.equal(await page.inputValue("#inpost_quick_returns_password_input"), "");
    assert.ok(!(await page.content()).includes("demo-password"));
    // Served by php-fpm with ffi.enable=preload: the library comes from the preloaded FFI scope.
    assert.match(await page.innerText(".inpost-qr-ok"), /The library is loaded: version \d+\.\d+\.\d+, from scope:INPOST_QUICK_RETURNS/);

    const result = page.locator("#inpost-qr-test-result");
    await page.click("#inpost-qr-test-connection");
    await page.waitForSelector(".inpost-qr-test-success");
    assert.match(await result.innerText(), /Connected/);

    await page.fill("#inpost_quick_returns_password_input", "not-the-password");
    await page.click("#inpost-qr-test-connection");
    await page.waitForSelector(".inpost-qr-test-error");
    assert.match(await result.innerText(), /ApiException \(Unauthorized\).*did not accept the login/s);
    assert.ok(!(await result.innerText()).includes("not-the-password"));
    await screenshot(page.locator("#mainform"), "settings");
    await page.setViewportSize({ width: 1024, height: 900 });
    await hideBars(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    const form = await page.locator("#mainform").boundingBox();
    const top = await page.locator("h2", { hasText: "InPost account" }).boundingBox();
    const end = await page.locator("#inpost-qr-test-result").boundingBox();
    await screenshot(page, "settings-account", {
      docs: true,
      fullPage: true,
      clip: { x: form.x, y: top.y - 10, width: form.width, height: end.y + end.height - top.y + 30 },
    });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.fill("#inpost_quick_returns_password_input", "");
    await page.fill("#inpost_quick_returns_base_url", "http://example.com/");
    await page.click("#inpost-qr-test-connection");
    await page.waitForSelector(".inpost-qr-test-error");
    assert.match(await result.innerText(), /InvalidInputException \(config\.baseUrl\)/);

    // Saving with an empty password field keeps the stored password.
    await page.fill("#inpost_quick_returns_base_url", shop.sandboxUrl);
    await Promise.all([page.waitForNavigation(), page.click("button.woocommerce-save-button")]);
    await page.waitForSelector("text=Your settings have been saved");
    await page.click("#inpost-qr-test-connection");
    await page.waitForSelector(".inpost-qr-test-success");
  });

  test("finds the customer's e-mail under Settings → Emails, editable like WooCommerce's own", async () => {
    const { page } = admin;
    await page.goto(`${shop.url}/wp-admin/admin.php?page=wc-settings&tab=email`);
    await page.getByText("InPost return code").first().waitFor();
    await page.goto(`${shop.url}/wp-admin/admin.php?page=wc-settings&tab=email&section=inpost_quick_returns_code`);
    assert.match(await page.getAttribute("#woocommerce_inpost_quick_returns_code_subject", "placeholder"), /your InPost return code for order #\{order_number\}/);
    assert.ok(await page.isChecked("#woocommerce_inpost_quick_returns_code_enabled"));
  });

  test("generates inactive codes, downloads them as CSV, activates one for an order and invalidates another", async () => {
    const { page } = admin;
    const order = await fixture("order");
    await page.goto(`${shop.url}/wp-admin/admin.php?page=inpost-quick-returns-codes`);
    await page.fill("#inpost_qr_count", "3");
    await Promise.all([page.waitForNavigation(), page.click('#inpost-qr-generate-batch button[type="submit"]')]);
    assert.match(await page.innerText(".inpost-qr-notice"), /3 inactive codes made \(batch [\d-]+[0-9a-f]{4}\)/);
    const codes = await page.$$eval(".inpost-qr-code-list tbody tr", (rows) => rows.map((row) => row.dataset.code));
    assert.equal(codes.length, 3);

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("a.inpost-qr-csv").first().click()]);
    const csv = readFileSync(await download.path(), "utf8").trim().split("\n");
    assert.equal(csv[0], "code,uuid,batch,created_utc,state,order_id");
    assert.deepEqual(csv.slice(1).map((line) => line.split(",")[0]).sort(), [...codes].sort());

    await page.fill("#inpost_qr_code", codes[0]);
    await page.fill("#inpost_qr_order", String(order.number));
    await page.selectOption("#inpost_qr_pack_type", "C");
    await Promise.all([page.waitForNavigation(), page.click('#inpost-qr-activate-code button[type="submit"]')]);
    assert.match(await page.innerText(".inpost-qr-notice"), new RegExp(`Code ${codes[0]} is active for order #${order.number}`));
    assert.deepEqual(await sandboxCodes(order.number), [codes[0]]);

    await Promise.all([page.waitForNavigation(), page.click(`tr[data-code="${codes[1]}"] a.inpost-qr-invalidate`)]);
    assert.match(await page.innerText(".inpost-qr-notice"), new RegExp(`The code ${codes[1]} was invalidated`));
    assert.equal((await page.innerText(`tr[data-code="${codes[1]}"] .inpost-qr-state`)).trim(), "invalidated");
    assert.equal((await page.innerText(`tr[data-code="${codes[0]}"] .inpost-qr-state`)).trim(), "active");
    await screenshot(page.locator("#wpbody-content"), "inactive-codes", { docs: true });
  });
});

describe("a server where FFI is restricted and nothing is preloaded (php -S, ffi.enable=preload)", () => {
  test("the settings page says what to change, and a customer's request fails without a PHP error", async () => {
    // Login cookies are named after the site URL, which includes the port: log in on this server too.
    const { page, context } = await loggedIn(browser, ADMIN, shop.restrictedUrl);
    await page.goto(`${shop.restrictedUrl}/wp-admin/admin.php?page=wc-settings&tab=inpost_quick_returns`);
    const problem = page.locator(".inpost-qr-problem");
    assert.match(await problem.innerText(), /PHP FFI is restricted to preloaded code here \(ffi\.enable=preload, SAPI cli-server\)/);
    assert.match(await page.innerText(".inpost-qr-ini"), /opcache\.preload=\/.*\/wp-content\/plugins\/inpost-quick-returns\/vendor\/inpost-quick-returns\/preload\.php/);
    await screenshot(page.locator(".inpost-qr-diagnostics"), "settings-ffi-restricted", { docs: true });
    await page.goto(`${shop.restrictedUrl}/wp-admin/plugins.php`);
    assert.match(await page.innerText("#wpbody-content"), /InPost Quick Returns cannot load its library: PHP FFI is restricted to preloaded code/);

    await context.close();
    const order = await fixture("order");
    const { page: buyer, context: buyerContext } = await loggedIn(browser, CUSTOMER, shop.restrictedUrl);
    await buyer.goto(on(shop.restrictedUrl, order.view_url));
    await openForm(buyer, "A");
    await Promise.all([buyer.waitForNavigation(), buyer.click("button.inpost-qr-submit")]);
    assert.match(await buyer.innerText(".inpost-qr-error"), /could not get a return code/);
    const state = await fixture("order-state", { id: order.id });
    assert.ok(state.notes.some((n) => n.includes("The InPost library cannot be used on this server")), state.notes.join("\n"));
    await buyerContext.close();
  });
});

describe("in Polish", () => {
  test("the customer's section speaks Polish when the site does", async () => {
    const order = await fixture("order");
    await fixture("option", { name: "WPLANG", value: "pl_PL" });
    try {
      const { page } = customer;
      await page.goto(order.view_url);
      assert.equal((await page.innerText("#inpost-return h2")).trim(), "Zwrot zamówienia");
      assert.equal((await page.innerText("#inpost-return summary")).trim(), "Zwrot przez Paczkomat InPost");
      await openForm(page, "A");
      assert.match(await page.innerText(".inpost-qr-sizes"), /Rozmiar A/);
    } finally {
      await fixture("option", { name: "WPLANG", value: "" });
    }
  });
});

describe("removing the plugin", () => {
  test("deactivating stops the status job; deleting removes the settings and keeps the codes table", async () => {
    const { page } = admin;
    assert.equal((await fixture("plugin-data")).scheduled, true);
    await page.goto(`${shop.url}/wp-admin/plugins.php`);
    const row = page.locator('tr[data-plugin="inpost-quick-returns/inpost-quick-returns.php"]');
    await Promise.all([page.waitForNavigation(), row.locator("a", { hasText: "Deactivate" }).click()]);
    let data = await fixture("plugin-data");
    assert.equal(data.active, false);
    assert.equal(data.scheduled, false, "the recurring job is unscheduled");

    page.once("dialog", (dialog) => dialog.accept());
    await row.locator("a.delete").click();
    await page.locator("tr.plugin-deleted-tr").waitFor();
    data = await fixture("plugin-data");
    assert.deepEqual(data.options, [], "uninstall.php removed the settings");
    assert.equal(data.table, true, "the codes table stays: InPost still knows those codes");
  });
});
