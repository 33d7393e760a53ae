<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Core;
use InPost\QuickReturns\Exception\QuickReturnsException;
use PHPUnit\Framework\TestCase;

/**
 * The conformance table (tests/conformance/*.json, format in tests/conformance/README.md) through
 * PHP: Core over FFI and the C ABI of the release library. The Rust, command-line, C ABI and
 * node:test runners check the same cases with the same rules.
 */
final class ConformanceTest extends TestCase
{
    private static ?Core $core = null;

    private static function core(): Core
    {
        return self::$core ??= new Core();
    }

    private static function testsDir(): string
    {
        return \dirname(__DIR__, 3) . '/tests';
    }

    /** @return iterable<string, array{array<string, mixed>}> */
    public static function cases(): iterable
    {
        $files = glob(self::testsDir() . '/conformance/*.json');
        self::assertNotEmpty($files, 'tests/conformance/*.json');
        sort($files);
        foreach ($files as $file) {
            $table = json_decode((string) file_get_contents($file), true, 512, \JSON_THROW_ON_ERROR);
            foreach ($table['cases'] as $case) {
                if (isset($case['build']) && !\array_key_exists('config', $case['build'])) {
                    $case['build']['config'] = $table['config'];
                }
                yield basename($file) . ': ' . $case['name'] => [$case];
            }
        }
    }

    /**
     * @dataProvider cases
     *
     * @param array<string, mixed> $case
     */
    public function testTheCaseAgrees(array $case): void
    {
        $actual = self::envelope($case);
        $expected = $case['expect'];
        $includes = [];
        if (isset($expected['error']['messageIncludes'])) {
            $includes = (array) $expected['error']['messageIncludes'];
            unset($expected['error']['messageIncludes']);
        }
        self::assertSame(self::canonical($expected), self::canonical(self::comparable($case, $actual)));
        foreach ($includes as $part) {
            self::assertStringContainsString($part, $actual['error']['message']);
        }
        $password = $case['build']['config']['password'] ?? null;
        if ($actual['ok'] === false && \is_string($password) && \strlen($password) >= 4) {
            self::assertStringNotContainsString($password, $actual['error']['message']);
        }
    }

    /**
     * The call's result as an envelope: the value, or the thrown exception's members.
     *
     * @param array<string, mixed> $case
     *
     * @return array<string, mixed>
     */
    private static function envelope(array $case): array
    {
        try {
            if (isset($case['build'])) {
                $build = $case['build'];
                $value = self::core()->buildRequest($build['operation'], $build['config'], $build['input']);
            } else {
                $parse = $case['parse'];
                $value = self::core()->parseResponse($parse['operation'], $parse['status'], self::body($parse));
            }

            return ['ok' => true, 'value' => $value];
        } catch (QuickReturnsException $e) {
            $error = ['kind' => $e->getKind(), 'message' => $e->getMessage()];
            foreach (['field' => 'getField', 'key' => 'getKey', 'status' => 'getStatus'] as $member => $getter) {
                if (method_exists($e, $getter) && $e->{$getter}() !== null) {
                    $error[$member] = $e->{$getter}();
                }
            }

            return ['ok' => false, 'error' => $error];
        }
    }

    /** @param array<string, mixed> $parse */
    private static function body(array $parse): string
    {
        if (isset($parse['bodyFile'])) {
            return (string) file_get_contents(self::testsDir() . '/fixtures/' . $parse['bodyFile']);
        }
        if (isset($parse['bodyHex'])) {
            return (string) hex2bin((string) preg_replace('/\s+/', '', $parse['bodyHex']));
        }

        return $parse['body'];
    }

    /**
     * As the table compares: a built request expected with `form` has its body decoded into
     * `form`; an error keeps only kind, field, key and status.
     *
     * @param array<string, mixed> $case
     * @param array<string, mixed> $actual
     *
     * @return array<string, mixed>
     */
    private static function comparable(array $case, array $actual): array
    {
        if ($actual['ok'] === true && isset($case['expect']['value']['form'], $actual['value']['body'])) {
            $form = [];
            foreach (explode('&', $actual['value']['body']) as $pair) {
                [$name, $value] = explode('=', $pair, 2);
                $form[urldecode($name)] = urldecode($value);
            }
            unset($actual['value']['body']);
            $actual['value']['form'] = $form;
        }
        if ($actual['ok'] === false) {
            $actual['error'] = array_intersect_key($actual['error'], array_flip(['kind', 'field', 'key', 'status']));
        }

        return $actual;
    }

    /** Objects' members sorted by name at every depth, lists kept in order. */
    private static function canonical(mixed $value): mixed
    {
        if (!\is_array($value)) {
            return $value;
        }
        $value = array_map(self::canonical(...), $value);
        if (!array_is_list($value)) {
            ksort($value, \SORT_STRING);
        }

        return $value;
    }
}
