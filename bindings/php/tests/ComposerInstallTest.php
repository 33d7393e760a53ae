<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Core;
use InPost\QuickReturns\Platform;
use InPost\QuickReturns\Tests\Support\Sandbox;
use PHPUnit\Framework\TestCase;

/**
 * README's "Install" steps, run as written: Debian's composer in a fresh project, packagist off,
 * the release archive from an artifact repository, then the README quickstart against a real
 * sandbox. Nothing reaches the network. Runs when INPOST_QUICK_RETURNS_DIST names the folder with
 * the archive (scripts/dist/test-archive.sh sets it).
 */
final class ComposerInstallTest extends TestCase
{
    private string $work = '';

    protected function tearDown(): void
    {
        if ($this->work !== '') {
            exec('rm -rf ' . escapeshellarg($this->work));
        }
    }

    /** The fenced block after `<!-- test: NAME -->` in the package's README. */
    private static function readmeBlock(string $name): string
    {
        $readme = (string) file_get_contents(\dirname(Core::libDir()) . '/README.md');
        $pattern = '/<!-- test: ' . preg_quote($name, '/') . " -->\n```[a-z]*\n(.*?)\n```/s";
        self::assertSame(1, preg_match($pattern, $readme, $m), "README.md has no block marked {$name}");

        return $m[1] . "\n";
    }

    /**
     * @param list<string>|string   $command
     * @param array<string, string> $env
     *
     * @return array{0: int, 1: string}
     */
    private static function runIn(array|string $command, string $cwd, array $env): array
    {
        $environment = getenv();
        unset($environment[Core::LIBRARY_ENV], $environment[Core::HEADER_ENV]);
        $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, $cwd, $env + $environment);
        self::assertIsResource($process);
        $output = (string) stream_get_contents($pipes[1]);
        fclose($pipes[1]);

        return [proc_close($process), $output];
    }

    public function testReadmeInstallAndQuickstartRunAsWritten(): void
    {
        $dist = getenv('INPOST_QUICK_RETURNS_DIST');
        if (!\is_string($dist) || $dist === '') {
            self::markTestSkipped('INPOST_QUICK_RETURNS_DIST is not set: `make test-dist-host` runs this test');
        }
        $composer = trim((string) shell_exec('command -v composer'));
        self::assertNotSame('', $composer, "Debian's composer package is needed");

        $this->work = sys_get_temp_dir() . '/inpost-qr-composer-' . bin2hex(random_bytes(6));
        mkdir($this->work);
        $env = [
            'COMPOSER_HOME' => "{$this->work}/composer-home",
            'COMPOSER_CACHE_DIR' => "{$this->work}/composer-cache",
            'COMPOSER_DISABLE_NETWORK' => '1',
            'COMPOSER_NO_INTERACTION' => '1',
        ];
        $install = self::readmeBlock('composer-install');
        self::assertStringContainsString('/path/to/dist', $install);
        [$status, $output] = self::runIn(['bash', '-euo', 'pipefail', '-c', str_replace('/path/to/dist', $dist, $install)], $this->work, $env);
        self::assertSame(0, $status, $output);
        $shop = "{$this->work}/shop";
        $installed = "{$shop}/vendor/inpost/quick-returns";
        self::assertFileExists("{$installed}/lib/" . Platform::current() . '/' . Platform::libraryFileName(), $output);
        self::assertFileExists("{$shop}/composer.lock");
        self::assertStringContainsString('"name": "inpost/quick-returns"', (string) file_get_contents("{$shop}/composer.lock"));
        self::assertFileExists("{$shop}/vendor/bin/preload-header.php");

        $sandbox = new Sandbox();
        file_put_contents("{$shop}/quickstart.php", self::readmeBlock('composer-quickstart'));
        [$status, $output] = self::runIn([\PHP_BINARY, 'quickstart.php'], $shop, $env + ['INPOST_BASE_URL' => $sandbox->baseUrl()]);

        self::assertSame(0, $status, $output);
        self::assertMatchesRegularExpression('/^return code \d{10}, locker size B, valid until \d{4}-\d\d-\d\dT23:59:59\n/', $output);
        self::assertStringContainsString('library ' . realpath("{$installed}/lib/" . Platform::current() . '/' . Platform::libraryFileName()), $output);
        $report = (new \InPost\QuickReturns\Client($sandbox->config()))->getReport(['rma' => 'ZAM-1001']);
        self::assertNotSame([], $report['records'], 'the code is in the sandbox');
    }
}
