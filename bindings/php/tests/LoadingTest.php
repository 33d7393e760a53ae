<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Core;
use InPost\QuickReturns\Tests\Support\PhpServer;
use PHPUnit\Framework\TestCase;

/**
 * How the library gets loaded in real PHP processes: FFI disabled, FFI restricted to preloaded
 * code (php-fpm's default, reproduced with the built-in server), and opcache preloading.
 */
final class LoadingTest extends TestCase
{
    private const PACKAGE = __DIR__ . '/..';

    /** index.php for the servers: loads the package, reports where the library came from. */
    private static function script(): string
    {
        $autoload = var_export(realpath(self::PACKAGE . '/autoload.php'), true);

        return <<<PHP
            <?php
            require {$autoload};
            try {
                \$core = new \\InPost\\QuickReturns\\Core();
                \$request = \$core->buildRequest('getReport', ['baseUrl' => 'http://127.0.0.1:8787/', 'email' => 'a@b.pl', 'password' => 'x'], []);
                echo json_encode(['source' => \$core->source(), 'url' => \$request['url']]);
            } catch (\\Throwable \$e) {
                echo json_encode(['error' => get_class(\$e), 'message' => \$e->getMessage()]);
            }
            PHP;
    }

    /** @return array<string, string> */
    private static function answer(PhpServer $server): array
    {
        $body = $server->get();
        $answer = json_decode($body, true);
        self::assertIsArray($answer, "server answered: {$body}\nlog: {$server->log()}");

        return $answer;
    }

    public function testDisabledFfiSaysWhatToSet(): void
    {
        $command = array_merge([\PHP_BINARY, '-n'], PhpServer::baseIni(), ['-d', 'ffi.enable=0', '-r',
            'require ' . var_export(realpath(self::PACKAGE . '/autoload.php'), true) . ';'
            . ' try { new InPost\QuickReturns\Core(); echo "loaded"; } catch (InPost\QuickReturns\Exception\UsageException $e) { echo $e->getMessage(); }']);
        $output = self::runCommand($command);

        self::assertStringContainsString('PHP FFI is disabled (ffi.enable=0)', $output);
        self::assertStringContainsString('ffi.enable=true', $output);
        self::assertStringContainsString('ffi.enable=preload with opcache.preload=' . realpath(self::PACKAGE) . '/preload.php', $output);
    }

    public function testMissingExtFfiSaysWhatToSet(): void
    {
        if (!is_file(\PHP_EXTENSION_DIR . '/ffi.so')) {
            self::markTestSkipped('ext-ffi is built into this PHP; it cannot be left out with -n');
        }
        $command = [\PHP_BINARY, '-n', '-r',
            'require ' . var_export(realpath(self::PACKAGE . '/autoload.php'), true) . ';'
            . ' try { new InPost\QuickReturns\Core(); echo "loaded"; } catch (InPost\QuickReturns\Exception\UsageException $e) { echo $e->getMessage(); }'];
        $output = self::runCommand($command);

        self::assertStringContainsString('ext-ffi is not loaded', $output);
        self::assertStringContainsString('extension=ffi', $output);
        self::assertStringContainsString('ffi.enable=true', $output);
    }

    public function testRestrictedFfiWithoutPreloadSaysWhatToSet(): void
    {
        $server = new PhpServer(['-d', 'ffi.enable=preload'], self::script());
        $answer = self::answer($server);

        self::assertSame('InPost\QuickReturns\Exception\UsageException', $answer['error'] ?? null, json_encode($answer));
        self::assertStringContainsString('ffi.enable=preload, SAPI cli-server', $answer['message']);
        self::assertStringContainsString('opcache.preload=' . realpath(self::PACKAGE) . '/preload.php', $answer['message']);
        self::assertStringContainsString('ffi.enable=true', $answer['message']);
    }

    public function testAllowedFfiLoadsTheFileInTheServer(): void
    {
        $server = new PhpServer(['-d', 'ffi.enable=1'], self::script());
        $answer = self::answer($server);

        self::assertSame(realpath((string) getenv(Core::LIBRARY_ENV)), $answer['source'] ?? null, json_encode($answer));
        self::assertSame('http://127.0.0.1:8787/?do=revloggetreport', $answer['url']);
    }

    /**
     * As root (php-fpm's master usually is), opcache preloading needs opcache.preload_user, which
     * FFI::load() refuses: the library comes in through ffi.preload and bin/preload-header.php.
     * As another user, preload.php loads it with FFI::load().
     */
    public function testPreloadGivesTheScopeToRestrictedRequests(): void
    {
        $ini = ['-d', 'ffi.enable=preload', '-d', 'opcache.enable=1', '-d', 'opcache.preload=' . realpath(self::PACKAGE . '/preload.php')];
        $header = null;
        if (self::isRoot()) {
            $header = tempnam(sys_get_temp_dir(), 'inpost-qr-preload-h-');
            $output = self::runCommand([\PHP_BINARY, self::PACKAGE . '/bin/preload-header.php', '--out', $header]);
            self::assertSame('', $output);
            self::assertStringStartsWith('#define FFI_SCOPE "INPOST_QUICK_RETURNS"', (string) file_get_contents($header));
            array_push($ini, '-d', 'opcache.preload_user=root', '-d', "ffi.preload={$header}");
        }
        try {
            $server = new PhpServer($ini, self::script());
            $answer = self::answer($server);
        } finally {
            if ($header !== null) {
                unlink($header);
            }
        }

        self::assertSame('scope:INPOST_QUICK_RETURNS', $answer['source'] ?? null, json_encode($answer) . $server->log());
        self::assertSame('http://127.0.0.1:8787/?do=revloggetreport', $answer['url']);
    }

    /** The FFI::load() branch of preload.php, as an unprivileged user (only possible from root). */
    public function testPreloadWithFfiLoadAsAnUnprivilegedUser(): void
    {
        if (!self::isRoot()) {
            // The test above already took the FFI::load() branch.
            $this->expectNotToPerformAssertions();

            return;
        }
        $setpriv = trim((string) shell_exec('command -v setpriv'));
        self::assertNotSame('', $setpriv, 'setpriv (util-linux) is needed to drop root');
        $library = realpath((string) getenv(Core::LIBRARY_ENV));
        // The unprivileged user must be able to read the package and the library.
        foreach ([realpath(self::PACKAGE . '/preload.php'), $library] as $file) {
            if (!str_contains(self::runCommand([$setpriv, '--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', "test -r '{$file}' && echo readable"]), 'readable')) {
                self::markTestSkipped("{$file} is not readable by nobody on this machine");
            }
        }
        $server = new PhpServer(
            ['-d', 'ffi.enable=preload', '-d', 'opcache.enable=1', '-d', 'opcache.preload=' . realpath(self::PACKAGE . '/preload.php')],
            self::script(),
            [$setpriv, '--reuid=65534', '--regid=65534', '--clear-groups'],
        );
        $answer = self::answer($server);

        self::assertSame('scope:INPOST_QUICK_RETURNS', $answer['source'] ?? null, json_encode($answer) . $server->log());
    }

    /** preload.php under preload_user without ffi.preload explains the ffi.preload setting. */
    public function testPreloadUserWithoutFfiPreloadIsExplained(): void
    {
        if (!self::isRoot()) {
            $this->expectNotToPerformAssertions();

            return;
        }
        $command = array_merge([\PHP_BINARY, '-n'], PhpServer::baseIni(), [
            '-d', 'ffi.enable=preload', '-d', 'opcache.enable=1', '-d', 'opcache.enable_cli=1',
            '-d', 'opcache.preload_user=root', '-d', 'opcache.preload=' . realpath(self::PACKAGE . '/preload.php'),
            '-r', 'echo "started";',
        ]);
        $output = self::runCommand($command);

        self::assertStringNotContainsString('started', $output);
        self::assertStringContainsString('bin/preload-header.php', $output);
        self::assertStringContainsString('ffi.preload=', $output);
    }

    private static function isRoot(): bool
    {
        return function_exists('posix_geteuid') ? posix_geteuid() === 0 : trim((string) shell_exec('id -u')) === '0';
    }

    /** @param list<string> $command */
    private static function runCommand(array $command): string
    {
        $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
        self::assertIsResource($process);
        $output = stream_get_contents($pipes[1]);
        fclose($pipes[1]);
        proc_close($process);

        return (string) $output;
    }
}
