<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Core;
use InPost\QuickReturns\LibraryFile;
use InPost\QuickReturns\Platform;
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

    /** @return array<string, array{string}> */
    public static function disabledValues(): array
    {
        return ['0' => ['0'], 'false' => ['false'], 'off' => ['off'], 'empty' => ['']];
    }

    /** @dataProvider disabledValues */
    public function testDisabledFfiSaysWhatToSet(string $value): void
    {
        $output = self::runPhp(['-d', "ffi.enable={$value}"], 'new InPost\QuickReturns\Core(); echo "loaded";');

        self::assertStringContainsString('PHP FFI is disabled (ffi.enable=false)', $output);
        self::assertStringContainsString('ffi.enable=true', $output);
        self::assertStringContainsString('ffi.enable=preload with opcache.preload=' . realpath(self::PACKAGE) . '/preload.php', $output);
    }

    public function testFfiEnableIsReadAsPhpReadsIt(): void
    {
        foreach (['1' => 'true', 'on' => 'true', 'yes' => 'true', 'true' => 'true', '2' => 'true', 'preload' => 'preload', 'PRELOAD' => 'preload', '0' => 'false', 'off' => 'false', 'no' => 'false'] as $ini => $expected) {
            $output = self::runPhp(['-d', "ffi.enable={$ini}"], 'echo InPost\QuickReturns\Core::ffiEnable();');
            self::assertSame($expected, $output, "ffi.enable={$ini}");
        }
    }

    /** Without INPOST_QUICK_RETURNS_LIB, Core takes lib/<platform>/ for this PHP's platform. */
    public function testSelectsTheBundledLibraryForThisPlatform(): void
    {
        $package = self::packageCopy();
        $platform = Platform::current();
        mkdir("{$package}/lib/{$platform}", 0755, true);
        copy(self::library(), "{$package}/lib/{$platform}/" . Platform::libraryFileName());
        // Another platform's folder beside it must not be taken.
        mkdir("{$package}/lib/windows-x86_64");
        file_put_contents("{$package}/lib/windows-x86_64/inpost_quick_returns.dll", 'MZ');

        $output = self::runPhp([], 'echo (new InPost\QuickReturns\Core())->source(), " ", InPost\QuickReturns\Core::libDir();', $package);

        self::assertSame(realpath("{$package}/lib/{$platform}/" . Platform::libraryFileName()) . " {$package}/lib", $output);
    }

    public function testNoBundledLibraryListsWhatItLookedFor(): void
    {
        $package = self::packageCopy();
        mkdir("{$package}/lib/macos-arm64", 0755, true);
        mkdir("{$package}/lib/windows-x86_64");

        $output = self::runPhp([], 'new InPost\QuickReturns\Core(); echo "loaded";', $package);

        $platform = Platform::current();
        self::assertStringContainsString("no InPost Quick Returns library for this PHP ({$platform}: PHP_OS_FAMILY " . \PHP_OS_FAMILY, $output);
        self::assertStringContainsString('machine ' . php_uname('m'), $output);
        self::assertStringContainsString("Looked for {$package}/lib/{$platform}/" . Platform::libraryFileName() . " and {$package}/lib/" . Platform::libraryFileName(), $output);
        self::assertStringContainsString('lib/ holds macos-arm64, windows-x86_64', $output);
        self::assertStringContainsString(Core::LIBRARY_ENV, $output);
    }

    public function testTheEnvironmentVariableOverridesTheBundledLibrary(): void
    {
        $package = self::packageCopy();
        $platform = Platform::current();
        mkdir("{$package}/lib/{$platform}", 0755, true);
        file_put_contents("{$package}/lib/{$platform}/" . Platform::libraryFileName(), 'not a library');

        $output = self::runPhp([], 'echo (new InPost\QuickReturns\Core())->source();', $package, [Core::LIBRARY_ENV => self::library()]);

        self::assertSame(self::library(), $output);
    }

    /** A library built for another machine gets more than "Failed loading": both platforms are named. */
    public function testWrongArchitectureNamesBothPlatforms(): void
    {
        $other = sys_get_temp_dir() . '/inpost-qr-wrong-arch-' . bin2hex(random_bytes(4)) . '.so';
        $bytes = (string) file_get_contents(self::library());
        self::assertStringStartsWith("\x7fELF", $bytes, 'this test patches an ELF library');
        $machine = unpack('v', $bytes, 18)[1] === 183 ? 62 : 183; // the other of x86_64 and aarch64
        file_put_contents($other, substr_replace($bytes, pack('v', $machine), 18, 2));
        try {
            $output = self::runPhp([], 'new InPost\QuickReturns\Core(' . var_export($other, true) . '); echo "loaded";');
        } finally {
            unlink($other);
        }

        $otherPlatform = 'linux-' . ($machine === 183 ? 'aarch64' : 'x86_64') . '-gnu';
        self::assertStringContainsString("cannot load the InPost Quick Returns library {$other}", $output);
        self::assertStringContainsString("It is an ELF library for {$otherPlatform}, but this PHP runs on " . Platform::current(), $output);
        self::assertStringContainsString('use lib/' . Platform::current() . '/', $output);
    }

    /** The right platform, but a library it needs is missing: the message says how to see which. */
    public function testAMissingDependencyPointsAtLdd(): void
    {
        if (\PHP_OS_FAMILY !== 'Linux') {
            self::markTestSkipped('ldd: Linux only');
        }
        $bytes = (string) file_get_contents(self::library());
        $needed = null;
        foreach (["libgcc_s.so.1\0", "libdl.so.2\0", "libpthread.so.0\0"] as $candidate) {
            if (str_contains($bytes, $candidate)) {
                $needed = $candidate;
                break;
            }
        }
        self::assertNotNull($needed, 'the library needs one of libgcc_s, libdl, libpthread');
        $broken = sys_get_temp_dir() . '/inpost-qr-missing-dep-' . bin2hex(random_bytes(4)) . '.so';
        file_put_contents($broken, str_replace($needed, 'libzz' . substr($needed, 5), $bytes));
        try {
            $output = self::runPhp([], 'new InPost\QuickReturns\Core(' . var_export($broken, true) . '); echo "loaded";');
        } finally {
            unlink($broken);
        }

        self::assertStringContainsString("cannot load the InPost Quick Returns library {$broken}", $output);
        self::assertStringContainsString('It is a library for ' . Platform::current() . ", as this PHP needs; `ldd {$broken}` shows what it is missing.", $output);
    }

    public function testAFileThatIsNoLibraryIsNamedSo(): void
    {
        $file = tempnam(sys_get_temp_dir(), 'inpost-qr-not-a-lib-');
        file_put_contents($file, "<html>404</html>\n");
        try {
            $output = self::runPhp([], 'new InPost\QuickReturns\Core(' . var_export($file, true) . '); echo "loaded";');
        } finally {
            unlink($file);
        }

        self::assertStringContainsString('The file is not a shared library (no ELF, Mach-O or PE header); PHP needs one for ' . Platform::current(), $output);
    }

    public function testTheLoadedLibraryIsDescribedAsThisPlatform(): void
    {
        self::assertSame(['format' => 'ELF', 'platform' => Platform::current()], LibraryFile::describe(self::library()));
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

    /** The library under test (INPOST_QUICK_RETURNS_LIB, set by bootstrap.php). */
    private static function library(): string
    {
        $library = realpath((string) getenv(Core::LIBRARY_ENV));
        self::assertIsString($library);

        return $library;
    }

    /**
     * A copy of the package's PHP files (no lib/) in a temporary folder, removed after the test.
     */
    private static function packageCopy(): string
    {
        $dir = sys_get_temp_dir() . '/inpost-qr-package-' . bin2hex(random_bytes(6));
        foreach (['autoload.php', 'preload.php', 'composer.json'] as $file) {
            @mkdir($dir, 0755, true);
            copy(self::PACKAGE . "/{$file}", "{$dir}/{$file}");
        }
        foreach (['src', 'src/Exception', 'src/Transport', 'bin'] as $folder) {
            @mkdir("{$dir}/{$folder}", 0755, true);
            foreach (glob(self::PACKAGE . "/{$folder}/*.php") ?: [] as $file) {
                copy($file, "{$dir}/{$folder}/" . basename($file));
            }
        }
        mkdir("{$dir}/lib");
        copy(self::header(), "{$dir}/lib/" . Core::HEADER_FILE);
        self::$cleanup[] = $dir;

        return $dir;
    }

    private static function header(): string
    {
        foreach ([self::PACKAGE . '/lib/' . Core::HEADER_FILE, self::PACKAGE . '/../../include/' . Core::HEADER_FILE] as $header) {
            if (is_file($header)) {
                return $header;
            }
        }
        self::fail('no C header next to the package');
    }

    /** @var list<string> */
    private static array $cleanup = [];

    protected function tearDown(): void
    {
        foreach (self::$cleanup as $dir) {
            exec('rm -rf ' . escapeshellarg($dir));
        }
        self::$cleanup = [];
    }

    /**
     * Runs `php -n` with the package's autoloader and `$code`, and returns what it printed (a
     * QuickReturnsException's message when one is thrown). INPOST_QUICK_RETURNS_LIB is not passed
     * on unless `$env` sets it.
     *
     * @param list<string>          $ini
     * @param array<string, string> $env
     */
    private static function runPhp(array $ini, string $code, ?string $package = null, array $env = []): string
    {
        $autoload = var_export(realpath(($package ?? self::PACKAGE) . '/autoload.php'), true);
        $command = array_merge([\PHP_BINARY, '-n'], PhpServer::baseIni(), $ini, ['-r',
            "require {$autoload}; try { {$code} } catch (InPost\\QuickReturns\\Exception\\QuickReturnsException \$e) { echo \$e->getMessage(); }"]);
        $environment = getenv();
        unset($environment[Core::LIBRARY_ENV]);

        return self::runCommand($command, $env + $environment);
    }

    /** opcache.preload is set, but opcache is off: the message says so instead of "set opcache.preload". */
    public function testPreloadSetButOpcacheOffSaysOpcacheIsOff(): void
    {
        $server = new PhpServer(['-d', 'ffi.enable=preload', '-d', 'opcache.enable=0', '-d', 'opcache.preload=' . realpath(self::PACKAGE . '/preload.php')], self::script());
        $answer = self::answer($server);

        self::assertSame('InPost\QuickReturns\Exception\UsageException', $answer['error'] ?? null, json_encode($answer));
        self::assertStringContainsString('opcache.preload=' . realpath(self::PACKAGE . '/preload.php') . ' is set but not in effect: opcache is off here (opcache.enable=0). Set opcache.enable=1 and restart php-fpm.', $answer['message']);
    }

    /** opcache.preload runs another script that never loads the library. */
    public function testPreloadOfAnotherScriptSaysToRequireOurs(): void
    {
        $script = tempnam(sys_get_temp_dir(), 'inpost-qr-other-preload-');
        file_put_contents($script, "<?php\n// a shop's own preload script, without the library\n");
        $ini = ['-d', 'ffi.enable=preload', '-d', 'opcache.enable=1', '-d', "opcache.preload={$script}"];
        if (self::isRoot()) {
            array_push($ini, '-d', 'opcache.preload_user=root');
        }
        try {
            $answer = self::answer(new PhpServer($ini, self::script()));
        } finally {
            unlink($script);
        }

        self::assertSame('InPost\QuickReturns\Exception\UsageException', $answer['error'] ?? null, json_encode($answer));
        self::assertStringContainsString("opcache.preload={$script} is set but not in effect: that script ran, but did not load the library into the FFI scope INPOST_QUICK_RETURNS. Have it `require " . realpath(self::PACKAGE) . '/preload.php`', $answer['message']);
    }

    /** Core::preload() with FFI off stops PHP's start with the setting to change. */
    public function testPreloadWithFfiDisabledSaysSo(): void
    {
        $ini = ['-d', 'ffi.enable=0', '-d', 'opcache.enable=1', '-d', 'opcache.enable_cli=1', '-d', 'opcache.preload=' . realpath(self::PACKAGE . '/preload.php')];
        if (self::isRoot()) {
            array_push($ini, '-d', 'opcache.preload_user=root');
        }
        $output = self::runPhp($ini, 'echo "started";');

        self::assertStringNotContainsString('started', $output);
        self::assertStringContainsString('preloading the InPost Quick Returns library needs FFI, but PHP FFI is disabled (ffi.enable=false)', $output);
    }

    /** ffi.preload is set (to a header of another scope): the message does not ask to set it, but to fix it. */
    public function testPreloadWithAForeignFfiPreloadHeaderSaysToRewriteIt(): void
    {
        if (!self::isRoot()) {
            // Without opcache.preload_user, FFI::load() works and ffi.preload is not needed.
            $this->expectNotToPerformAssertions();

            return;
        }
        $header = tempnam(sys_get_temp_dir(), 'inpost-qr-other-h-');
        file_put_contents($header, "#define FFI_SCOPE \"SOMETHING_ELSE\"\nint abs(int j);\n");
        try {
            $output = self::runPhp([
                '-d', 'ffi.enable=preload', '-d', "ffi.preload={$header}", '-d', 'opcache.enable=1', '-d', 'opcache.enable_cli=1',
                '-d', 'opcache.preload_user=root', '-d', 'opcache.preload=' . realpath(self::PACKAGE . '/preload.php'),
            ], 'echo "started";', null, [Core::LIBRARY_ENV => self::library()]);
        } finally {
            unlink($header);
        }

        self::assertStringNotContainsString('started', $output);
        self::assertStringContainsString("ffi.preload={$header} is set but did not declare the FFI scope INPOST_QUICK_RETURNS", $output);
        self::assertStringContainsString("bin/preload-header.php --out {$header}", $output);
        self::assertStringNotContainsString('set ffi.preload=', $output);
    }

    private static function isRoot(): bool
    {
        return function_exists('posix_geteuid') ? posix_geteuid() === 0 : trim((string) shell_exec('id -u')) === '0';
    }

    /**
     * @param list<string>               $command
     * @param array<string, string>|null $env
     */
    private static function runCommand(array $command, ?array $env = null): string
    {
        $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env);
        self::assertIsResource($process);
        $output = stream_get_contents($pipes[1]);
        fclose($pipes[1]);
        proc_close($process);

        return (string) $output;
    }
}
