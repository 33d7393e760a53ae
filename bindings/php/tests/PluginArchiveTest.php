<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Platform;
use InPost\QuickReturns\Tests\Support\PhpServer;
use InPost\QuickReturns\Tests\Support\ReleaseZips;
use PHPUnit\Framework\TestCase;

/**
 * The WooCommerce plugin zip of `make dist` / `make dist-host`, as wp-admin's Upload Plugin gets
 * it: the plugin with the release PHP package (every platform's library) under
 * vendor/inpost-quick-returns/, and the plugin's own loader (bindings/woocommerce/src/Library.php)
 * finding this machine's library in the unpacked zip, with no repository around, the way the PHP
 * package does: lib/<platform>/, INPOST_QUICK_RETURNS_LIB, and the preload lines the plugin's
 * settings page prints. Runs when INPOST_QUICK_RETURNS_DIST is set (scripts/dist/test-archive.sh).
 * The plugin inside WordPress is `make test-woocommerce`'s job.
 */
final class PluginArchiveTest extends TestCase
{
    use ReleaseZips;

    private const PACKAGE = 'vendor/inpost-quick-returns';

    /** The plugin's Library class with the two WordPress functions it calls, printing its server check. */
    private const DIAGNOSTICS = <<<'PHP'
        <?php
        define('ABSPATH', __DIR__ . '/');
        define('INPOST_QR_PLUGIN_DIR', __DIR__ . '/plugins/inpost-quick-returns/');
        function __($text, $domain = null) { return $text; }
        require INPOST_QR_PLUGIN_DIR . 'src/Library.php';
        echo json_encode(\InPost\QuickReturns\WooCommerce\Library::diagnostics(), JSON_UNESCAPED_SLASHES);
        PHP;

    private static ?string $unpacked = null;

    private static function plugin(): \ZipArchive
    {
        return self::openZip('inpost-quick-returns-woocommerce-*.zip');
    }

    /** The zip unpacked once into <temp>/plugins/inpost-quick-returns/, beside the runner script. */
    private static function unpacked(): string
    {
        if (self::$unpacked === null) {
            $dir = sys_get_temp_dir() . '/inpost-qr-plugin-' . bin2hex(random_bytes(6));
            mkdir($dir . '/plugins', 0755, true);
            chmod($dir, 0755);
            self::assertTrue(self::plugin()->extractTo($dir . '/plugins'));
            file_put_contents($dir . '/index.php', self::DIAGNOSTICS);
            self::$unpacked = $dir;
        }

        return self::$unpacked;
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$unpacked !== null) {
            exec('rm -rf ' . escapeshellarg(self::$unpacked));
            self::$unpacked = null;
        }
    }

    /**
     * The server check of the unpacked plugin, from the command line.
     *
     * @param array<string, string> $env on top of this process's, without INPOST_QUICK_RETURNS_LIB
     *
     * @return array{ok: bool, version: string, source: string, error: string, facts: array<string, string>, ini: string, header_command: string}
     */
    private static function diagnostics(array $env = []): array
    {
        $environment = getenv();
        unset($environment['INPOST_QUICK_RETURNS_LIB'], $environment['INPOST_QUICK_RETURNS_HEADER']);
        $process = proc_open([\PHP_BINARY, self::unpacked() . '/index.php'], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env + $environment);
        self::assertIsResource($process);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        proc_close($process);
        $report = json_decode($out, true);
        self::assertIsArray($report, $out . $err);

        return $report;
    }

    private static function hostLibrary(): string
    {
        return self::unpacked() . '/plugins/inpost-quick-returns/' . self::PACKAGE . '/lib/' . Platform::current() . '/' . Platform::libraryFileName();
    }

    public function testHoldsThePluginAndTheReleasePackage(): void
    {
        $zip = self::plugin();
        $names = array_keys(self::entries($zip, $top));
        self::assertSame('inpost-quick-returns', $top, 'wp-admin installs the zip\'s top folder as the plugin folder');
        foreach (['inpost-quick-returns.php', 'functions.php', 'uninstall.php', 'src/Library.php', 'LICENSE-MIT', 'LICENSE-APACHE',
            'languages/inpost-quick-returns-pl_PL.mo', self::PACKAGE . '/src/Core.php', self::PACKAGE . '/preload.php',
            self::PACKAGE . '/bin/preload-header.php', self::PACKAGE . '/lib/inpost_quick_returns.h'] as $needed) {
            self::assertContains($needed, $names);
        }
        foreach ($names as $name) {
            self::assertDoesNotMatchRegularExpression('~^(tests|bin|docs|node_modules)/|\.preload\.h$~', $name, 'development files stay out');
        }

        // The vendored package is the release archive, byte for byte.
        $archive = self::openZip('inpost-quick-returns-php-*.zip');
        $archiveFiles = array_filter(array_keys(self::entries($archive, $archiveTop)), static fn (string $n): bool => $n !== '' && !str_ends_with($n, '/'));
        self::assertNotEmpty($archiveFiles);
        foreach ($archiveFiles as $name) {
            self::assertSame($archive->getFromName("{$archiveTop}/{$name}"), $zip->getFromName("{$top}/" . self::PACKAGE . "/{$name}"), $name);
        }
        $vendored = array_filter($names, static fn (string $n): bool => str_starts_with($n, self::PACKAGE . '/') && !str_ends_with($n, '/'));
        self::assertCount(\count($archiveFiles), $vendored);

        // One version everywhere, and a licence wordpress.org accepts (MIT is GPL-compatible).
        $main = (string) $zip->getFromName("{$top}/inpost-quick-returns.php");
        $version = json_decode((string) $archive->getFromName("{$archiveTop}/composer.json"), true)['version'];
        self::assertSame(1, preg_match('/^ \* Version:\s+' . preg_quote($version, '/') . '$/m', $main), "plugin header Version {$version}");
        self::assertStringEndsWith("-{$version}.zip", self::zipPath('inpost-quick-returns-woocommerce-*.zip'));
        self::assertSame(1, preg_match('/^ \* License:\s+MIT OR Apache-2\.0$/m', $main));
    }

    /** Every platform's library, each built for the folder it is in. */
    public function testCarriesEveryPlatformsLibrary(): void
    {
        $zip = self::plugin();
        self::entries($zip, $top);
        self::assertContains(Platform::current(), self::assertLibrariesMatchTheirFolders($zip, $top, self::PACKAGE . '/lib'));
    }

    public function testIsDatedSourceDateEpoch(): void
    {
        self::assertDatedSourceDateEpoch(self::plugin());
    }

    public function testThePluginLoadsThisMachinesLibraryFromTheUnpackedZip(): void
    {
        $report = self::diagnostics();
        self::assertTrue($report['ok'], $report['error']);
        self::assertSame(realpath(self::hostLibrary()), $report['source']);
        self::assertSame(Platform::current(), $report['facts']['Platform'] ?? null);
        self::assertStringContainsString(Platform::current(), $report['facts']['Libraries in the package'] ?? '');
    }

    public function testInpostQuickReturnsLibOverridesTheBundledLibrary(): void
    {
        $copy = sys_get_temp_dir() . '/inpost-qr-override-' . bin2hex(random_bytes(4)) . '.so';
        copy(self::hostLibrary(), $copy);
        try {
            $report = self::diagnostics(['INPOST_QUICK_RETURNS_LIB' => $copy]);
            self::assertTrue($report['ok'], $report['error']);
            self::assertSame($copy, $report['source']);
            self::assertSame($copy, $report['facts']['INPOST_QUICK_RETURNS_LIB'] ?? null);
        } finally {
            unlink($copy);
        }
    }

    /**
     * The preload lines the settings page prints (php-fpm's setup: ffi.enable=preload), used as
     * printed, give PHP's built-in server, which restricts FFI exactly like php-fpm, the library
     * of the unpacked zip through the preload.
     */
    public function testThePrintedPreloadLinesWorkFromTheUnpackedZip(): void
    {
        $report = self::diagnostics();
        $package = self::unpacked() . '/plugins/inpost-quick-returns/' . self::PACKAGE;
        self::assertStringContainsString("opcache.preload={$package}/preload.php", $report['ini']);
        $root = posix_geteuid() === 0;
        $header = sys_get_temp_dir() . '/inpost-qr-plugin-preload-' . bin2hex(random_bytes(4)) . '.h';
        $ini = [];
        foreach (explode("\n", $report['ini']) as $line) {
            if ($line === '' || str_starts_with($line, ';')) {
                continue;
            }
            [$name, $value] = explode('=', $line, 2);
            if (\in_array($name, ['opcache.preload_user', 'ffi.preload'], true) && !$root) {
                continue; // printed for a master running as root; as another user preload.php loads the library itself
            }
            if ($name === 'opcache.preload_user') {
                $value = 'root'; // the server below runs as root; www-data could not read the temporary folder
            } elseif ($name === 'ffi.preload') {
                $value = $header;
            }
            array_push($ini, '-d', "{$name}={$value}");
        }
        // PhpServer serves index.php from its own folder: the plugin is named by absolute path.
        $script = str_replace("__DIR__ . '/plugins/", var_export(self::unpacked() . '/plugins/', true) . " . '", self::DIAGNOSTICS);
        $saved = getenv('INPOST_QUICK_RETURNS_LIB');
        putenv('INPOST_QUICK_RETURNS_LIB'); // the server inherits the environment: the plugin must find its library itself
        try {
            if ($root) {
                // The printed command, writing to a temporary file instead of /etc/php.
                exec(str_replace('/etc/php/inpost_quick_returns.preload.h', escapeshellarg($header), $report['header_command']) . ' 2>&1', $output, $status);
                self::assertSame(0, $status, implode("\n", $output));
                self::assertStringContainsString('#define FFI_LIB "' . realpath(self::hostLibrary()) . '"', (string) file_get_contents($header));
            }
            $server = new PhpServer($ini, $script);
            $body = $server->get();
        } finally {
            putenv($saved === false ? 'INPOST_QUICK_RETURNS_LIB' : "INPOST_QUICK_RETURNS_LIB={$saved}");
            @unlink($header);
        }
        $answer = json_decode($body, true);
        self::assertIsArray($answer, $body . $server->log());
        self::assertTrue($answer['ok'], $answer['error'] . $server->log());
        self::assertSame('scope:INPOST_QUICK_RETURNS', $answer['source']);
    }
}
