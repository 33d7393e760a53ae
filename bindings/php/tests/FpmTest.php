<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Core;
use InPost\QuickReturns\Platform;
use InPost\QuickReturns\Tests\Support\FastCgi;
use InPost\QuickReturns\Tests\Support\PhpServer;
use PHPUnit\Framework\TestCase;

/**
 * Debian's php-fpm with the README's preload setup, serving real FastCGI requests, while the
 * library is upgraded the documented way: a new file renamed over the old one, then
 * `kill -USR2` (php-fpm's reload). No request may fail, before, during or after, and after the
 * reload the workers run the new file.
 *
 * The package is deployed like a shop's vendor/inpost/quick-returns: a copy of the package under
 * test (this checkout, or the unpacked release archive) with the library in lib/<platform>/.
 * As root (CI), the master runs as root and the workers as www-data, with opcache.preload_user
 * and ffi.preload, exactly as the README says; otherwise preload.php loads it with FFI::load().
 */
final class FpmTest extends TestCase
{
    private const LOADERS = 6;

    private string $root = '';
    /** @var resource|null */
    private $fpm = null;
    /** @var list<resource> */
    private array $loaders = [];

    protected function tearDown(): void
    {
        foreach ($this->loaders as $loader) {
            proc_terminate($loader);
            proc_close($loader);
        }
        $this->loaders = [];
        if (\is_resource($this->fpm)) {
            $pid = proc_get_status($this->fpm)['pid'];
            proc_terminate($this->fpm, 3); // SIGQUIT: php-fpm's graceful stop; it ends its workers
            $deadline = microtime(true) + 10;
            while (proc_get_status($this->fpm)['running'] && microtime(true) < $deadline) {
                usleep(50000);
            }
            if (proc_get_status($this->fpm)['running']) {
                exec("pkill -KILL -P {$pid}");
                proc_terminate($this->fpm, 9);
            }
            proc_close($this->fpm);
            $this->fpm = null;
        }
        if ($this->root !== '') {
            exec('rm -rf ' . escapeshellarg($this->root));
        }
    }

    private static function fpmBinary(): string
    {
        $version = \PHP_MAJOR_VERSION . '.' . \PHP_MINOR_VERSION;
        foreach (["/usr/sbin/php-fpm{$version}", \dirname(\PHP_BINARY, 2) . '/sbin/php-fpm'] as $candidate) {
            if (is_file($candidate) && is_executable($candidate)) {
                return $candidate;
            }
        }
        self::fail("php-fpm for PHP {$version} is needed: apt-get install php{$version}-fpm (make php-deps does)");
    }

    private static function isRoot(): bool
    {
        return \function_exists('posix_geteuid') ? posix_geteuid() === 0 : trim((string) shell_exec('id -u')) === '0';
    }

    /** A shop's vendor/inpost/quick-returns, from the package under test and its library. */
    private function deploy(): string
    {
        $package = \dirname(Core::libDir());
        $vendor = "{$this->root}/shop/vendor/inpost/quick-returns";
        mkdir("{$vendor}/lib/" . Platform::current(), 0755, true);
        foreach (['autoload.php', 'preload.php', 'composer.json'] as $file) {
            copy("{$package}/{$file}", "{$vendor}/{$file}");
        }
        exec('cp -r ' . escapeshellarg("{$package}/src") . ' ' . escapeshellarg("{$package}/bin") . ' ' . escapeshellarg("{$vendor}/"), $out, $status);
        self::assertSame(0, $status);
        $header = is_file(Core::libDir() . '/' . Core::HEADER_FILE) ? Core::libDir() . '/' . Core::HEADER_FILE : \dirname($package, 2) . '/include/' . Core::HEADER_FILE;
        copy($header, "{$vendor}/lib/" . Core::HEADER_FILE);
        $library = (string) realpath((string) getenv(Core::LIBRARY_ENV));
        self::assertFileExists($library);
        copy($library, "{$vendor}/lib/" . Platform::current() . '/' . Platform::libraryFileName());
        exec('chmod -R a+rX ' . escapeshellarg($this->root));

        return $vendor;
    }

    /**
     * The temporary folder with the shop (vendor/ and www/index.php); returns the vendor folder.
     */
    private function shop(): string
    {
        if (\PHP_OS_FAMILY !== 'Linux') {
            self::markTestSkipped('php-fpm with /proc: Linux only');
        }
        $this->root = sys_get_temp_dir() . '/inpost-qr-fpm-' . bin2hex(random_bytes(6));
        mkdir($this->root, 0755);
        mkdir("{$this->root}/fpm/conf.d", 0755, true); // empty: only php.ini below counts
        mkdir("{$this->root}/etc", 0755);
        mkdir("{$this->root}/www", 0755);
        $vendor = $this->deploy();
        // The request: the shop's autoloader, a request built and an answer parsed by the library,
        // and which file of the library this worker has mapped (its inode).
        $autoload = var_export("{$vendor}/autoload.php", true);
        file_put_contents("{$this->root}/www/index.php", <<<PHP
            <?php
            require {$autoload};
            header('Content-Type: application/json');
            try {
                \$core = new \\InPost\\QuickReturns\\Core();
                \$request = \$core->buildRequest('getReport', ['baseUrl' => 'http://127.0.0.1:8787/', 'email' => 'a@b.pl', 'password' => 'x'], ['used' => true]);
                \$value = \$core->parseResponse('invalidateCode', 200, '<?xml version="1.0" encoding="UTF-8"?><paczkomaty><valid>false</valid></paczkomaty>');
                \$inode = null;
                foreach (file('/proc/self/maps') as \$line) {
                    if (str_contains(\$line, 'libinpost_quick_returns')) {
                        \$inode = (int) preg_split('/\\s+/', \$line)[4];
                        break;
                    }
                }
                echo json_encode(['source' => \$core->source(), 'valid' => \$value['valid'], 'inode' => \$inode, 'pid' => getmypid(), 'url' => \$request['url']]);
            } catch (\\Throwable \$e) {
                http_response_code(500);
                echo json_encode(['error' => get_class(\$e), 'message' => \$e->getMessage()]);
            }
            PHP);


        return $vendor;
    }

    public function testServesEveryRequestAcrossALibraryUpgradeAndReload(): void
    {
        $vendor = $this->shop();
        $library = "{$vendor}/lib/" . Platform::current() . '/' . Platform::libraryFileName();
        $root = self::isRoot();

        // README, php-fpm section: the preload settings (and, as root, the preload header).
        $ini = ['ffi.enable=preload', 'opcache.enable=1', "opcache.preload={$vendor}/preload.php"];
        if ($root) {
            $header = "{$this->root}/etc/inpost_quick_returns.preload.h";
            // As a shop runs it: no INPOST_QUICK_RETURNS_LIB, the header names the vendor's library.
            exec('env -u ' . Core::LIBRARY_ENV . ' ' . escapeshellarg(\PHP_BINARY) . ' ' . escapeshellarg("{$vendor}/bin/preload-header.php") . ' --out ' . escapeshellarg($header) . ' 2>&1', $out, $status);
            self::assertStringContainsString("#define FFI_LIB \"{$library}\"", (string) file_get_contents($header));
            self::assertSame(0, $status, implode("\n", $out));
            array_push($ini, 'opcache.preload_user=www-data', "ffi.preload={$header}");
        }
        [$socket, $master] = $this->startFpm($ini);
        $log = fn (): string => $this->log();

        // The library's inode as the worker's /proc/self/maps shows it (on overlayfs it is not the
        // one stat() shows, and a renamed-over file is not marked "(deleted)").
        $first = $this->waitForAnswer($socket, static fn (array $a): bool => true, $log);
        self::assertSame('scope:INPOST_QUICK_RETURNS', $first['source'] ?? null, json_encode($first) . $log());
        self::assertIsInt($first['inode'], 'the worker maps the deployed library');
        $old = $first['inode'];

        // Load: clients sending requests one after another, until told to stop (bounded anyway).
        $stop = "{$this->root}/stop";
        for ($i = 0; $i < self::LOADERS; $i++) {
            $process = proc_open([\PHP_BINARY, __DIR__ . '/Support/fcgi-load.php', "unix://{$socket}", "{$this->root}/www/index.php", $stop, "{$this->root}/load-{$i}.json", '60', '20000'],
                [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', "{$this->root}/load-{$i}.err", 'w']], $pipes);
            self::assertIsResource($process);
            $this->loaders[] = $process;
        }
        usleep(1_500_000);

        // The upgrade, as documented: the new library is written beside the old one and renamed
        // over it (never copied over it in place); the running workers keep the old file mapped.
        $new = \dirname($library) . '/.' . basename($library) . '.new';
        copy((string) realpath((string) getenv(Core::LIBRARY_ENV)), $new);
        chmod($new, 0644);
        self::assertTrue(rename($new, $library));
        $stale = $this->waitForAnswer($socket, static fn (array $a): bool => true, $log);
        self::assertSame($old, $stale['inode'], 'until the reload, workers keep the old, renamed-over file');
        usleep(1_500_000);

        // The reload: php-fpm re-executes itself, preloads the new file and starts new workers.
        self::assertTrue(posix_kill($master, \SIGUSR2));
        $after = $this->waitForAnswer($socket, static fn (array $a): bool => ($a['inode'] ?? $old) !== $old, $log);
        self::assertSame('scope:INPOST_QUICK_RETURNS', $after['source']);
        $upgraded = $after['inode'];
        self::assertNotSame($old, $upgraded, 'after the reload, workers map the new file');
        usleep(1_500_000);

        touch($stop);
        $total = ['ok' => 0, 'failed' => 0, 'inodes' => [], 'failures' => []];
        foreach ($this->loaders as $i => $loader) {
            $deadline = microtime(true) + 30;
            while (proc_get_status($loader)['running'] && microtime(true) < $deadline) {
                usleep(50000);
            }
            $summary = json_decode((string) @file_get_contents("{$this->root}/load-{$i}.json"), true);
            self::assertIsArray($summary, "load client {$i}: " . @file_get_contents("{$this->root}/load-{$i}.err"));
            $total['ok'] += $summary['ok'];
            $total['failed'] += $summary['failed'];
            $total['failures'] = array_merge($total['failures'], $summary['failures']);
            foreach ($summary['inodes'] as $inode => $count) {
                $total['inodes'][$inode] = ($total['inodes'][$inode] ?? 0) + $count;
            }
        }

        $report = json_encode($total) . "\n" . $log();
        self::assertSame(0, $total['failed'], "failed requests across the upgrade and reload: {$report}");
        self::assertGreaterThan(300, $total['ok'], $report);
        self::assertGreaterThan(0, $total['inodes'][(string) $old] ?? 0, "requests served by the old library: {$report}");
        self::assertGreaterThan(0, $total['inodes'][(string) $upgraded] ?? 0, "requests served by the new library: {$report}");
        self::assertSame([(string) $old, (string) $upgraded], array_map('strval', array_keys($total['inodes'])), $report);
        self::assertDoesNotMatchRegularExpression('/SIGBUS|SIGSEGV|SIGILL|exited on signal|Fatal error/', $log(), $log());
        self::assertStringContainsString('Reloading in progress', $log(), 'php-fpm logged the reload');
    }

    /**
     * Starts a private php-fpm master (its own php.ini, config, pid, log and socket in the
     * temporary folder; conf.d not read) in the foreground.
     *
     * @param list<string> $ini php.ini lines besides the extensions
     *
     * @return array{0: string, 1: int} the socket, the master's pid
     */
    private function startFpm(array $ini, string $poolExtra = ''): array
    {
        $base = PhpServer::baseIni();
        for ($i = 1; $i < \count($base); $i += 2) {
            $ini[] = $base[$i];
        }
        file_put_contents("{$this->root}/fpm/php.ini", implode("\n", $ini) . "\n");
        $socket = "{$this->root}/fpm/php-fpm.sock";
        $user = self::isRoot() ? "user = www-data\ngroup = www-data\nlisten.owner = root\nlisten.group = root\nlisten.mode = 0660\n" : '';
        file_put_contents("{$this->root}/fpm/php-fpm.conf", <<<CONF
            [global]
            pid = {$this->root}/fpm/php-fpm.pid
            error_log = {$this->root}/fpm/error.log
            daemonize = no
            process_control_timeout = 20s

            [shop]
            {$user}listen = {$socket}
            pm = static
            pm.max_children = 4
            ; workers are recycled during the test too
            pm.max_requests = 150
            catch_workers_output = yes
            {$poolExtra}
            CONF);

        $this->fpm = proc_open([self::fpmBinary(), '-F', '-c', "{$this->root}/fpm/php.ini", '-y', "{$this->root}/fpm/php-fpm.conf"],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', "{$this->root}/fpm/stdout.log", 'w'], 2 => ['file', "{$this->root}/fpm/stdout.log", 'a']],
            $pipes, null, ['PHP_INI_SCAN_DIR' => "{$this->root}/fpm/conf.d", 'PATH' => (string) getenv('PATH')]);
        self::assertIsResource($this->fpm);

        return [$socket, proc_get_status($this->fpm)['pid']];
    }

    private function log(): string
    {
        return (string) @file_get_contents("{$this->root}/fpm/error.log") . (string) @file_get_contents("{$this->root}/fpm/stdout.log");
    }

    /**
     * opcache.preload in a pool's php_admin_value shows in ini_get() but never runs (preloading
     * happens when the master starts): Core says so instead of asking to set it.
     */
    public function testPreloadSetInAPoolIsExplainedAsNotInEffect(): void
    {
        $vendor = $this->shop();
        [$socket] = $this->startFpm(['ffi.enable=preload', 'opcache.enable=1'], "php_admin_value[opcache.preload] = {$vendor}/preload.php");

        $answer = $this->waitForAnswer($socket, static fn (array $a): bool => true, fn (): string => $this->log());

        self::assertSame('InPost\QuickReturns\Exception\UsageException', $answer['error'] ?? null, json_encode($answer));
        self::assertStringContainsString('ffi.enable=preload, SAPI fpm-fcgi', $answer['message']);
        self::assertStringContainsString("opcache.preload={$vendor}/preload.php is set but not in effect: it did not run in this process.", $answer['message']);
        self::assertStringContainsString("not from a pool's php_admin_value", $answer['message']);
    }

    /**
     * Polls the pool until an answer satisfies `$done` (10 s at most).
     *
     * @param callable(array<string, mixed>): bool $done
     * @param callable(): string                   $log
     *
     * @return array<string, mixed>
     */
    private function waitForAnswer(string $socket, callable $done, callable $log): array
    {
        $deadline = microtime(true) + 10;
        $last = 'no answer';
        while (microtime(true) < $deadline) {
            if (\is_resource($this->fpm) && !proc_get_status($this->fpm)['running']) {
                self::fail('php-fpm exited: ' . $log());
            }
            try {
                $response = FastCgi::get("unix://{$socket}", "{$this->root}/www/index.php", 5);
                $answer = json_decode($response['body'], true);
                if (\is_array($answer) && $done($answer)) {
                    return $answer;
                }
                $last = "HTTP {$response['status']}: {$response['body']}";
            } catch (\RuntimeException $e) {
                $last = $e->getMessage();
            }
            usleep(100000);
        }
        self::fail("php-fpm gave no expected answer in 10 s (last: {$last})\n" . $log());
    }
}
