<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Core;
use InPost\QuickReturns\Exception\QuickReturnsException;
use PHPUnit\Framework\TestCase;

/**
 * Core::parseResponse reads the envelope in PHP's serialize() format
 * (inpost_returns_parse_response_php). It must give exactly (===: same keys, order and types) what
 * json_decode(…, true) gives for the JSON envelope of inpost_returns_parse_response, for every
 * fixture and operation, and only arrays and scalars whatever the answer holds.
 */
final class SerializedEnvelopeTest extends TestCase
{
    private static function core(): Core
    {
        return new Core();
    }

    /** The envelope through the JSON function, decoded as the JSON path always did. */
    private static function jsonEnvelope(string $operation, int $status, string $body): array
    {
        $ffi = self::core()->ffi();
        $ptr = $ffi->inpost_returns_parse_response($operation, $status, $body, \strlen($body));
        try {
            $json = \FFI::string($ptr);
        } finally {
            $ffi->inpost_returns_free($ptr);
        }

        return json_decode($json, true, 512, \JSON_THROW_ON_ERROR);
    }

    /** The envelope through the PHP-format function, exactly as unserialize() reads it. */
    private static function serializedEnvelope(string $operation, int $status, string $body): array
    {
        $ffi = self::core()->ffi();
        $length = $ffi->new('size_t');
        $ptr = $ffi->inpost_returns_parse_response_php($operation, $status, $body, \strlen($body), \FFI::addr($length));
        try {
            $serialized = \FFI::string($ptr, $length->cdata);
        } finally {
            $ffi->inpost_returns_free($ptr);
        }
        self::assertDoesNotMatchRegularExpression('/^[OCrRE]:/', $serialized);
        $value = unserialize($serialized, ['allowed_classes' => false, 'max_depth' => 16]);
        self::assertIsArray($value, $serialized);

        return $value;
    }

    /** What Core::parseResponse returns or throws, as an envelope. */
    private static function coreEnvelope(string $operation, int $status, string $body): array
    {
        try {
            return ['ok' => true, 'value' => self::core()->parseResponse($operation, $status, $body)];
        } catch (QuickReturnsException $e) {
            return ['ok' => false, 'kind' => $e->getKind(), 'message' => $e->getMessage()];
        }
    }

    private static function assertOnlyArraysAndScalars(mixed $value, string $path = '$'): void
    {
        if (\is_array($value)) {
            foreach ($value as $k => $v) {
                self::assertOnlyArraysAndScalars($v, "{$path}[{$k}]");
            }

            return;
        }
        self::assertTrue($value === null || \is_scalar($value), "{$path} is " . get_debug_type($value));
    }

    /** @return iterable<string, array{string}> */
    public static function fixtures(): iterable
    {
        $files = glob(\dirname(__DIR__, 3) . '/tests/fixtures/*');
        self::assertNotEmpty($files);
        foreach ($files as $file) {
            yield basename($file) => [$file];
        }
    }

    /** @dataProvider fixtures */
    public function testEveryFixtureGivesTheSameArraysAsTheJsonEnvelope(string $file): void
    {
        $body = (string) file_get_contents($file);
        foreach (['generateActiveCode', 'generateInactiveCodes', 'activateCode', 'invalidateCode', 'getReport'] as $operation) {
            foreach ([200, 502] as $status) {
                $json = self::jsonEnvelope($operation, $status, $body);
                self::assertSame($json, self::serializedEnvelope($operation, $status, $body), "{$operation} {$status}");
                $core = self::coreEnvelope($operation, $status, $body);
                if ($json['ok']) {
                    self::assertSame($json['value'], $core['value']);
                } else {
                    self::assertSame([$json['error']['kind'], $json['error']['message']], [$core['kind'], $core['message']]);
                }
            }
        }
    }

    public function testHostileTextStaysText(): void
    {
        $tricks = ['";O:8:"stdClass":0:{}', 'C:3:"Foo":0:{}', 'r:1;', 'R:2;', 'E:7:"Foo:Bar";', "a\0b", 'Łódź 😀', '}'];
        $record = '';
        foreach ($tricks as $i => $text) {
            $record .= "<x{$i}>" . htmlspecialchars($text, \ENT_XML1) . "</x{$i}>";
        }
        $body = '<paczkomaty><return><0><code>' . htmlspecialchars($tricks[0], \ENT_XML1) . "</code>{$record}<5>five</5></0></return></paczkomaty>";
        $json = self::jsonEnvelope('getReport', 200, $body);
        $serialized = self::serializedEnvelope('getReport', 200, $body);
        self::assertSame($json, $serialized);
        self::assertOnlyArraysAndScalars($serialized);
        $record = self::core()->parseResponse('getReport', 200, $body)['records'][0];
        self::assertSame($tricks[0], $record['code']);
        self::assertSame("a\0b", $record['extra']['x5']);
        self::assertSame('five', $record['extra'][5], 'a numeric element name is an integer key, as json_decode makes it');

        $error = '<paczkomaty><error key="K&quot;;O:1:&quot;A&quot;:0:{}">' . htmlspecialchars($tricks[0], \ENT_XML1) . '</error></paczkomaty>';
        self::assertSame(self::jsonEnvelope('getReport', 200, $error), self::serializedEnvelope('getReport', 200, $error));
    }
}
