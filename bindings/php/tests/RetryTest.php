<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Exception\ApiException;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;
use InPost\QuickReturns\Tests\Support\PhpServer;
use InPost\QuickReturns\Tests\Support\Sandbox;
use InPost\QuickReturns\Transport\CurlTransport;
use PHPUnit\Framework\TestCase;

/**
 * Safe retries (docs/clients.md) against real sandboxes that fail before a call
 * (`--fail-rate`) and lose answers after it (`--lose-answer-rate`): whatever the network does,
 * a return never gets a second code.
 */
final class RetryTest extends TestCase
{
    private const PROOF_CALLS = 300;

    /** @return array<string, string> */
    private static function details(string $rma): array
    {
        return [
            'rma' => $rma,
            'packType' => 'b',
            'expirationDate' => '2030-12-31T23:59:59',
            'senderPhone' => '+48 600 100 200',
            'senderEmail' => 'jan.kowalski@example.pl',
            'returnDescription1' => "Zwrot {$rma}",
        ];
    }

    /**
     * Codes of the sandbox by rma.
     *
     * @return array<string, list<string>>
     */
    private static function codesByRma(Sandbox $sandbox): array
    {
        $by = [];
        foreach ($sandbox->codes() as $code) {
            if ($code['rma'] !== null) {
                $by[$code['rma']][] = $code['code'];
            }
        }

        return $by;
    }

    /** @return array{requests: int, faults: int, lost: int} from the sandbox's request log */
    private static function faults(Sandbox $sandbox): array
    {
        $log = $sandbox->logAfterCodes();

        return [
            'requests' => substr_count($log, ' POST / do='),
            'faults' => preg_match_all('/ (fault|lost)=/', $log),
            'lost' => substr_count($log, ' lost='),
        ];
    }

    /** A transport that sends the request for real and then loses the answer, `$times` times. */
    private static function losing(int $times, ?callable $when = null): callable
    {
        $curl = new CurlTransport();

        return static function (array $request) use (&$times, $when, $curl): array {
            $response = $curl($request);
            if ($times > 0 && ($when === null || $when($request))) {
                --$times;
                throw new TransportException("{$request['method']} {$request['url']} failed: Empty reply from server (curl error 52)");
            }

            return $response;
        };
    }

    public function testThreeHundredGenerateActiveCodeCallsNeverMakeASecondCode(): void
    {
        $sandbox = new Sandbox(['--lose-answer-rate', '0.3', '--fail-rate', '0.1', '--seed', '2026']);
        $events = [];
        $client = new Client($sandbox->config([
            'retryDelayMs' => 1,
            'onRetry' => static function (array $event) use (&$events): void {
                $events[] = $event;
            },
        ]));
        $returned = [];
        $errors = [];
        $started = microtime(true);
        for ($i = 1; $i <= self::PROOF_CALLS; ++$i) {
            $rma = sprintf('PROOF-%03d', $i);
            try {
                $value = $client->generateActiveCode(self::details($rma));
                self::assertSame(['code', 'active', 'expirationDate', 'packType', 'uuid', 'labelAttached', 'extra', 'recovered'], array_keys($value));
                self::assertMatchesRegularExpression('/^\d{10}$/', (string) $value['code']);
                self::assertTrue($value['active']);
                self::assertSame('B', $value['packType']);
                self::assertSame('2030-12-31T23:59:59', $value['expirationDate']);
                $returned[$rma] = $value;
            } catch (QuickReturnsException $e) {
                self::assertContains($e->getKind(), ['transport', 'unexpected_response'], $e->getMessage());
                $errors[$rma] = $e;
            }
        }

        $byRma = self::codesByRma($sandbox);
        foreach ($byRma as $rma => $codes) {
            self::assertCount(1, $codes, "{$rma} has two codes");
        }
        foreach ($returned as $rma => $value) {
            self::assertSame([$value['code']], $byRma[$rma] ?? [], "{$rma}: the code returned is the one InPost holds");
        }
        foreach ($errors as $rma => $e) {
            if (!$e->mayHaveSucceeded()) {
                self::assertArrayNotHasKey($rma, $byRma, "{$rma} failed without mayHaveSucceeded, yet a code exists");
            }
        }
        $recovered = \count(array_filter($returned, static fn (array $v): bool => $v['recovered']));
        $faults = self::faults($sandbox);
        self::assertGreaterThan(50, $faults['lost'], 'the sandbox lost answers');
        self::assertGreaterThan(20, $recovered, 'lost answers were recovered from the report');
        self::assertGreaterThan(250, \count($returned), 'most calls returned a code');
        $took = microtime(true) - $started;
        $made = \count($returned);
        foreach ($errors as $rma => $e) {
            $made += isset($byRma[$rma]) ? 1 : 0;
        }
        $errorsWithCode = $made - \count($returned);
        self::assertSame($made, \count($byRma), 'no code for an rma that was not asked for');
        self::assertNotEmpty(array_filter($events, static fn (array $e): bool => $e['type'] === 'recovered'));
        fwrite(\STDERR, sprintf(
            "\n[php proof] %d generateActiveCode calls, %d requests, %d faults injected (%d answers lost after the call was carried out):"
            . " %d codes returned (%d recovered from the report), %d typed errors (%d mayHaveSucceeded, %d of them had made a code),"
            . " duplicates 0; %.1f s\n",
            self::PROOF_CALLS,
            $faults['requests'],
            $faults['faults'],
            $faults['lost'],
            \count($returned),
            $recovered,
            \count($errors),
            \count(array_filter($errors, static fn ($e): bool => $e->mayHaveSucceeded())),
            $errorsWithCode,
            $took,
        ));
    }

    public function testActivateCodeUnderLostAnswersActivatesEachCodeOnce(): void
    {
        $sandbox = new Sandbox(['--lose-answer-rate', '0.3', '--fail-rate', '0.1', '--seed', '77']);
        $client = new Client($sandbox->config(['retryDelayMs' => 1, 'maxRetries' => 4]));
        $codes = [];
        while (\count($codes) < 100) {
            try {
                array_push($codes, ...array_column($client->generateInactiveCodes(25)['codes'], 'code'));
            } catch (QuickReturnsException $e) {
                self::assertTrue($e->mayHaveSucceeded() || $e->getKind() === 'transport', $e->getMessage());
            }
        }
        $codes = \array_slice($codes, 0, 100);
        $activated = [];
        $failed = [];
        foreach ($codes as $i => $code) {
            $input = ['code' => $code] + self::details("ACT-{$i}");
            try {
                $value = $client->activateCode($input);
                self::assertSame($code, $value['code']);
                self::assertTrue($value['active']);
                $activated[$code] = "ACT-{$i}";
            } catch (QuickReturnsException $e) {
                self::assertNotInstanceOf(ApiException::class, $e, 'a lost activation was sent again: ' . $e->getMessage());
                $failed[$code] = $e;
            }
        }
        $state = array_column($sandbox->codes(), null, 'code');
        foreach ($activated as $code => $rma) {
            self::assertTrue($state[$code]['active'], (string) $code);
            self::assertSame($rma, $state[$code]['rma']);
        }
        foreach ($failed as $code => $e) {
            if (!$e->mayHaveSucceeded()) {
                self::assertFalse($state[$code]['active'], "{$code} failed without mayHaveSucceeded, yet it is active");
            }
        }
        self::assertGreaterThan(90, \count($activated));
    }

    public function testInvalidateCodeUnderLostAnswers(): void
    {
        $sandbox = new Sandbox(['--lose-answer-rate', '0.3', '--fail-rate', '0.1', '--seed', '5']);
        $client = new Client($sandbox->config(['retryDelayMs' => 1, 'maxRetries' => 4]));
        $codes = [];
        while (\count($codes) < 60) {
            try {
                array_push($codes, ...array_column($client->generateInactiveCodes(20)['codes'], 'code'));
            } catch (QuickReturnsException) {
                // The batch may or may not exist; only codes we hold are used below.
            }
        }
        $results = [];
        foreach (\array_slice($codes, 0, 60) as $code) {
            try {
                $value = $client->invalidateCode($code);
                self::assertFalse($value['valid']);
                $results[$code] = true;
            } catch (QuickReturnsException $e) {
                self::assertNotInstanceOf(ApiException::class, $e, $e->getMessage());
                $results[$code] = $e;
            }
        }
        $state = array_column($sandbox->codes(), null, 'code');
        foreach ($results as $code => $result) {
            if ($result === true) {
                self::assertTrue($state[$code]['invalidated'], (string) $code);
            } elseif (!$result->mayHaveSucceeded()) {
                self::assertFalse($state[$code]['invalidated'], (string) $code);
            }
        }
        self::assertGreaterThan(55, \count(array_filter($results, static fn ($r): bool => $r === true)));
    }

    public function testTheReportWalkSurvivesFaultsAndReturnsEveryRecordOnce(): void
    {
        $sandbox = new Sandbox(['--lose-answer-rate', '0.3', '--fail-rate', '0.1', '--seed', '31']);
        $client = new Client($sandbox->config(['retryDelayMs' => 1, 'maxRetries' => 8]));
        for ($i = 0; $i < 23; ++$i) {
            try {
                $client->generateActiveCode(self::details("WALK-{$i}"));
            } catch (QuickReturnsException) {
                // Whatever exists is what the walk must return.
            }
        }
        $expected = array_column(array_filter($sandbox->codes(), static fn (array $c): bool => $c['active']), 'code');
        for ($run = 0; $run < 5; ++$run) {
            $walked = array_column(iterator_to_array($client->reportRecords(['paging' => ['limit' => 4]])), 'code');
            self::assertSame($expected, $walked, 'every record exactly once, in order');
        }
        self::assertGreaterThan(15, \count($expected));
    }

    public function testGenerateInactiveCodesIsNotRetriedOnceItMayHaveReachedInPost(): void
    {
        $sandbox = new Sandbox(['--lose-answer-rate', '1', '--seed', '1']);
        $events = [];
        $client = new Client($sandbox->config(['retryDelayMs' => 1, 'onRetry' => static function (array $e) use (&$events): void {
            $events[] = $e;
        }]));
        try {
            $client->generateInactiveCodes(3);
            self::fail('an answer came back from --lose-answer-rate 1');
        } catch (QuickReturnsException $e) {
            self::assertTrue($e->mayHaveSucceeded());
            self::assertStringContainsString('may have succeeded', $e->getMessage());
            self::assertStringContainsString("getReport(['active' => false", $e->getMessage());
        }
        self::assertSame([], $events, 'no retry');
        self::assertCount(3, $sandbox->codes(), 'one request, three codes, none made twice');

        // --fail-rate fails before the call: the client cannot know that either.
        $down = new Sandbox(['--fail-rate', '1', '--seed', '1']);
        try {
            (new Client($down->config(['retryDelayMs' => 1])))->generateInactiveCodes(1);
            self::fail('no exception');
        } catch (QuickReturnsException $e) {
            self::assertTrue($e->mayHaveSucceeded());
        }
        self::assertSame([], $down->codes());
    }

    public function testALostGenerateActiveCodeAnswerIsRecoveredInTheSameShape(): void
    {
        $sandbox = new Sandbox(['--seed', '8']);
        $events = [];
        $client = new Client($sandbox->config(['retryDelayMs' => 1, 'onRetry' => static function (array $e) use (&$events): void {
            $events[] = $e;
        }]), null, self::losing(1));
        $fresh = (new Client($sandbox->config()))->generateActiveCode(self::details('SHAPE-1'));
        $recovered = $client->generateActiveCode(self::details('SHAPE-2'));

        self::assertSame(array_keys($fresh), array_keys($recovered));
        self::assertFalse($fresh['recovered']);
        self::assertTrue($recovered['recovered']);
        self::assertSame('B', $recovered['packType']);
        self::assertSame('2030-12-31T23:59:59', $recovered['expirationDate']);
        self::assertTrue($recovered['active']);
        self::assertSame([$recovered['code']], self::codesByRma($sandbox)['SHAPE-2']);
        self::assertSame(['lookup', 'recovered'], array_column($events, 'type'));
        self::assertSame($recovered['code'], $events[1]['code']);
        self::assertSame('generateActiveCode', $events[1]['operation']);
    }

    public function testAnOlderCodeWithOtherDataIsNotTakenForThisCallsCode(): void
    {
        $sandbox = new Sandbox(['--seed', '9']);
        // The same rma got a code for another phone number earlier.
        $old = (new Client($sandbox->config()))->generateActiveCode(['senderPhone' => '511222333'] + self::details('SAME-RMA'));
        // This call's request is carried out but its answer lost: the client must find the new
        // code, not the old one.
        $client = new Client($sandbox->config(['retryDelayMs' => 1]), null, self::losing(1));
        $new = $client->generateActiveCode(self::details('SAME-RMA'));
        self::assertTrue($new['recovered']);
        self::assertNotSame($old['code'], $new['code']);
        self::assertCount(2, self::codesByRma($sandbox)['SAME-RMA']);

        // A lost request that never made anything (502 before the call) is sent again once.
        $calls = 0;
        $curl = new CurlTransport();
        $flaky = static function (array $request) use (&$calls, $curl): array {
            ++$calls;

            return $calls === 1 ? ['status' => 502, 'body' => '<html>502 Bad Gateway</html>'] : $curl($request);
        };
        $client = new Client($sandbox->config(['retryDelayMs' => 1]), null, $flaky);
        $value = $client->generateActiveCode(self::details('AFTER-502'));
        self::assertFalse($value['recovered']);
        self::assertSame(3, $calls, 'the 502, the report lookup, the second attempt');
        self::assertSame([$value['code']], self::codesByRma($sandbox)['AFTER-502']);
    }

    public function testAReportRecordWithoutACodeIsNeverTakenForTheCallsCode(): void
    {
        // The sandbox always lists a code; InPost's report might not (its fields are all optional).
        // This stand-in loses the first generateActiveCode answer (504) and lists, for the same rma
        // and data, only records without a code: none of them can be the code the call made.
        $record = static fn (int $i, string $code): string => "<{$i}>{$code}<rma>NO-CODE</rma><active>true</active><used>false</used>"
            . '<senderPhone>600100200</senderPhone><senderEmail>jan.kowalski@example.pl</senderEmail>'
            . "<returnDescription1>Zwrot NO-CODE</returnDescription1></{$i}>";
        $report = '<return>' . $record(0, '<code/>') . $record(1, '') . $record(2, '<code> </code>') . '</return>';
        $count = tempnam(sys_get_temp_dir(), 'inpost-qr-generated-');
        $server = new PhpServer([], '<?php header("Content-Type: text/xml; charset=utf-8");'
            . ' if (($_GET["do"] ?? "") === "revloggetreport") { echo "<paczkomaty>' . $report . '</paczkomaty>"; return; }'
            . ' file_put_contents(' . var_export($count, true) . ', "x", FILE_APPEND);'
            . ' if (filesize(' . var_export($count, true) . ') % 2 === 1) {'
            . ' http_response_code(504); header("Content-Type: text/html"); echo "<html>504 Gateway Timeout</html>"; return; }'
            . ' echo "<paczkomaty><return><code>5550001111</code><active>true</active></return></paczkomaty>";');
        try {
            $config = ['baseUrl' => $server->baseUrl(), 'email' => 'a@b.pl', 'password' => 'x', 'retryDelayMs' => 1];
            $events = [];
            $client = new Client($config + ['onRetry' => static function (array $e) use (&$events): void {
                $events[] = $e;
            }]);
            $value = $client->generateActiveCode(self::details('NO-CODE'));
            self::assertSame('5550001111', $value['code']);
            self::assertFalse($value['recovered'], 'answered by the second attempt, not from a record without a code');
            self::assertSame(['lookup', 'retry'], array_column($events, 'type'));
            preg_match_all('/do=(\w+)/', $server->log(), $seen);
            self::assertSame(['revloggenerateactivecode', 'revloggetreport', 'revloggenerateactivecode'], $seen[1]);

            try {
                (new Client($config + ['maxRetries' => 0]))->generateActiveCode(self::details('NO-CODE'));
                self::fail('no exception');
            } catch (UnexpectedResponseException $e) {
                self::assertSame(504, $e->getStatus());
                self::assertFalse($e->mayHaveSucceeded());
                self::assertStringContainsString('The report shows the call did not take effect; no retries left', $e->getMessage());
            }
        } finally {
            unlink($count);
        }
    }

    public function testALostActivationCountsOnlyWithThisCallsData(): void
    {
        $sandbox = new Sandbox(['--seed', '10']);
        $plain = new Client($sandbox->config());
        [$a, $b] = array_column($plain->generateInactiveCodes(2)['codes'], 'code');

        $isActivation = static fn (array $request): bool => str_contains($request['url'], 'revlogactivatecode');
        $client = new Client($sandbox->config(['retryDelayMs' => 1]), null, self::losing(1, $isActivation));
        $value = $client->activateCode(['code' => $a] + self::details('ACT-A'));
        self::assertTrue($value['recovered']);
        self::assertSame($a, $value['code']);

        // Activated earlier for another customer: the lost answer is not taken as success; the
        // call is sent again and InPost's own error comes back.
        $plain->activateCode(['code' => $b, 'senderEmail' => 'someone.else@example.pl'] + self::details('ACT-B'));
        $client = new Client($sandbox->config(['retryDelayMs' => 1]), null, self::losing(1, $isActivation));
        try {
            $client->activateCode(['code' => $b] + self::details('ACT-B'));
            self::fail('no exception');
        } catch (ApiException $e) {
            self::assertSame('CodeAlreadyActive', $e->getKey());
            self::assertFalse($e->mayHaveSucceeded());
        }
    }

    public function testALostInvalidationIsDecidedFromTheReport(): void
    {
        $sandbox = new Sandbox(['--seed', '12']);
        [$a] = array_column((new Client($sandbox->config()))->generateInactiveCodes(1)['codes'], 'code');
        $isInvalidation = static fn (array $request): bool => str_contains($request['url'], 'revloginvalidatecode');
        $client = new Client($sandbox->config(['retryDelayMs' => 1]), null, self::losing(1, $isInvalidation));
        self::assertSame(['valid' => false, 'extra' => [], 'recovered' => true], $client->invalidateCode($a));
        self::assertTrue(array_column($sandbox->codes(), null, 'code')[$a]['invalidated']);
    }

    public function testFailuresBeforeSendingAreRetriedWithGrowingDelays(): void
    {
        $port = PhpServer::freePort();
        $events = [];
        $client = new Client([
            'baseUrl' => "http://127.0.0.1:{$port}/", 'email' => Sandbox::EMAIL, 'password' => Sandbox::PASSWORD,
            'maxRetries' => 3, 'retryDelayMs' => 40,
            'onRetry' => static function (array $e) use (&$events): void {
                $events[] = $e;
            },
        ]);
        $started = microtime(true);
        try {
            $client->generateInactiveCodes(1); // not idempotent, but it never left: retried
            self::fail('no exception');
        } catch (TransportException $e) {
            self::assertFalse($e->mayHaveBeenSent());
            self::assertFalse($e->mayHaveSucceeded());
        }
        self::assertSame(['retry', 'retry', 'retry'], array_column($events, 'type'));
        foreach ([[20, 40], [40, 80], [80, 160]] as $i => [$min, $max]) {
            self::assertGreaterThanOrEqual($min, $events[$i]['delayMs']);
            self::assertLessThanOrEqual($max, $events[$i]['delayMs']);
            self::assertSame($i + 1, $events[$i]['attempt']);
        }
        self::assertGreaterThanOrEqual(0.14, microtime(true) - $started);

        // maxRetries 0: one attempt only.
        $events = [];
        try {
            (new Client(['baseUrl' => "http://127.0.0.1:{$port}/", 'email' => 'a@b.pl', 'password' => 'x', 'maxRetries' => 0]))->getReport();
            self::fail('no exception');
        } catch (TransportException) {
        }
        self::assertSame([], $events);
    }

    public function testTheDeadlineIsNeverExceeded(): void
    {
        // Every answer takes 600 ms, after the call is carried out.
        $slow = new Sandbox(['--delay-ms', '600']);
        $client = new Client($slow->config(['timeoutSeconds' => 0.2, 'deadlineSeconds' => 1.0, 'retryDelayMs' => 50]));
        $started = microtime(true);
        try {
            $client->generateActiveCode(self::details('SLOW-1'));
            self::fail('no exception');
        } catch (TransportException $e) {
            $took = microtime(true) - $started;
            self::assertLessThan(1.3, $took, 'deadlineSeconds 1.0');
            self::assertGreaterThan(0.8, $took, 'the time was used for the report lookup');
            self::assertTrue($e->mayHaveSucceeded(), $e->getMessage());
            self::assertStringContainsString("getReport(['rma' => 'SLOW-1'])", $e->getMessage());
        }
        usleep(700000);
        self::assertSame(['SLOW-1' => [self::codesByRma($slow)['SLOW-1'][0]]], self::codesByRma($slow), 'one code, never a second');

        // A deadline shorter than the timeout cuts the attempt itself.
        $started = microtime(true);
        try {
            (new Client($slow->config(['deadlineSeconds' => 0.3])))->getReport();
            self::fail('no exception');
        } catch (TransportException $e) {
            self::assertLessThan(0.6, microtime(true) - $started);
        }
    }

    public function testRetryEventsAndLogLinesNeverCarryCredentials(): void
    {
        $email = 'Sklep.Zwroty@example.pl';
        $password = 'P@ss word&"<ł>\'/+';
        $sandbox = new Sandbox(['--account', "{$email}:{$password}", '--lose-answer-rate', '0.5', '--fail-rate', '0.2', '--seed', '4']);
        $logger = new class() {
            /** @var list<array{0: string, 1: string, 2: array<string, mixed>}> */
            public array $lines = [];

            public function log(mixed $level, string|\Stringable $message, array $context = []): void
            {
                $this->lines[] = [(string) $level, (string) $message, $context];
            }
        };
        $events = [];
        $client = new Client([
            'baseUrl' => $sandbox->baseUrl(), 'email' => $email, 'password' => $password, 'retryDelayMs' => 1,
            'logger' => $logger,
            'onRetry' => static function (array $e) use (&$events): void {
                $events[] = $e;
            },
        ]);
        $messages = [];
        for ($i = 0; $i < 30; ++$i) {
            try {
                $client->generateActiveCode(self::details("SECRET-{$i}"));
                $client->getReport(['rma' => "SECRET-{$i}"]);
            } catch (QuickReturnsException $e) {
                $messages[] = $e->getMessage() . (string) $e;
            }
        }
        self::assertNotEmpty($events);
        self::assertSame(\count($events), \count($logger->lines));
        self::assertContains('warning', array_column($logger->lines, 0));
        $seen = json_encode([$events, $logger->lines, $messages], \JSON_UNESCAPED_UNICODE | \JSON_UNESCAPED_SLASHES) . json_encode([$events, $logger->lines]) . var_export([$events, $logger->lines], true);
        foreach ([$password, urlencode($password), rawurlencode($password), 'P@ss', 'word&', strtolower($email), $email, urlencode($email)] as $secret) {
            self::assertStringNotContainsStringIgnoringCase($secret, $seen);
        }
        foreach ($events as $event) {
            self::assertContains($event['type'], ['retry', 'lookup', 'recovered']);
            self::assertSame(['type', 'operation', 'attempt', 'delayMs', 'error', 'message'], \array_slice(array_keys($event), 0, 6));
        }
    }

    public function testRetryOptionsAreChecked(): void
    {
        foreach ([
            'maxRetries' => [-1, 21, 1.5, '2'],
            'retryDelayMs' => [-1, 0.5, 30001, '250'],
            'deadlineSeconds' => [0, -1, \INF, 'x', 3e6],
            'timeoutSeconds' => [3e6, \NAN],
            'onRetry' => ['not a function', 42],
            'logger' => [new \stdClass(), 'logger'],
        ] as $key => $bad) {
            foreach ($bad as $value) {
                try {
                    new Client(['environment' => 'production', 'email' => 'a@b.pl', 'password' => 'x', $key => $value]);
                    self::fail("{$key} = " . var_export($value, true) . ' was accepted');
                } catch (InvalidInputException $e) {
                    self::assertSame("config.{$key}", $e->getField());
                }
            }
        }
        $client = new Client(['environment' => 'production', 'email' => 'a@b.pl', 'password' => 'x', 'maxRetries' => 0, 'retryDelayMs' => 0]);
        self::assertInstanceOf(Client::class, $client);
    }

    public function testAnAnswerPastTheCapIsRefusedWhileReading(): void
    {
        // An answer that never ends: without the cap the client would read until its timeout.
        $server = new PhpServer([], '<?php header("Content-Type: text/xml"); $mb = str_repeat("<a>x</a>", 131072);'
            . ' for ($i = 0; $i < 4096; ++$i) { echo $mb; flush(); }');
        $client = new Client(['baseUrl' => $server->baseUrl(), 'email' => 'a@b.pl', 'password' => 'x', 'maxRetries' => 0, 'timeoutSeconds' => 20]);
        $started = microtime(true);
        try {
            $client->getReport();
            self::fail('no exception');
        } catch (UnexpectedResponseException $e) {
            self::assertSame(200, $e->getStatus());
            self::assertStringContainsString('larger than 64 MiB; stopped reading it', $e->getMessage());
        }
        self::assertLessThan(15, microtime(true) - $started);
    }
}
