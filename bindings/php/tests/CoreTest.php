<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Core;
use InPost\QuickReturns\Exception\ApiException;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;
use InPost\QuickReturns\Exception\UsageException;
use PHPUnit\Framework\TestCase;

/** Core against the real library: builds, parses, error mapping, loading. */
final class CoreTest extends TestCase
{
    private const PASSWORD = 'Tajne&Has+lo=1';
    private const EMAIL = 'sklep@example.pl';
    private const CONFIG = ['environment' => 'production', 'email' => self::EMAIL, 'password' => self::PASSWORD];

    /** The documented answer of revloggenerateinactivecodes (items named <0>, <1>). */
    private const INACTIVE_ANSWER = <<<'XML'
        <?xml version="1.0" encoding="UTF-8"?>
        <paczkomaty><return>
         <0><code>1414764219</code><active>false</active><uuid>12091fa7-61c0-4ebf-abf7-0fa80c53a3a5</uuid><labelAttached>false</labelAttached></0>
         <1><code>2687720481</code><active>false</active><uuid>8bce4ad4-4249-4bcf-8f54-fb8c8b5f8e14</uuid><labelAttached>false</labelAttached></1>
        </return></paczkomaty>
        XML;

    private static function core(): Core
    {
        return new Core();
    }

    /** @return array<string, mixed> the XML content sent, decoded from the form body */
    private static function form(array $request): array
    {
        parse_str($request['body'], $fields);

        return $fields;
    }

    private static function activeInput(): array
    {
        return [
            'rma' => 'ZAM-312',
            'packType' => 'b',
            'expirationDate' => '2030-10-10T11:00:00',
            'senderPhone' => '+48 600-100-200',
            'senderEmail' => 'jan.kowalski@example.pl',
            'returnDescription1' => 'Zamówienie:312',
        ];
    }

    public function testBuildsGenerateActiveCode(): void
    {
        $request = self::core()->buildRequest('generateActiveCode', self::CONFIG, self::activeInput());

        self::assertSame('POST', $request['method']);
        self::assertSame('https://api.paczkomaty.pl/?do=revloggenerateactivecode', $request['url']);
        self::assertSame(['Content-Type' => 'application/x-www-form-urlencoded'], $request['headers']);
        $form = self::form($request);
        self::assertSame(self::EMAIL, $form['email']);
        self::assertSame(self::PASSWORD, $form['password'], 'the password survives percent-encoding');
        self::assertStringContainsString('<packType>B</packType>', $form['content']);
        self::assertStringContainsString('<senderPhone>600100200</senderPhone>', $form['content']);
        self::assertStringContainsString('<returnDescription1>Zamówienie:312</returnDescription1>', $form['content']);
    }

    public function testBuildsEveryOtherOperation(): void
    {
        $core = self::core();
        $cases = [
            ['generateInactiveCodes', ['numberOfCodes' => 2], 'revloggenerateinactivecodes', '<numberOfCodes>2</numberOfCodes>'],
            ['activateCode', ['code' => '2991513940'] + array_diff_key(self::activeInput(), ['rma' => 1]), 'revlogactivatecode', '<code>2991513940</code>'],
            ['invalidateCode', ['code' => '2991513940'], 'revloginvalidatecode', '<code>2991513940</code>'],
            ['getReport', ['used' => true, 'dateRange' => ['startDate' => '2022-01-10', 'endDate' => '2022-07-20'], 'paging' => ['limit' => 2, 'offset' => 4]],
                'revloggetreport', '<paging><limit>2</limit><offset>4</offset></paging>'],
        ];
        foreach ($cases as [$operation, $input, $function, $fragment]) {
            $request = $core->buildRequest($operation, self::CONFIG, $input);
            self::assertSame("https://api.paczkomaty.pl/?do={$function}", $request['url'], $operation);
            self::assertStringContainsString($fragment, self::form($request)['content'], $operation);
        }
    }

    public function testEmptyInputIsAnObjectAndBaseUrlWins(): void
    {
        $request = self::core()->buildRequest('getReport', ['baseUrl' => 'http://127.0.0.1:8787/', 'email' => 'a@b.pl', 'password' => 'x'], []);

        self::assertSame('http://127.0.0.1:8787/?do=revloggetreport', $request['url']);
        self::assertSame('<paczkomaty></paczkomaty>', self::form($request)['content']);
    }

    public function testAClientsOptionsServeAsConfigButOtherKeysAreRefused(): void
    {
        $config = ['baseUrl' => 'http://127.0.0.1:8787/', 'email' => 'a@b.pl', 'password' => 'x'];
        $options = $config + ['timeoutSeconds' => 5, 'maxRetries' => 1, 'logger' => null];

        self::assertSame(self::core()->buildRequest('getReport', $config, []), self::core()->buildRequest('getReport', $options, []));
        try {
            self::core()->buildRequest('getReport', $config + ['timeout' => 5], []);
            self::fail('an unknown config key must be refused');
        } catch (InvalidInputException $e) {
            self::assertSame('config.timeout', $e->getField());
        }
    }

    public function testParsesTheDocumentedInactiveCodesAnswer(): void
    {
        $value = self::core()->parseResponse('generateInactiveCodes', 200, self::INACTIVE_ANSWER);

        self::assertCount(2, $value['codes']);
        self::assertSame('1414764219', $value['codes'][0]['code']);
        self::assertFalse($value['codes'][0]['active']);
        self::assertSame('12091fa7-61c0-4ebf-abf7-0fa80c53a3a5', $value['codes'][0]['uuid']);
        self::assertFalse($value['codes'][0]['labelAttached']);
        self::assertSame('2687720481', $value['codes'][1]['code']);
        self::assertSame('8bce4ad4-4249-4bcf-8f54-fb8c8b5f8e14', $value['codes'][1]['uuid']);
    }

    public function testParsesActiveCodeInvalidateAndReportAnswers(): void
    {
        $core = self::core();
        $active = $core->parseResponse('generateActiveCode', 200, '<?xml version="1.0" encoding="UTF-8"?>'
            . '<paczkomaty><return><code>6397348744</code><active>true</active><expirationDate>2030-10-10T11:00:00</expirationDate>'
            . '<packType>A</packType><uuid>u-1</uuid><labelAttached>false</labelAttached><novelty>nowe</novelty></return></paczkomaty>');
        self::assertSame('6397348744', $active['code']);
        self::assertTrue($active['active']);
        self::assertSame('2030-10-10T11:00:00', $active['expirationDate']);
        self::assertSame('A', $active['packType']);
        self::assertSame(['novelty' => 'nowe'], $active['extra']);

        self::assertFalse($core->parseResponse('invalidateCode', 200, '<paczkomaty><valid>false</valid></paczkomaty>')['valid']);

        $report = $core->parseResponse('getReport', 200, '<?xml version="1.0" encoding="UTF-8"?><paczkomaty><return>'
            . '<0><operatorEmail>sklep@example.pl</operatorEmail><reverseReturnPackCode>670781097283000026014876</reverseReturnPackCode>'
            . '<code>6397348744</code><rma>123</rma><active>true</active><used>true</used><senderPhone>600100200</senderPhone>'
            . '<reverseReturnPackStatus>InTransit</reverseReturnPackStatus><returnDescription1></returnDescription1></0>'
            . '</return></paczkomaty>');
        self::assertCount(1, $report['records']);
        $record = $report['records'][0];
        self::assertSame('670781097283000026014876', $record['reverseReturnPackCode']);
        self::assertSame('InTransit', $record['reverseReturnPackStatus']);
        self::assertTrue($record['used']);
        self::assertNull($record['returnDescription1'], 'an empty element is null');
    }

    public function testBodyWithNulBytesIsPassedWhole(): void
    {
        // Everything after the NUL must reach the parser (strlen, not a C string).
        $value = self::core()->parseResponse('invalidateCode', 200, "<paczkomaty><note>a\0b</note><valid>false</valid></paczkomaty>");

        self::assertFalse($value['valid']);
        self::assertSame(['note' => "a\0b"], $value['extra']);
    }

    public function testInvalidInputCarriesTheField(): void
    {
        $input = ['senderPhone' => '12345'] + self::activeInput();
        try {
            self::core()->buildRequest('generateActiveCode', self::CONFIG, $input);
            self::fail('no exception');
        } catch (InvalidInputException $e) {
            self::assertSame('senderPhone', $e->getField());
            self::assertSame('invalid_input', $e->getKind());
            self::assertInstanceOf(QuickReturnsException::class, $e);
        }

        $input = self::activeInput() + ['address' => ['name' => 'Jan', 'surname' => 'Kowalski', 'street' => 'Polna',
            'buildingNumber' => '1', 'flatNumber' => '2', 'postCode' => '00950', 'city' => 'Warszawa']];
        try {
            self::core()->buildRequest('generateActiveCode', self::CONFIG, $input);
            self::fail('no exception');
        } catch (InvalidInputException $e) {
            self::assertSame('address.postCode', $e->getField());
        }
    }

    public function testConfigErrorsNeverShowCredentials(): void
    {
        $cases = [
            [['baseUrl' => 'http://example.com/', 'email' => self::EMAIL, 'password' => self::PASSWORD], 'config.baseUrl'],
            [['environment' => 'production', 'email' => self::EMAIL, 'password' => ''], 'config.password'],
            [['environment' => 'staging', 'email' => self::EMAIL, 'password' => self::PASSWORD], 'config.environment'],
        ];
        foreach ($cases as [$config, $field]) {
            try {
                self::core()->buildRequest('getReport', $config, []);
                self::fail("no exception for {$field}");
            } catch (InvalidInputException $e) {
                self::assertSame($field, $e->getField());
                self::assertStringNotContainsString(self::PASSWORD, $e->getMessage());
                self::assertStringNotContainsString(rawurlencode(self::PASSWORD), $e->getMessage());
                self::assertStringNotContainsString(self::PASSWORD, (string) $e);
            }
        }
    }

    public function testApiErrorCarriesKeyAndStatus(): void
    {
        try {
            self::core()->parseResponse('invalidateCode', 200, '<?xml version="1.0" encoding="UTF-8"?>'
                . '<paczkomaty><error key="CodeNotFound">Nie znaleziono kodu</error></paczkomaty>');
            self::fail('no exception');
        } catch (ApiException $e) {
            self::assertSame('CodeNotFound', $e->getKey());
            self::assertSame(200, $e->getStatus());
            self::assertSame('api', $e->getKind());
            self::assertStringContainsString('Nie znaleziono kodu', $e->getMessage());
        }

        try {
            self::core()->parseResponse('getReport', 400, '<paczkomaty><error>bez klucza</error></paczkomaty>');
            self::fail('no exception');
        } catch (ApiException $e) {
            self::assertNull($e->getKey());
            self::assertSame(400, $e->getStatus());
        }
    }

    public function testUnexpectedResponsesCarryTheStatus(): void
    {
        foreach ([[502, '<html><body>502 Bad Gateway</body></html>'], [503, ''], [200, '<paczkomaty><return><0><code>1']] as [$status, $body]) {
            try {
                self::core()->parseResponse('generateInactiveCodes', $status, $body);
                self::fail("no exception for {$status}");
            } catch (UnexpectedResponseException $e) {
                self::assertSame($status, $e->getStatus());
                self::assertSame('unexpected_response', $e->getKind());
            }
        }
    }

    /** @return iterable<string, array{callable(Core): mixed, string}> */
    public static function usageErrors(): iterable
    {
        yield 'unknown operation (build)' => [static fn (Core $c) => $c->buildRequest('fly', self::CONFIG, []), 'fly'];
        yield 'unknown operation (parse)' => [static fn (Core $c) => $c->parseResponse('fly', 200, '<paczkomaty/>'), 'fly'];
        yield 'NUL in the operation' => [static fn (Core $c) => $c->buildRequest("getReport\0x", self::CONFIG, []), 'NUL'];
        yield 'non-UTF-8 input value' => [static fn (Core $c) => $c->buildRequest('getReport', self::CONFIG, ['rma' => "\xff\xfe"]), 'input.rma is not valid UTF-8'];
        yield 'non-UTF-8 nested value' => [static fn (Core $c) => $c->buildRequest('generateActiveCode', self::CONFIG, ['address' => ['city' => "Gda\xf1sk"]]), 'input.address.city is not valid UTF-8'];
        yield 'non-UTF-8 password' => [static fn (Core $c) => $c->buildRequest('getReport', ['password' => "ha\xe9slo"] + self::CONFIG, []), 'config.password is not valid UTF-8'];
        yield 'status out of range' => [static fn (Core $c) => $c->parseResponse('getReport', 70000, ''), '70000'];
        yield 'NaN cannot be JSON' => [static fn (Core $c) => $c->buildRequest('generateInactiveCodes', self::CONFIG, ['numberOfCodes' => NAN]), 'JSON'];
    }

    /** @dataProvider usageErrors */
    public function testUsageErrors(callable $call, string $needle): void
    {
        try {
            $call(self::core());
            self::fail('no exception');
        } catch (UsageException $e) {
            self::assertSame('usage', $e->getKind());
            self::assertStringContainsString($needle, $e->getMessage());
            self::assertStringNotContainsString(self::PASSWORD, $e->getMessage());
            self::assertStringNotContainsString("\xe9", $e->getMessage(), 'the bad bytes are not echoed');
        }
    }

    public function testTheLibraryIsLoadedOncePerProcess(): void
    {
        $a = new Core();
        $b = new Core();
        $c = new Core((string) getenv(Core::LIBRARY_ENV));

        self::assertSame($a->ffi(), $b->ffi());
        self::assertSame($a->ffi(), $c->ffi(), 'the same file given explicitly is the same load');
        self::assertSame(realpath((string) getenv(Core::LIBRARY_ENV)), $a->source());
        self::assertMatchesRegularExpression('/^\d+\.\d+\.\d+/', $a->version());
    }

    public function testAWrongLibraryPathIsExplained(): void
    {
        try {
            new Core('/nonexistent/libinpost_quick_returns.so');
            self::fail('no exception');
        } catch (UsageException $e) {
            self::assertStringContainsString('/nonexistent/libinpost_quick_returns.so', $e->getMessage());
            self::assertStringContainsString('cargo build --release -p inpost-quick-returns-c', $e->getMessage());
            self::assertStringContainsString(Core::LIBRARY_ENV, $e->getMessage());
        }

        // A file that exists but is not a shared library.
        try {
            new Core(__FILE__);
            self::fail('no exception');
        } catch (UsageException $e) {
            self::assertStringContainsString('cannot load the InPost Quick Returns library ' . __FILE__, $e->getMessage());
        }
    }

    public function testPreloadHeaderNamesScopeAndLibrary(): void
    {
        $library = realpath((string) getenv(Core::LIBRARY_ENV));
        $text = Core::preloadHeader($library);

        self::assertStringStartsWith('#define FFI_SCOPE "INPOST_QUICK_RETURNS"' . "\n" . '#define FFI_LIB "' . $library . '"' . "\n", $text);
        self::assertStringContainsString('char *inpost_returns_build_request(', $text);
        self::assertStringNotContainsString('__cplusplus', $text);
    }
}
