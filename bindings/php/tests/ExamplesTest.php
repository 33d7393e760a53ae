<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Tests\Support\Sandbox;
use PHPUnit\Framework\TestCase;

/** examples/php/*.php run as real PHP processes against real sandboxes; README code is theirs. */
final class ExamplesTest extends TestCase
{
    private const EXAMPLES = __DIR__ . '/../../../examples/php';

    /**
     * @param array<string, string> $env
     *
     * @return array{0: int, 1: string, 2: string} exit code, stdout, stderr
     */
    private static function php(string $script, array $env): array
    {
        $process = proc_open([\PHP_BINARY, $script], [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env + getenv());
        self::assertIsResource($process);
        $stdout = (string) stream_get_contents($pipes[1]);
        $stderr = (string) stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);

        return [proc_close($process), $stdout, $stderr];
    }

    public function testQuickstart(): void
    {
        $sandbox = new Sandbox();
        [$status, $out, $err] = self::php(self::EXAMPLES . '/quickstart.php', ['INPOST_BASE_URL' => $sandbox->baseUrl()]);

        self::assertSame(0, $status, $out . $err);
        self::assertMatchesRegularExpression('/order ZAM-1001: code \d{10}, locker size B, valid until \d{4}-\d\d-\d\dT23:59:59 \(active: yes\)/', $out);
        self::assertMatchesRegularExpression('/generated 3 inactive codes: \d{10}, \d{10}, \d{10}/', $out);
        self::assertMatchesRegularExpression('/activated \d{10} for serial number SN-778899 \(active: yes/', $out);
        self::assertMatchesRegularExpression('/disabled the unused code \d{10} \(valid: no\)/', $out);
        self::assertStringContainsString('page 1 (offset 0): 2 record(s)', $out);
        self::assertStringContainsString('page 2 (offset 2): 1 record(s)', $out);
        self::assertMatchesRegularExpression('/rma ZAM-1001 +active yes used yes shipment InTransit \(\d{24}\)/', $out);
        self::assertStringContainsString('reportRecords() walked the same pages: 3 records', $out);
        self::assertMatchesRegularExpression('/\[lookup\] generateActiveCode: attempt 1 may have reached InPost; looking up rma ZAM-1004 in the report/', $out);
        self::assertMatchesRegularExpression('/\[recovered\] generateActiveCode: the report shows attempt 1 took effect \(code \d{10}\)/', $out);
        self::assertMatchesRegularExpression('/order ZAM-1004: code \d{10} \(recovered: yes\); InPost holds 1 code\(s\) for ZAM-1004/', $out);
        self::assertStringContainsString('field senderPhone', $out);
        self::assertStringEndsWith("done\n", $out);

        // What the example printed is what the sandbox holds.
        $report = (new Client($sandbox->config()))->getReport();
        self::assertEqualsCanonicalizing(['ZAM-1001', 'ZAM-1002', 'SN-778899', 'ZAM-1004'], array_column($report['records'], 'rma'));
    }

    public function testQuickstartFailsLoudlyWithoutASandbox(): void
    {
        $sandbox = new Sandbox();
        $url = $sandbox->baseUrl();
        $sandbox->stop();
        [$status, $out, $err] = self::php(self::EXAMPLES . '/quickstart.php', ['INPOST_BASE_URL' => $url]);

        self::assertNotSame(0, $status, $out);
        self::assertStringContainsString('quickstart failed', $err);
        self::assertStringNotContainsString('demo-password', $out . $err);
    }

    public function testErrorHandlingExample(): void
    {
        $sandbox = new Sandbox();
        [$status, $out, $err] = self::php(self::EXAMPLES . '/error-handling.php', ['INPOST_BASE_URL' => $sandbox->baseUrl()]);

        self::assertSame(0, $status, $out . $err);
        self::assertStringContainsString('invalid input in senderPhone', $out);
        self::assertStringContainsString('InPost error CodeNotFound', $out);
        self::assertStringContainsString('unexpected answer, HTTP 502', $out);
        self::assertStringContainsString('transport failure: POST http://127.0.0.1:9/', $out);
        self::assertStringContainsString('usage error: ', $out);
    }

    public function testWooCommerceExample(): void
    {
        $sandbox = new Sandbox();
        [$status, $out, $err] = self::php(__DIR__ . '/Support/woocommerce-harness.php', ['INPOST_BASE_URL' => $sandbox->baseUrl()]);
        self::assertSame(0, $status, $out . $err);
        $orders = json_decode($out, true, 512, \JSON_THROW_ON_ERROR);

        $code = $orders['approved']['meta']['_inpost_return_code'] ?? null;
        self::assertMatchesRegularExpression('/^\d{10}$/', (string) $code);
        self::assertCount(1, $orders['approved']['notes'], 'the second status change made no second code');
        self::assertStringContainsString("InPost return code {$code}", $orders['approved']['notes'][0]);
        self::assertSame([], $orders['bad-phone']['meta']);
        self::assertStringContainsString('fix senderPhone', $orders['bad-phone']['notes'][0]);
        self::assertSame(0, $orders['completed']['saves']);

        $records = (new Client($sandbox->config()))->getReport()['records'];
        self::assertSame([$code], array_column($records, 'code'));
        self::assertSame('1001', $records[0]['rma']);
        self::assertSame('600100200', $records[0]['senderPhone']);
        self::assertSame('created', $orders['approved']['meta']['_inpost_return_status']);
    }

    public function testWooCommerceExampleNeverAsksTwiceWhenAnswersAreLost(): void
    {
        // Every answer is lost after InPost carried the call out, report lookups included.
        $sandbox = new Sandbox(['--lose-answer-rate', '1', '--seed', '3']);
        [$status, $out, $err] = self::php(__DIR__ . '/Support/woocommerce-harness.php',
            ['INPOST_BASE_URL' => $sandbox->baseUrl(), 'INPOST_RETRY_DELAY_MS' => '5']);
        self::assertSame(0, $status, $out . $err);
        $orders = json_decode($out, true, 512, \JSON_THROW_ON_ERROR);

        $approved = $orders['approved'];
        self::assertSame('unknown', $approved['meta']['_inpost_return_status']);
        self::assertArrayNotHasKey('_inpost_return_code', $approved['meta']);
        self::assertCount(2, $approved['notes']);
        self::assertStringContainsString('InPost may have made a return code', $approved['notes'][0]);
        self::assertStringContainsString('No InPost return code', $approved['notes'][1], 'the second status change looked in the report first');
        self::assertStringNotContainsString('demo-password', $out);
        // Two status changes, one request that made a code: never a second one.
        self::assertSame(['1001'], array_column($sandbox->codes(), 'rma'));
    }

    public function testWooCommerceExampleLeavesANoteWhenTheLibraryCannotLoad(): void
    {
        // What php-fpm without the preload setup looks like to the hook: a UsageException.
        $sandbox = new Sandbox();
        [$status, $out, $err] = self::php(__DIR__ . '/Support/woocommerce-harness.php',
            ['INPOST_BASE_URL' => $sandbox->baseUrl(), 'INPOST_QUICK_RETURNS_LIB' => '/nonexistent/libinpost_quick_returns.so']);
        self::assertSame(0, $status, 'no fatal error (HTTP 500 under php-fpm): ' . $out . $err);
        $orders = json_decode($out, true, 512, \JSON_THROW_ON_ERROR);
        self::assertStringContainsString('No InPost return code (usage): InPost Quick Returns library not found', $orders['approved']['notes'][0]);
        self::assertSame(0, $orders['completed']['saves']);
        self::assertSame([], $sandbox->codes());
    }

    public function testCoreOnlyExample(): void
    {
        $sandbox = new Sandbox();
        $client = new Client($sandbox->config());
        $code = $client->generateActiveCode(['rma' => 'C-1', 'packType' => 'A', 'expirationDate' => '2030-01-01T00:00:00',
            'senderPhone' => '600100200', 'senderEmail' => 'a@example.pl'])['code'];
        $sandbox->parcel($code, 'Created');
        [$status, $out, $err] = self::php(self::EXAMPLES . '/core-only.php', ['INPOST_BASE_URL' => $sandbox->baseUrl()]);

        self::assertSame(0, $status, $out . $err);
        self::assertSame("HTTP 200, 1 used code(s) in the report\n", $out);
    }

    public function testPsr18Example(): void
    {
        if (!is_file('/usr/share/php/GuzzleHttp/autoload.php')) {
            self::markTestSkipped('Guzzle (Debian php-guzzlehttp-guzzle) is not installed; make php-deps installs it');
        }
        $sandbox = new Sandbox();
        [$status, $out, $err] = self::php(self::EXAMPLES . '/psr18-guzzle.php', ['INPOST_BASE_URL' => $sandbox->baseUrl()]);

        self::assertSame(0, $status, $out . $err);
        self::assertMatchesRegularExpression('/^via Guzzle: inactive codes \d{10}, \d{10}\n$/', $out);
    }

    /** Every ```php block of the README is code from a file that the tests run. */
    public function testReadmeCodeComesFromTestedFiles(): void
    {
        $readme = (string) file_get_contents(__DIR__ . '/../README.md');
        // Blocks marked <!-- test: … --> are run as written by ComposerInstallTest instead.
        preg_match_all('/(<!-- test: [a-z-]+ -->\n)?```php\n(.*?)```/s', $readme, $matches);
        $blocks = [1 => array_values(array_filter($matches[2], static fn (int $i): bool => $matches[1][$i] === '', \ARRAY_FILTER_USE_KEY))];
        self::assertGreaterThanOrEqual(3, \count($blocks[1]));
        $sources = '';
        foreach ([...glob(self::EXAMPLES . '/*.php'), __DIR__ . '/../preload.php'] as $file) {
            $sources .= file_get_contents($file) . "\n";
        }
        foreach ($blocks[1] as $block) {
            // Lines starting with "// …" stand for code left out of the README.
            foreach (preg_split('{^// ….*$}mu', $block) as $part) {
                if (trim($part) === '') {
                    continue;
                }
                self::assertStringContainsString(trim($part), $sources, "README code not found in examples/php:\n{$part}");
            }
        }
    }
}
