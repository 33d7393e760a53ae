<?php

/*
 * Benchmark: parse a 1000-record getReport answer (~600 KB) with Core::parseResponse (Rust via
 * FFI) versus the usual PHP idiom, SimpleXML + json_encode/json_decode, on the same data with
 * <item> tags instead of InPost's <0>, <1>, … (which SimpleXML rejects).
 *
 *     make bench-php        # or: INPOST_QUICK_RETURNS_LIB=target/release/… php bindings/php/bench/report.php
 *
 * Target: Core::parseResponse takes at most a quarter of SimpleXML's time. Exits 1 when missed.
 * Also shows what bounds our figure: the library call alone (parse in Rust, envelope written in
 * PHP's serialize() format) and PHP's unserialize() of that envelope alone.
 */

declare(strict_types=1);

require __DIR__ . '/../autoload.php';

use InPost\QuickReturns\Core;

const RECORDS = 1000;
const ROUNDS = 31;
const TURNS = 5;
const TARGET = 0.25;

/** One report record with every field the spec lists, realistic values, Polish text. */
function record(int $i, string $tag): string
{
    $statuses = ['Created', 'Prepared', 'Sent', 'InTransit', 'Stored', 'Avizo', 'Delivered'];
    $used = $i % 3 !== 0;
    $day = 1 + $i % 28;
    $fields = [
        'operatorEmail' => 'zwroty@sklep-przyklad.pl',
        'reverseReturnPackCode' => $used ? sprintf('6707810972830000%08d', 26014876 + $i) : '',
        'code' => (string) (1414764219 + $i * 7919),
        'rma' => sprintf('ZAM/2024/%06d', 100000 + $i),
        'active' => 'true',
        'usedDate' => $used ? sprintf('2024-03-%02dT%02d:%02d:11', $day, 8 + $i % 12, $i % 60) : '',
        'createDate' => sprintf('2024-03-%02dT07:%02d:42', $day, $i % 60),
        'senderPhone' => (string) (600100200 + $i),
        'senderEmail' => "klient.{$i}@przyklad-poczta.pl",
        'reverseReturnPackStatus' => $used ? $statuses[$i % count($statuses)] : '',
        'statusDate' => $used ? sprintf('2024-03-%02dT18:%02d:05', $day, $i % 60) : '',
        'returnDescription1' => "Zamówienie:{$i} — zwrot 2 szt., powód: za mały rozmiar & wymiana",
        'used' => $used ? 'true' : 'false',
        'returnDescription2' => 'Łódź, rampa 4',
    ];
    $xml = "<{$tag}>";
    foreach ($fields as $name => $value) {
        $xml .= "<{$name}>" . htmlspecialchars($value, ENT_XML1 | ENT_QUOTES) . "</{$name}>";
    }

    return $xml . "</{$tag}>\n";
}

function report(bool $numbered): string
{
    $xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<paczkomaty><return>\n";
    for ($i = 0; $i < RECORDS; ++$i) {
        $xml .= record($i, $numbered ? (string) $i : 'item');
    }

    return $xml . "</return></paczkomaty>\n";
}

/**
 * Times one parser in this process: the median of ROUNDS runs after a warm-up, in seconds, and a
 * fingerprint of the codes it read.
 *
 * @return array{0: float, 1: string}
 */
function measure(callable $parse, callable $codes): array
{
    $result = $parse(); // warm-up
    $times = [];
    for ($r = 0; $r < ROUNDS; ++$r) {
        $result = null; // free the previous result before timing the next run
        $start = hrtime(true);
        $result = $parse();
        $times[] = (hrtime(true) - $start) / 1e9;
    }
    sort($times);
    $list = $codes($result);

    return [$times[intdiv(ROUNDS, 2)], count($list) . ':' . md5(implode(',', $list))];
}

// A child process times one parser (so that neither pays for the other's garbage in the
// allocators); the parent runs the children in turns and takes the median of their medians.
$only = getopt('', ['only:'])['only'] ?? null;
if ($only !== null) {
    [$seconds, $fingerprint] = match ($only) {
        'ours' => (static function (): array {
            $core = new Core();
            $xml = report(true);

            return measure(static fn () => $core->parseResponse('getReport', 200, $xml),
                static fn (array $v): array => array_column($v['records'], 'code'));
        })(),
        // The two parts of `ours`: the library call (copying the envelope out and freeing it
        // included), and unserialize() of the envelope.
        'call' => (static function (): array {
            $ffi = (new Core())->ffi();
            $xml = report(true);
            $call = static function () use ($ffi, $xml): string {
                $length = $ffi->new('size_t');
                $ptr = $ffi->inpost_returns_parse_response_php('getReport', 200, $xml, strlen($xml), FFI::addr($length));
                $s = FFI::string($ptr, $length->cdata);
                $ffi->inpost_returns_free($ptr);

                return $s;
            };

            return measure($call, static fn (string $s): array => array_column(unserialize($s)['value']['records'], 'code'));
        })(),
        'unserialize' => (static function (): array {
            $ffi = (new Core())->ffi();
            $xml = report(true);
            $length = $ffi->new('size_t');
            $ptr = $ffi->inpost_returns_parse_response_php('getReport', 200, $xml, strlen($xml), FFI::addr($length));
            $s = FFI::string($ptr, $length->cdata);
            $ffi->inpost_returns_free($ptr);

            return measure(static fn () => unserialize($s, ['allowed_classes' => false, 'max_depth' => 16]),
                static fn (array $v): array => array_column($v['value']['records'], 'code'));
        })(),
        'simplexml' => (static function (): array {
            $xml = report(false);

            return measure(static fn () => json_decode(json_encode(simplexml_load_string($xml)), true),
                static fn (array $v): array => array_column($v['return']['item'], 'code'));
        })(),
    };
    echo json_encode(['seconds' => $seconds, 'fingerprint' => $fingerprint]), "\n";
    exit(0);
}

$runs = ['ours' => [], 'simplexml' => [], 'call' => [], 'unserialize' => []];
$fingerprints = [];
for ($turn = 0; $turn < TURNS; ++$turn) {
    foreach (array_keys($runs) as $parser) {
        $output = shell_exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg(__FILE__) . ' --only=' . $parser);
        $child = json_decode((string) $output, true);
        if (!is_array($child)) {
            fwrite(STDERR, "the {$parser} run failed: {$output}\n");
            exit(2);
        }
        $runs[$parser][] = $child['seconds'];
        $fingerprints[$parser] = $child['fingerprint'];
    }
}
if (count(array_unique($fingerprints)) !== 1 || !str_starts_with($fingerprints['ours'], RECORDS . ':')) {
    fwrite(STDERR, 'the two parsers disagree: ' . json_encode($fingerprints) . "\n");
    exit(2);
}
$median = static function (array $list): float {
    sort($list);

    return $list[intdiv(count($list), 2)];
};
$ours = $median($runs['ours']);
$theirs = $median($runs['simplexml']);
$ratio = $ours / $theirs;
$core = new Core();
printf("report: %d records, %d KB, %s, PHP %s, library %s\n", RECORDS, intdiv(strlen(report(true)), 1024), php_uname('m'), PHP_VERSION, $core->version());
printf("  Core::parseResponse (Rust via FFI)            %6.2f ms\n", $ours * 1e3);
printf("    of which the library call (parse, write)   %6.2f ms\n", $median($runs['call']) * 1e3);
printf("    of which unserialize() of the envelope      %6.2f ms\n", $median($runs['unserialize']) * 1e3);
printf("  SimpleXML + json_encode/json_decode (<item>)  %6.2f ms\n", $theirs * 1e3);
printf("  ratio %.2f (target <= %.2f): %s  [median of %d processes x %d rounds each; load %.2f]\n", $ratio, TARGET, $ratio <= TARGET ? 'met' : 'MISSED', TURNS, ROUNDS, sys_getloadavg()[0]);
exit($ratio <= TARGET ? 0 : 1);
