// A throwaway shop for one test run: WordPress + WooCommerce unpacked into a temporary folder, a
// private MariaDB, the plugin installed from its zip, the local InPost sandbox, and the web servers
// (nginx + php-fpm with the library preloaded; PHP's built-in server). Everything stops, and the
// folder goes, when the run ends.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { Processes, answers, firstLine, freePort, run, waitFor } from "./processes.mjs";

const HERE = dirname(new URL(import.meta.url).pathname);
export const SUPPORT = HERE;
const FIXTURE = "shared/fixtures/wordpress-woocommerce";

export const ADMIN = { login: "admin", password: "admin-password", email: "admin@example.com" };
export const CUSTOMER = { login: "jan", password: "customer-password", email: "jan.kowalski@example.pl" };
export const SANDBOX_ACCOUNT = { email: "demo@example.com", password: "demo-password" };

/**
 * Where WordPress + WooCommerce come from: INPOST_QR_WORDPRESS (a folder with wp-load.php and
 * wp-content/plugins/woocommerce, or a .tar.xz/.tar.gz of one), else the fixture in a `shared/`
 * folder beside the clone (or beside one of its parent folders).
 */
export function findWordPress(repoRoot) {
  const fromEnv = process.env.INPOST_QR_WORDPRESS;
  if (fromEnv) {
    const path = resolve(fromEnv);
    if (!existsSync(path)) throw new Error(`INPOST_QR_WORDPRESS=${fromEnv}: no such file or folder`);
    if (statSync(path).isDirectory()) {
      if (!existsSync(join(path, "wp-load.php")) || !existsSync(join(path, "wp-content/plugins/woocommerce/woocommerce.php"))) {
        throw new Error(`INPOST_QR_WORDPRESS=${fromEnv} must be a WordPress folder (wp-load.php) with WooCommerce in wp-content/plugins/woocommerce/`);
      }
      return { kind: "dir", path };
    }
    if (!/\.(tar\.xz|txz|tar\.gz|tgz)$/.test(path)) throw new Error(`INPOST_QR_WORDPRESS=${fromEnv} must be a folder or a .tar.xz/.tar.gz archive`);
    return { kind: "tar", path };
  }
  const looked = [];
  for (let dir = resolve(repoRoot, ".."); ; dir = dirname(dir)) {
    const fixture = join(dir, FIXTURE);
    looked.push(fixture);
    if (existsSync(fixture)) {
      const archive = readdirSync(fixture).find((name) => /^wordpress-.*\.tar\.xz$/.test(name));
      if (archive) return { kind: "tar", path: join(fixture, archive) };
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    "No WordPress + WooCommerce to test against.\n" +
      `  Looked for the fixture wordpress-*.tar.xz in: ${looked.join(", ")}\n` +
      "  Either put the fixture there (CI has ../shared beside the clone), or set INPOST_QR_WORDPRESS to a\n" +
      "  WordPress folder with WooCommerce in wp-content/plugins/woocommerce/ (or a .tar.xz of one).",
  );
}

function which(name, dirs = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin", "/usr/local/sbin"]) {
  for (const dir of [...(process.env.PATH ?? "").split(":"), ...dirs]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Every program the run needs, or a list of what is missing and where it comes from. */
export function tools() {
  const found = {
    php: which("php"),
    phpFpm: which("php-fpm8.2") ?? which("php-fpm"),
    phpunit: which("phpunit"),
    mariadbd: which("mariadbd"),
    mariadbInstallDb: which("mariadb-install-db"),
    mariadb: which("mariadb"),
    nginx: which("nginx"),
    chromium: process.env.INPOST_QR_CHROMIUM ?? which("chromium"),
    tar: which("tar"),
  };
  const packages = {
    php: "php8.2-cli",
    phpFpm: "php8.2-fpm",
    phpunit: "phpunit",
    mariadbd: "mariadb-server",
    mariadbInstallDb: "mariadb-server",
    mariadb: "mariadb-client",
    nginx: "nginx",
    chromium: "chromium",
    tar: "tar",
  };
  const missing = Object.keys(found).filter((key) => !found[key]);
  if (missing.length > 0) {
    throw new Error(`missing programs: ${missing.join(", ")} (Debian packages: ${[...new Set(missing.map((k) => packages[k]))].join(" ")}; \`make woocommerce-deps\` installs them)`);
  }
  return found;
}

export class Shop {
  constructor({ repoRoot, pluginZip, sandboxBin, wordpress, keep = false }) {
    this.repoRoot = repoRoot;
    this.pluginZip = pluginZip;
    this.sandboxBin = sandboxBin;
    this.wordpress = wordpress;
    this.keep = keep;
    this.tools = tools();
    this.isRoot = process.getuid?.() === 0;
  }

  get wpDir() {
    return join(this.dir, "wordpress");
  }

  get pluginDir() {
    return join(this.wpDir, "wp-content/plugins/inpost-quick-returns");
  }

  async start(timer = () => {}) {
    this.dir = mkdtempSync(join(tmpdir(), "inpost-qr-woo-"));
    this.logDir = join(this.dir, "logs");
    this.mailDir = join(this.dir, "mail");
    mkdirSync(this.logDir);
    mkdirSync(this.mailDir);
    this.processes = new Processes(this.logDir, () => {
      if (!this.keep) rmSync(this.dir, { recursive: true, force: true });
    });

    await Promise.all([this.unpackWordPress(), this.startMariaDb()]);
    timer("WordPress unpacked, MariaDB up");
    this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    this.writeConfig();
    await this.startSandbox();
    await this.php(join(HERE, "install.php"), ["core"]);
    await this.php(join(HERE, "install.php"), ["woocommerce"]);
    await this.php(join(HERE, "install.php"), ["shop"]);
    timer("WordPress installed, WooCommerce and the plugin (from its zip) active");
  }

  async unpackWordPress() {
    if (this.wordpress.kind === "dir") {
      await run("cp", ["-a", this.wordpress.path, this.wpDir]);
    } else {
      // The archive is unpacked once into a cache outside the repository; each run gets a tree
      // of hard links to it (fast to make and to remove). Nothing in a run writes to WordPress's
      // or WooCommerce's own files; new files (wp-config.php, the plugin, uploads) are new inodes.
      await run("cp", ["-al", await this.cachedTree(), this.wpDir]);
    }
    if (!existsSync(join(this.wpDir, "wp-content/plugins/woocommerce/woocommerce.php"))) {
      throw new Error("the WordPress to test against has no wp-content/plugins/woocommerce/woocommerce.php");
    }
    rmSync(join(this.wpDir, "wp-config.php"), { force: true });
    rmSync(this.pluginDir, { recursive: true, force: true });
  }

  /** The archive unpacked in ~/.cache/inpost-quick-returns/wordpress/ (made once, atomically). */
  async cachedTree() {
    const archive = this.wordpress.path;
    const { size, mtimeMs } = statSync(archive);
    const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "inpost-quick-returns", "wordpress");
    const tree = join(cacheRoot, `${basename(archive).replace(/\.(tar\.xz|txz|tar\.gz|tgz)$/, "")}-${size}-${Math.floor(mtimeMs)}`);
    if (existsSync(join(tree, "wp-load.php"))) return tree;
    mkdirSync(cacheRoot, { recursive: true });
    const unpack = mkdtempSync(join(cacheRoot, ".unpack-"));
    try {
      await run(this.tools.tar, ["-xf", archive, "-C", unpack, "--no-same-owner"]);
      const top = existsSync(join(unpack, "wp-load.php"))
        ? unpack
        : readdirSync(unpack).map((name) => join(unpack, name)).find((path) => existsSync(join(path, "wp-load.php")));
      if (!top) throw new Error(`${archive} holds no WordPress (no wp-load.php at its top or one folder down)`);
      try {
        renameSync(top, tree);
      } catch (error) {
        if (!existsSync(join(tree, "wp-load.php"))) throw error; // else another run made it first
      }
    } finally {
      rmSync(unpack, { recursive: true, force: true });
    }
    return tree;
  }

  async startMariaDb() {
    const data = join(this.dir, "db");
    this.dbSocket = join(this.dir, "mysql.sock");
    const user = this.isRoot ? ["--user=root"] : [];
    // A throwaway database: small files, no durability.
    const small = ["--innodb-log-file-size=8M", "--innodb-data-file-path=ibdata1:12M:autoextend", "--innodb-doublewrite=0"];
    await run(this.tools.mariadbInstallDb, ["--no-defaults", `--datadir=${data}`, ...user, "--auth-root-authentication-method=normal", "--skip-test-db", ...small]);
    this.mariadb = this.processes.start("mariadb", this.tools.mariadbd, [
      "--no-defaults",
      `--datadir=${data}`,
      `--socket=${this.dbSocket}`,
      `--pid-file=${join(this.dir, "mariadb.pid")}`,
      "--skip-networking",
      "--skip-name-resolve",
      "--innodb-flush-log-at-trx-commit=0",
      "--innodb-buffer-pool-size=128M",
      ...small,
      ...user,
    ]);
    const sql = "CREATE DATABASE wordpress CHARACTER SET utf8mb4; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wordpress.* TO 'wp'@'localhost';";
    await waitFor(
      async () => {
        try {
          await run(this.tools.mariadb, ["--no-defaults", "-S", this.dbSocket, "-u", "root", "-e", sql]);
          return true;
        } catch {
          return false;
        }
      },
      { what: "MariaDB", entry: this.mariadb },
    );
  }

  writeConfig() {
    const salt = () => randomBytes(32).toString("base64");
    const keys = ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"]
      .map((key) => `define('${key}', '${salt()}');`)
      .join("\n");
    const php = (value) => `'${String(value).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    writeFileSync(
      join(this.wpDir, "wp-config.php"),
      `<?php
// Written by bindings/woocommerce/tests/support/shop.mjs for one test run.
define('DB_NAME', 'wordpress');
define('DB_USER', 'wp');
define('DB_PASSWORD', 'wp');
define('DB_HOST', ${php(`localhost:${this.dbSocket}`)});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${keys}
$table_prefix = 'wp_';
// Several servers (nginx + php-fpm, php -S) serve the same site on different ports.
$inpost_qr_host = isset($_SERVER['HTTP_HOST']) && preg_match('/^127\\.0\\.0\\.1:\\d+$/', $_SERVER['HTTP_HOST']) ? $_SERVER['HTTP_HOST'] : ${php(`127.0.0.1:${this.port}`)};
define('WP_HOME', 'http://' . $inpost_qr_host);
define('WP_SITEURL', 'http://' . $inpost_qr_host);
unset($inpost_qr_host);
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', ${php(join(this.logDir, "wp-debug.log"))});
define('WP_DEBUG_DISPLAY', false);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('FS_METHOD', 'direct');
define('WP_ENVIRONMENT_TYPE', 'local');
define('INPOST_QR_TEST_MAIL_DIR', ${php(this.mailDir)});
if (getenv('INPOST_QR_TEST_CONSTANTS') === '1') {
    define('INPOST_QUICK_RETURNS_EMAIL', getenv('INPOST_QR_TEST_EMAIL'));
    define('INPOST_QUICK_RETURNS_PASSWORD', getenv('INPOST_QR_TEST_PASSWORD'));
    define('INPOST_QUICK_RETURNS_BASE_URL', getenv('INPOST_QR_TEST_BASE_URL'));
}
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
`,
    );
    // WordPress offers a site language only when its files are in wp-content/languages; there is
    // no network for language packs here, so pl_PL gets an empty catalogue (WordPress's own strings
    // stay English, the plugin's come from its pl_PL.mo).
    const languages = join(this.wpDir, "wp-content/languages");
    mkdirSync(languages, { recursive: true });
    const emptyMo = Buffer.alloc(28);
    [0x950412de, 0, 0, 28, 28, 0, 28].forEach((value, index) => emptyMo.writeUInt32LE(value, index * 4));
    writeFileSync(join(languages, "pl_PL.mo"), emptyMo);

    const mu = join(this.wpDir, "wp-content/mu-plugins");
    mkdirSync(mu, { recursive: true });
    cpSync(join(HERE, "mu-plugins/inpost-qr-test.php"), join(mu, "inpost-qr-test.php"));
  }

  async startSandbox(args = []) {
    const entry = this.processes.start(`sandbox${args.length ? "-" + this.processes.children.length : ""}`, this.sandboxBin, ["--listen", "127.0.0.1:0", ...args], { stdout: "pipe" });
    const line = await firstLine(entry);
    const match = /^listening on (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
    if (!match) throw new Error(`unexpected first line from the sandbox: ${line}`);
    if (args.length === 0) {
      this.sandbox = entry;
      this.sandboxUrl = match[1];
    }
    return { entry, url: match[1] };
  }

  /** Environment for PHP scripts and PHPUnit that load this WordPress. */
  env(extra = {}) {
    return {
      INPOST_QR_WP_DIR: this.wpDir,
      INPOST_QR_URL: this.url,
      INPOST_QR_SANDBOX_URL: this.sandboxUrl,
      INPOST_QR_SANDBOX_BIN: this.sandboxBin,
      INPOST_QR_MAIL_DIR: this.mailDir,
      INPOST_QR_PLUGIN_ZIP: this.pluginZip,
      INPOST_QR_LOG_DIR: this.logDir,
      ...extra,
    };
  }

  /** Runs a PHP CLI script against this WordPress; returns its stdout (JSON for the fixture script). */
  async php(script, args = [], extraEnv = {}) {
    const { stdout } = await run(this.tools.php, [script, ...args], { env: this.env(extraEnv) });
    return stdout;
  }

  /** One call of support/fixture.php: makes orders, reads meta, runs the sync, … */
  async fixture(command, input = {}, extraEnv = {}) {
    const out = await this.php(join(HERE, "fixture.php"), [command, JSON.stringify(input)], extraEnv);
    try {
      return JSON.parse(out);
    } catch {
      throw new Error(`fixture.php ${command}: not JSON: ${out}`);
    }
  }

  /**
   * nginx in front of php-fpm, as shops run WordPress, with ffi.enable=preload and the plugin's
   * bundled PHP package preloaded (opcache.preload), exactly as the settings page tells shops.
   * As root the master needs opcache.preload_user, and then the library comes in through
   * ffi.preload with a header made by the package's bin/preload-header.php.
   */
  async startFpm() {
    const packageDir = join(this.pluginDir, "vendor/inpost-quick-returns");
    const fpmSocket = join(this.dir, "php-fpm.sock");
    const ini = ["-d", "ffi.enable=preload", "-d", "opcache.enable=1", "-d", `opcache.preload=${join(packageDir, "preload.php")}`];
    if (this.isRoot) {
      const header = join(this.dir, "inpost_quick_returns.preload.h");
      await run(this.tools.php, [join(packageDir, "bin/preload-header.php"), "--out", header]);
      ini.push("-d", "opcache.preload_user=root", "-d", `ffi.preload=${header}`);
    }
    writeFileSync(
      join(this.dir, "php-fpm.conf"),
      `[global]
pid = ${join(this.dir, "php-fpm.pid")}
error_log = ${join(this.logDir, "php-fpm-master.log")}
daemonize = no

[www]
listen = ${fpmSocket}
pm = static
pm.max_children = 4
clear_env = no
catch_workers_output = yes
php_admin_value[error_log] = ${join(this.logDir, "php-fpm-errors.log")}
php_admin_flag[log_errors] = on
`,
    );
    this.fpm = this.processes.start("php-fpm", this.tools.phpFpm, ["--nodaemonize", "-y", join(this.dir, "php-fpm.conf"), ...(this.isRoot ? ["-R"] : []), ...ini]);
    await waitFor(() => existsSync(fpmSocket), { what: "php-fpm's socket", entry: this.fpm });

    const nginxDir = join(this.dir, "nginx");
    mkdirSync(nginxDir);
    writeFileSync(
      join(nginxDir, "nginx.conf"),
      `${this.isRoot ? "user root;\n" : ""}worker_processes 2;
pid ${join(nginxDir, "nginx.pid")};
error_log ${join(this.logDir, "nginx-error.log")};
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log ${join(this.logDir, "nginx-access.log")};
  client_body_temp_path ${nginxDir}/body;
  fastcgi_temp_path ${nginxDir}/fastcgi;
  proxy_temp_path ${nginxDir}/proxy;
  scgi_temp_path ${nginxDir}/scgi;
  uwsgi_temp_path ${nginxDir}/uwsgi;
  client_max_body_size 64m;
  server {
    listen 127.0.0.1:${this.port};
    root ${this.wpDir};
    index index.php;
    location / { try_files $uri $uri/ /index.php?$args; }
    location ~ \\.php$ {
      try_files $uri =404;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      # Debian's fastcgi_params pass HTTP_HOST without the port; WordPress needs it here.
      fastcgi_param HTTP_HOST $host:$server_port;
      fastcgi_pass unix:${fpmSocket};
      fastcgi_read_timeout 120s;
    }
  }
}
`,
    );
    this.nginx = this.processes.start("nginx", this.tools.nginx, ["-p", nginxDir, "-c", join(nginxDir, "nginx.conf"), "-g", "daemon off;"]);
    await waitFor(() => answers(`${this.url}/wp-login.php`), { what: "nginx + php-fpm", entry: this.nginx, timeoutMs: 60000 });
  }

  /**
   * PHP's built-in server on its own port (PHP_CLI_SERVER_WORKERS lets it answer requests in
   * parallel). ini: e.g. ['-d', 'ffi.enable=preload'] — FFI restricted and nothing preloaded,
   * which is what a shop's php-fpm looks like before the setup the settings page explains.
   */
  async startBuiltinServer(name, ini) {
    const port = await freePort();
    const entry = this.processes.start(name, this.tools.php, [...ini, "-S", `127.0.0.1:${port}`, "-t", this.wpDir], {
      env: { PHP_CLI_SERVER_WORKERS: "4" },
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(() => answers(`${url}/wp-login.php`), { what: `php -S (${name})`, entry });
    return { entry, url };
  }

  /** PHP errors the servers and WordPress logged (fatal errors, and anything naming the plugin). */
  phpProblems() {
    const problems = [];
    for (const name of ["wp-debug.log", "php-fpm-errors.log", "php-fpm.log"]) {
      const path = join(this.logDir, name);
      if (!existsSync(path)) continue;
      for (const line of readFileSync(path, "utf8").split("\n")) {
        if (/PHP Fatal error|PHP Parse error|Uncaught/.test(line) || (/PHP (Warning|Notice|Deprecated)/.test(line) && /inpost-quick-returns/.test(line))) {
          problems.push(`${name}: ${line}`);
        }
      }
    }
    return problems;
  }

  async stop({ failed = false } = {}) {
    if (this.processes) await this.processes.stopAll();
    if (!this.dir) return;
    if (this.keep || (failed && process.env.INPOST_QR_KEEP_ON_FAILURE === "1")) {
      console.log(`kept the shop's folder: ${this.dir}`);
    } else {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

