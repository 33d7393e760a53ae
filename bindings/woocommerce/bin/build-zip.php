<?php
/**
 * Builds the plugin's installable zip (wp-admin → Plugins → Add New → Upload Plugin):
 *
 *     php bindings/woocommerce/bin/build-zip.php --out target/woocommerce/inpost-quick-returns.zip \
 *         [--php-package bindings/php]
 *
 * The zip holds one folder, inpost-quick-returns/: the plugin, the repository's licence texts,
 * its translations compiled with msgfmt, and the PHP package under vendor/inpost-quick-returns/
 * with everything in the package's lib/ (the native library for this machine after
 * `make php-lib`; with `make dist`, the release PHP package and its library for every platform in
 * lib/<platform>/). Entries are sorted and dated SOURCE_DATE_EPOCH (default: 2026-01-01), so the
 * same inputs give the same zip.
 *
 * @package InPostQuickReturns
 */

declare(strict_types=1);

const SLUG = 'inpost-quick-returns';

// libzip writes each date as local time: in UTC, the zip is the same in every time zone.
putenv('TZ=UTC');

$options = getopt('', ['out:', 'php-package:']);
$plugin = dirname(__DIR__);
$package = realpath((string) ($options['php-package'] ?? $plugin . '/../php'));
$out = (string) ($options['out'] ?? '');
if ($out === '' || $package === false) {
    fwrite(STDERR, "usage: php build-zip.php --out FILE.zip [--php-package DIR]\n");
    exit(2);
}

/** @return list<string> files under $dir, relative to it, sorted */
function files_under(string $dir): array
{
    $files = [];
    $iterator = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS));
    foreach ($iterator as $file) {
        if ($file->isFile()) {
            $files[] = substr($file->getPathname(), strlen($dir) + 1);
        }
    }
    sort($files, SORT_STRING);

    return $files;
}

function fail(string $message): never
{
    fwrite(STDERR, "build-zip: {$message}\n");
    exit(1);
}

// Plugin files: everything but the development-only folders.
$entries = [];
foreach (files_under($plugin) as $relative) {
    if (preg_match('~^(tests|bin|docs|node_modules|vendor)/|^languages/.*\.mo$|^\.~', $relative) === 1) {
        continue;
    }
    $entries[SLUG . '/' . $relative] = $plugin . '/' . $relative;
}
// The licence texts the header's "License: MIT OR Apache-2.0" refers to.
foreach (['LICENSE-MIT', 'LICENSE-APACHE'] as $license) {
    $file = dirname($plugin, 2) . '/' . $license;
    if (!is_file($file)) {
        fail("no {$license} at the repository's top ({$file})");
    }
    $entries[SLUG . '/' . $license] = $file;
}

// One version: the header's, the constant's and, for a release package, the package's.
$main = (string) file_get_contents($plugin . '/' . SLUG . '.php');
preg_match('/^ \* Version:\s*(\S+)$/m', $main, $header);
preg_match("/define\\( 'INPOST_QR_PLUGIN_VERSION', '([^']+)' \\)/", $main, $constant);
$packageVersion = json_decode((string) file_get_contents($package . '/composer.json'), true)['version'] ?? null;
if (($header[1] ?? null) === null || ($header[1] ?? null) !== ($constant[1] ?? null)
    || ($packageVersion !== null && $packageVersion !== $header[1])) {
    fail(sprintf('versions differ: plugin header %s, INPOST_QR_PLUGIN_VERSION %s, PHP package %s',
        $header[1] ?? '(none)', $constant[1] ?? '(none)', $packageVersion ?? '(none)'));
}

// The PHP package, as a library: its sources, preload and loader, and lib/ with the native libraries.
$libraries = 0;
foreach (files_under($package) as $relative) {
    if (preg_match('~^(src|bin|lib)/|^(autoload\.php|preload\.php|composer\.json|README\.md|LICENSE-[A-Z]+)$~', $relative) !== 1) {
        continue;
    }
    if (str_ends_with($relative, '.preload.h')) {
        continue; // It names the library by an absolute path of the machine that built it.
    }
    if (preg_match('~^lib/(.*/)?(libinpost_quick_returns\.(so|dylib)|inpost_quick_returns\.dll)$~', $relative) === 1) {
        ++$libraries;
    }
    $entries[SLUG . '/vendor/inpost-quick-returns/' . $relative] = $package . '/' . $relative;
}
if ($libraries === 0) {
    fail("no native library in {$package}/lib: run `make php-lib` (or unpack a release PHP package) first");
}
if (!is_file($package . '/lib/inpost_quick_returns.h') && glob($package . '/lib/*/inpost_quick_returns.h') === []) {
    fail("no C header in {$package}/lib: run `make php-lib` first");
}

// Translations: each .po compiled into a .mo beside it.
$temp = sys_get_temp_dir() . '/inpost-qr-mo-' . bin2hex(random_bytes(4));
mkdir($temp);
foreach (glob($plugin . '/languages/*.po') ?: [] as $po) {
    $mo = $temp . '/' . basename($po, '.po') . '.mo';
    $command = 'msgfmt --check --output-file=' . escapeshellarg($mo) . ' ' . escapeshellarg($po) . ' 2>&1';
    exec($command, $output, $status);
    if ($status !== 0) {
        fail('msgfmt failed for ' . basename($po) . ': ' . implode("\n", $output));
    }
    $entries[SLUG . '/languages/' . basename($mo)] = $mo;
}
ksort($entries, SORT_STRING);

if (!is_dir(dirname($out)) && !mkdir(dirname($out), 0777, true)) {
    fail('cannot create ' . dirname($out));
}
$partial = $out . '.partial';
@unlink($partial);
$zip = new ZipArchive();
if ($zip->open($partial, ZipArchive::CREATE | ZipArchive::EXCL) !== true) {
    fail("cannot create {$partial}");
}
$epoch = (int) (getenv('SOURCE_DATE_EPOCH') ?: 1767225600);
$dirs = [];
foreach ($entries as $name => $source) {
    for ($dir = dirname($name); $dir !== '.' && !isset($dirs[$dir]); $dir = dirname($dir)) {
        $dirs[$dir] = true;
    }
}
ksort($dirs, SORT_STRING);
foreach (array_keys($dirs) as $dir) {
    $zip->addEmptyDir($dir);
    $zip->setMtimeName($dir . '/', $epoch);
    $zip->setExternalAttributesName($dir . '/', ZipArchive::OPSYS_UNIX, (040755 << 16));
}
foreach ($entries as $name => $source) {
    $zip->addFile($source, $name);
    $zip->setMtimeName($name, $epoch);
    $mode = is_executable($source) && !str_ends_with($name, '.php') ? 0100755 : 0100644;
    $zip->setExternalAttributesName($name, ZipArchive::OPSYS_UNIX, $mode << 16);
}
if (!$zip->close()) {
    fail("cannot write {$partial}");
}
foreach (glob($temp . '/*') ?: [] as $file) {
    unlink($file);
}
rmdir($temp);
rename($partial, $out);
printf("%s: %d files, %d native librar%s, %.1f MB\n", $out, count($entries), $libraries, $libraries === 1 ? 'y' : 'ies', filesize($out) / 1e6);
