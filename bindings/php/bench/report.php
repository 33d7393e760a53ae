<?php

/*
 * Benchmark: parse a 1000-record getReport answer (~600 KB) with Core::parseResponse (Rust via
 * FFI) versus the usual PHP idiom, SimpleXML + json_encode/json_decode, on the same data with
 * <item> tags instead of InPost's <0>, <1>, … (which SimpleXML rejects).
 *
 *     make bench-php        # or: INPOST_QUICK_RETURNS_LIB=target/release/… php bindings/php/bench/report.php
 *
 * Target: Core::parseResponse takes at most half of SimpleXML's time. Exits 1 when missed.
 */

declare(strict_types=1);

require __DIR__ . '/../autoload.php';

use InPost\QuickReturns\Core;

const RECORDS = 1000;
const ROUNDS = 51;

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
 * Runs the parsers in turns, round after round (so that a busy machine slows both alike), and
 * returns each one's median time in seconds and its last result.
 *
 * @param array<string, callable> $parsers
 *
 * @return array<string, array{0: float, 1: mixed}>
 */
function measure(array $parsers): array
{
    $times = $results = [];
    foreach ($parsers as $name => $parse) {
        $results[$name] = $parse(); // warm-up
    }
    for ($r = 0; $r < ROUNDS; ++$r) {
        foreach ($parsers as $name => $parse) {
            $results[$name] = null; // free the previous result before timing the next one
            $start = hrtime(true);
            $results[$name] = $parse();
            $times[$name][] = (hrtime(true) - $start) / 1e9;
        }
    }
    $out = [];
    foreach ($times as $name => $list) {
        sort($list);
        $out[$name] = [$list[intdiv(ROUNDS, 2)], $results[$name]];
    }

    return $out;
}

$core = new Core();
$inpost = report(true);
$items = report(false);

[
    'ours' => [$ours, $parsed],
    'simplexml' => [$theirs, $decoded],
] = measure([
    'ours' => static fn () => $core->parseResponse('getReport', 200, $inpost),
    'simplexml' => static fn () => json_decode(json_encode(simplexml_load_string($items)), true),
]);

// Both read the same records.
$codes = array_column($parsed['records'], 'code');
if (count($codes) !== RECORDS || $codes !== array_column($decoded['return']['item'], 'code')) {
    fwrite(STDERR, "the two parsers disagree\n");
    exit(2);
}

$ratio = $ours / $theirs;
printf("report: %d records, %d KB (%s), PHP %s, library %s\n", RECORDS, intdiv(strlen($inpost), 1024), php_uname('m'), PHP_VERSION, $core->version());
printf("  Core::parseResponse (Rust via FFI)          %7.2f ms\n", $ours * 1e3);
printf("  SimpleXML + json_encode/json_decode (<item>) %7.2f ms\n", $theirs * 1e3);
printf("  ratio %.2f (target <= 0.50): %s  [median of %d rounds]\n", $ratio, $ratio <= 0.5 ? 'met' : 'MISSED', ROUNDS);
exit($ratio <= 0.5 ? 0 : 1);
