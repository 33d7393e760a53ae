<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Core;
use InPost\QuickReturns\Exception\ApiException;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;
use InPost\QuickReturns\Exception\UsageException;
use InPost\QuickReturns\Tests\Support\PhpServer;
use InPost\QuickReturns\Tests\Support\Sandbox;
use InPost\QuickReturns\Transport\CurlTransport;
use InPost\QuickReturns\Transport\Psr18Transport;
use PHPUnit\Framework\TestCase;

/** Client end to end: real HTTP to a real sandbox process, the real library. */
final class ClientTest extends TestCase
{
    private Sandbox $sandbox;

    protected function setUp(): void
    {
        $this->sandbox = Sandbox::shared();
        $this->sandbox->reset();
    }

    private static function returnDetails(array $extra = []): array
    {
        return array_merge([
            'packType' => 'A',
            'expirationDate' => (new \DateTimeImmutable('+14 days'))->format('Y-m-d\T00:00:00'),
            'senderPhone' => '+48 600 100 200',
            'senderEmail' => 'jan.kowalski@example.pl',
        ], $extra);
    }

    private function client(array $config = [], callable|object|null $transport = null): Client
    {
        return new Client($this->sandbox->config($config), null, $transport);
    }

    public function testScenario1ActiveCodeForAReturn(): void
    {
        $input = self::returnDetails(['rma' => 'ZAM-1001', 'packType' => 'b', 'returnDescription1' => 'Zamówienie:1001']);
        $code = $this->client()->generateActiveCode($input);

        self::assertMatchesRegularExpression('/^\d{10}$/', (string) $code['code']);
        self::assertTrue($code['active']);
        self::assertSame($input['expirationDate'], $code['expirationDate']);
        self::assertSame('B', $code['packType']);
        self::assertMatchesRegularExpression('/^[0-9a-f-]{36}$/', (string) $code['uuid']);

        $records = $this->client()->getReport(['code' => $code['code']])['records'];
        self::assertCount(1, $records);
        self::assertSame('ZAM-1001', $records[0]['rma']);
        self::assertSame('600100200', $records[0]['senderPhone']);
        self::assertFalse($records[0]['used']);
    }

    public function testScenario2InactiveCodesActivateOneInvalidateAnother(): void
    {
        $client = $this->client();
        $codes = $client->generateInactiveCodes(3)['codes'];

        self::assertCount(3, $codes);
        foreach ($codes as $code) {
            self::assertMatchesRegularExpression('/^\d{10}$/', (string) $code['code']);
            self::assertFalse($code['active']);
        }
        self::assertCount(3, array_unique(array_column($codes, 'code')));

        $activated = $client->activateCode(['code' => $codes[0]['code']] + self::returnDetails(['rma' => 'SN-778899']));
        self::assertTrue($activated['active']);

        self::assertFalse($client->invalidateCode($codes[2]['code'])['valid']);

        // An invalidated code can no longer be activated; an active one cannot be invalidated.
        try {
            $client->activateCode(['code' => $codes[2]['code']] + self::returnDetails());
            self::fail('activating an invalidated code succeeded');
        } catch (ApiException $e) {
            self::assertSame('CodeInvalidated', $e->getKey());
        }
        try {
            $client->invalidateCode($codes[0]['code']);
            self::fail('invalidating an active code succeeded');
        } catch (ApiException $e) {
            self::assertSame('CodeAlreadyActive', $e->getKey());
        }
    }

    public function testReportShowsParcelProgress(): void
    {
        $client = $this->client();
        $code = $client->generateActiveCode(self::returnDetails(['rma' => 'ZAM-2002']))['code'];

        $this->sandbox->parcel($code, 'Created');
        $record = $client->getReport(['code' => $code])['records'][0];
        self::assertTrue($record['used']);
        self::assertSame('Created', $record['reverseReturnPackStatus']);
        self::assertMatchesRegularExpression('/^\d{24}$/', (string) $record['reverseReturnPackCode']);

        $this->sandbox->parcel($code, 'InTransit');
        $used = $client->getReport(['used' => true])['records'];
        self::assertSame([$code], array_column($used, 'code'));
        self::assertSame('InTransit', $used[0]['reverseReturnPackStatus']);
        self::assertSame([], $client->getReport(['used' => true, 'rma' => 'nothing-like-it'])['records']);
    }

    public function testReportRecordsWalksEveryPage(): void
    {
        $sent = [];
        $curl = new CurlTransport();
        $counting = static function (array $request) use (&$sent, $curl): array {
            parse_str($request['body'], $form);
            $sent[] = $form['content'];

            return $curl($request);
        };
        $client = $this->client([], $counting);
        $made = [];
        for ($i = 1; $i <= 5; ++$i) {
            $made[] = $client->generateActiveCode(self::returnDetails(['rma' => "R-{$i}"]))['code'];
        }
        $sent = [];

        $records = iterator_to_array($client->reportRecords(['paging' => ['limit' => 2]]));
        self::assertSame(range(0, 4), array_keys($records));
        self::assertEqualsCanonicalizing($made, array_column($records, 'code'));
        self::assertCount(3, $sent, 'pages of 2, 2 and 1 records');
        foreach ([0, 2, 4] as $page => $offset) {
            self::assertStringContainsString("<paging><limit>2</limit><offset>{$offset}</offset></paging>", $sent[$page]);
        }

        // An exact multiple of the limit needs one more, empty, page to know it is the end.
        $sent = [];
        $this->sandbox->reset();
        for ($i = 1; $i <= 4; ++$i) {
            $client->generateActiveCode(self::returnDetails(['rma' => "S-{$i}"]));
        }
        $sent = [];
        self::assertCount(4, iterator_to_array($client->reportRecords(['paging' => ['limit' => 2]])));
        self::assertCount(3, $sent);

        // Filters are kept on every page; the default limit is 1000.
        $sent = [];
        self::assertSame(['S-2'], array_column(iterator_to_array($client->reportRecords(['rma' => 'S-2'])), 'rma'));
        self::assertCount(1, $sent);
        self::assertStringContainsString('<rma>S-2</rma>', $sent[0]);
        self::assertStringContainsString('<limit>1000</limit><offset>0</offset>', $sent[0]);

        // paging is checked by the core, which names the field as on every face.
        foreach ([
            'paging.limit' => ['paging' => ['limit' => 0]],
            'paging.offset' => ['paging' => ['limit' => 2, 'offset' => 'x']],
            'paging' => ['paging' => 'first'],
        ] as $field => $query) {
            try {
                iterator_to_array($client->reportRecords($query));
                self::fail("{$field} was accepted");
            } catch (InvalidInputException $e) {
                self::assertSame($field, $e->getField());
            }
        }
        try {
            iterator_to_array($client->reportRecords([], 0));
            self::fail('maxPages 0 was accepted');
        } catch (InvalidInputException $e) {
            self::assertSame('maxPages', $e->getField());
        }
    }

    public function testReportRecordsStopsOnAServerThatIgnoresPaging(): void
    {
        $details = self::returnDetails();
        foreach (['ignore-offset' => 'ignores paging.offset', 'ignore-limit' => 'ignores paging.limit'] as $mode => $message) {
            $broken = new Sandbox(['--report-paging', $mode]);
            $client = new Client($broken->config());
            for ($i = 1; $i <= 5; ++$i) {
                $client->generateActiveCode($details + ['rma' => "B-{$i}"]);
            }
            $seen = [];
            try {
                foreach ($client->reportRecords(['paging' => ['limit' => 2]]) as $record) {
                    $seen[] = $record['rma'];
                }
                self::fail("the walk over a server that {$message} did not stop with an error");
            } catch (UnexpectedResponseException $e) {
                self::assertStringContainsString($message, $e->getMessage());
            }
            // Never a record twice, never more than the report holds.
            self::assertSame(array_unique($seen), $seen);
            self::assertSame($mode === 'ignore-offset' ? ['B-1', 'B-2'] : [], $seen);
        }

        // A report that does not end within maxPages pages.
        $client = $this->client();
        for ($i = 1; $i <= 5; ++$i) {
            $client->generateActiveCode($details + ['rma' => "M-{$i}"]);
        }
        $seen = [];
        try {
            foreach ($client->reportRecords(['paging' => ['limit' => 1]], 3) as $record) {
                $seen[] = $record['rma'];
            }
            self::fail('maxPages did not stop the walk');
        } catch (UnexpectedResponseException $e) {
            self::assertStringContainsString('did not end within 3 pages', $e->getMessage());
        }
        self::assertSame(['M-1', 'M-2', 'M-3'], $seen);
        self::assertCount(5, iterator_to_array($client->reportRecords(['paging' => ['limit' => 1]], 6)));
    }

    public function testApiErrorsBecomeApiException(): void
    {
        try {
            $this->client()->invalidateCode('1234567890');
            self::fail('no exception');
        } catch (ApiException $e) {
            self::assertSame('CodeNotFound', $e->getKey());
            self::assertSame('api', $e->getKind());
            self::assertIsInt($e->getStatus());
        }

        try {
            $this->client(['password' => 'Wrong&Secret+1'])->getReport();
            self::fail('no exception');
        } catch (ApiException $e) {
            self::assertSame('Unauthorized', $e->getKey());
            self::assertStringNotContainsString('Wrong&Secret+1', (string) $e);
            self::assertStringNotContainsString(rawurlencode('Wrong&Secret+1'), (string) $e);
        }
    }

    public function testInvalidInputIsRefusedBeforeSending(): void
    {
        $sent = 0;
        $client = $this->client([], static function () use (&$sent): array {
            ++$sent;

            return ['status' => 500, 'body' => ''];
        });
        try {
            $client->generateActiveCode(self::returnDetails(['rma' => 'X', 'senderPhone' => '12-34']));
            self::fail('no exception');
        } catch (InvalidInputException $e) {
            self::assertSame('senderPhone', $e->getField());
        }
        self::assertSame(0, $sent);
    }

    public function testA502FromABrokenProxy(): void
    {
        $sandbox = new Sandbox(['--fail-rate', '1']);
        $client = new Client($sandbox->config(['maxRetries' => 0]));
        $seen = [];
        for ($i = 0; $i < 40 && !isset($seen[502]); ++$i) {
            try {
                $client->getReport();
                self::fail('a request succeeded with --fail-rate 1');
            } catch (UnexpectedResponseException $e) {
                self::assertContains($e->getStatus(), [502, 503]);
                $seen[$e->getStatus()] = $e;
            } catch (TransportException $e) {
                // A dropped connection: also a failure mode of --fail-rate.
                self::assertStringNotContainsString(Sandbox::PASSWORD, $e->getMessage());
                $seen['transport'] = $e;
            }
        }
        self::assertArrayHasKey(502, $seen, 'no 502 in 40 failing requests');
        self::assertSame('unexpected_response', $seen[502]->getKind());
        self::assertStringNotContainsString(Sandbox::PASSWORD, $seen[502]->getMessage());
    }

    public function testATimeoutIsATransportException(): void
    {
        $slow = new Sandbox(['--delay-ms', '3000']);
        $client = new Client($slow->config(['timeoutSeconds' => 0.3, 'connectTimeoutSeconds' => 1]));
        $started = microtime(true);
        try {
            $client->getReport();
            self::fail('no exception');
        } catch (TransportException $e) {
            self::assertLessThan(2.5, microtime(true) - $started, 'the total timeout applies');
            self::assertStringContainsString('timed out', $e->getMessage());
            self::assertStringContainsString($slow->baseUrl(), $e->getMessage());
            self::assertStringNotContainsString(Sandbox::PASSWORD, $e->getMessage());
            self::assertStringNotContainsString('content=', $e->getMessage());
            self::assertSame('transport', $e->getKind());
        }
    }

    public function testARefusedConnectionIsATransportException(): void
    {
        $port = PhpServer::freePort();
        $client = new Client(['baseUrl' => "http://127.0.0.1:{$port}/", 'email' => Sandbox::EMAIL, 'password' => 'Secret&Pass']);
        try {
            $client->generateInactiveCodes(1);
            self::fail('no exception');
        } catch (TransportException $e) {
            self::assertStringContainsString("127.0.0.1:{$port}", $e->getMessage());
            self::assertStringNotContainsString('Secret', (string) $e);
        }
    }

    public function testCallableTransportGetsExactlyTheBuiltRequest(): void
    {
        $seen = null;
        $curl = new CurlTransport();
        $client = $this->client(['timeoutSeconds' => 5], static function (array $request) use (&$seen, $curl): array {
            $seen = $request;

            return $curl($request);
        });
        $client->generateInactiveCodes(2);

        $expected = (new Core())->buildRequest('generateInactiveCodes', $this->sandbox->config(), ['numberOfCodes' => 2]);
        self::assertSame($expected, $seen, 'client-only keys are stripped, nothing else changes');
    }

    public function testTransportFailuresNeverLeakTheRequest(): void
    {
        $client = $this->client(['password' => 'Pa55&Word'], static function (array $request): array {
            throw new \RuntimeException('boom while sending ' . $request['body'] . ' as Pa55&Word');
        });
        try {
            $client->getReport();
            self::fail('no exception');
        } catch (TransportException $e) {
            self::assertStringContainsString('RuntimeException: boom while sending [redacted] as [redacted]', $e->getMessage());
            self::assertNull($e->getPrevious());
        }

        $bad = $this->client([], static fn (array $request): array => ['status' => '200']);
        $this->expectException(UsageException::class);
        $bad->getReport();
    }

    public function testAnswersThatEchoTheLoginAreRedacted(): void
    {
        $config = ['email' => 'sklep@example.pl', 'password' => 'Pa55&Word'];
        $echo = static fn (int $status, string $body): callable => static fn (array $request): array => [
            'status' => $status,
            'body' => str_replace('{request}', $request['body'], $body),
        ];

        $proxy = $this->client($config, $echo(502, '<html><body>Bad Gateway for {request}</body></html>'));
        try {
            $proxy->getReport();
            self::fail('no exception');
        } catch (UnexpectedResponseException $e) {
            self::assertSame(502, $e->getStatus());
            self::assertStringContainsString('Bad Gateway', $e->getMessage());
            self::assertStringNotContainsString('Pa55', $e->getMessage());
            self::assertStringNotContainsString('sklep', $e->getMessage());
        }

        $inpost = $this->client($config, $echo(200, '<paczkomaty><error key="Inactive">Konto sklep@example.pl (hasło Pa55&amp;Word) nieaktywne</error></paczkomaty>'));
        try {
            $inpost->getReport();
            self::fail('no exception');
        } catch (ApiException $e) {
            self::assertSame('Inactive', $e->getKey());
            self::assertSame('InPost answered with an error (Inactive): Konto [redacted] (hasło [redacted]) nieaktywne', $e->getMessage());
        }
    }

    public function testEveryEncodingOfTheLoginIsRedacted(): void
    {
        $email = 'Sklep Zwroty@example.pl';
        $password = "Pa55 w/o'rd&\"<ł>+";
        $forms = [
            'raw' => [$password, $email],
            'form +' => [urlencode($password), urlencode($email)],
            'form %20' => [rawurlencode($password), rawurlencode($email)],
            'JSON' => [substr(json_encode($password), 1, -1), substr(json_encode($email), 1, -1)],
            'JSON unescaped' => [substr(json_encode($password, \JSON_UNESCAPED_UNICODE | \JSON_UNESCAPED_SLASHES), 1, -1), $email],
            'XML' => [htmlspecialchars($password, \ENT_QUOTES | \ENT_XML1), htmlspecialchars($email, \ENT_QUOTES | \ENT_XML1)],
            'HTML' => [htmlspecialchars($password, \ENT_QUOTES), htmlspecialchars(strtoupper($email), \ENT_QUOTES)],
        ];
        foreach ($forms as $name => [$p, $e]) {
            $page = "<html><body>502 Bad Gateway: upstream said login={$e} pass={$p}</body></html>";
            $client = new Client(['environment' => 'production', 'email' => $email, 'password' => $password, 'maxRetries' => 0],
                null, static fn (array $request): array => ['status' => 502, 'body' => $page]);
            try {
                $client->getReport();
                self::fail('no exception');
            } catch (UnexpectedResponseException $ex) {
                self::assertStringContainsString('login=[redacted] pass=[redacted]', $ex->getMessage(), $name);
            }
            // Transport errors too, whatever the transport put in its message.
            $client = new Client(['environment' => 'production', 'email' => $email, 'password' => $password, 'maxRetries' => 0],
                null, static function () use ($e, $p): array {
                    throw new \RuntimeException("connection to proxy failed for {$e} / {$p}");
                });
            try {
                $client->getReport();
                self::fail('no exception');
            } catch (TransportException $ex) {
                self::assertStringEndsWith('connection to proxy failed for [redacted] / [redacted]', $ex->getMessage(), $name);
            }
        }
    }

    public function testFreshAnswersOfRecoverableCallsSayTheyAreNotRecovered(): void
    {
        $client = $this->client();
        $code = $client->generateActiveCode(self::returnDetails(['rma' => 'FRESH-1']));
        self::assertFalse($code['recovered']);
        [$a, $b] = array_column($client->generateInactiveCodes(2)['codes'], 'code');
        self::assertFalse($client->activateCode(['code' => $a] + self::returnDetails())['recovered']);
        self::assertSame(['valid' => false, 'extra' => [], 'recovered' => false], $client->invalidateCode($b));
        self::assertArrayNotHasKey('recovered', $client->getReport());
    }

    public function testBadTimeoutsAndTransportsAreRefused(): void
    {
        try {
            $this->client(['timeoutSeconds' => -1]);
            self::fail('no exception');
        } catch (InvalidInputException $e) {
            self::assertSame('config.timeoutSeconds', $e->getField());
        }
        $this->expectException(UsageException::class);
        $this->client([], new \stdClass());
    }

    public function testPsr18ClientAsTransport(): void
    {
        $autoload = '/usr/share/php/GuzzleHttp/autoload.php';
        if (!is_file($autoload)) {
            self::markTestSkipped('Guzzle (Debian php-guzzlehttp-guzzle) is not installed; make php-deps installs it');
        }
        require_once $autoload;
        $factory = new \GuzzleHttp\Psr7\HttpFactory();
        $transport = new Psr18Transport(new \GuzzleHttp\Client(['http_errors' => false]), $factory, $factory);

        $client = $this->client([], $transport);
        $code = $client->generateActiveCode(self::returnDetails(['rma' => 'PSR-18']))['code'];
        self::assertSame(['PSR-18'], array_column($client->getReport(['code' => $code])['records'], 'rma'));

        $port = PhpServer::freePort();
        $refused = new Client(['baseUrl' => "http://127.0.0.1:{$port}/", 'email' => 'a@b.pl', 'password' => 'Zx&9'], null, $transport);
        try {
            $refused->getReport();
            self::fail('no exception');
        } catch (TransportException $e) {
            self::assertStringNotContainsString('Zx', $e->getMessage());
        }

        // A bare PSR-18 client without factories is explained.
        try {
            $this->client([], new \GuzzleHttp\Client());
            self::fail('no exception');
        } catch (UsageException $e) {
            self::assertStringContainsString(Psr18Transport::class, $e->getMessage());
        }
    }

    public function testEveryErrorIsAQuickReturnsException(): void
    {
        foreach ([ApiException::class, InvalidInputException::class, TransportException::class, UnexpectedResponseException::class, UsageException::class] as $class) {
            self::assertTrue(is_subclass_of($class, QuickReturnsException::class), $class);
            self::assertTrue(is_subclass_of($class, \RuntimeException::class), $class);
        }
    }
}
