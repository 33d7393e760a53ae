<?php

/*
 * php smoke.php PACKAGE_DIR BASE_URL EXPECTED_PLATFORM: the release package on a PHP without
 * ext-curl (Debian's arm64 PHP under qemu-user, say): Core picks lib/EXPECTED_PLATFORM/ by itself,
 * and a Client with a stream-wrapper transport gets a return code from the sandbox at BASE_URL
 * and finds it in the report. Prints one line per check; exits non-zero on the first failure.
 */

declare(strict_types=1);

[, $package, $baseUrl, $expected] = $argv;
require $package . '/autoload.php';

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Core;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Platform;

function check(bool $ok, string $what): void
{
    echo ($ok ? 'ok   ' : 'FAIL ') . $what . "\n";
    if (!$ok) {
        exit(1);
    }
}

check(Platform::current() === $expected, 'platform ' . Platform::current() . " (machine " . php_uname('m') . ", PHP " . PHP_VERSION . ')');
$core = new Core();
check(str_ends_with($core->source(), "/lib/{$expected}/" . Platform::libraryFileName()), 'library ' . $core->source() . ', version ' . $core->version());

$transport = static function (array $request): array {
    $headers = '';
    foreach ($request['headers'] as $name => $value) {
        $headers .= "{$name}: {$value}\r\n";
    }
    $context = stream_context_create(['http' => ['method' => $request['method'], 'header' => $headers,
        'content' => $request['body'], 'ignore_errors' => true, 'timeout' => 20]]);
    $body = file_get_contents($request['url'], false, $context);
    $status = preg_match('~^HTTP/\S+ (\d{3})~', $http_response_header[0] ?? '', $m) === 1 ? (int) $m[1] : 0;

    return ['status' => $status, 'body' => (string) $body];
};
$client = new Client(['baseUrl' => $baseUrl, 'email' => 'demo@example.com', 'password' => 'demo-password'], $core, $transport);
$rma = 'SMOKE-' . bin2hex(random_bytes(3));
$code = $client->generateActiveCode(['rma' => $rma, 'packType' => 'a', 'expirationDate' => (new DateTimeImmutable('+7 days'))->format('Y-m-d\T23:59:59'),
    'senderPhone' => '+48 600-100-200', 'senderEmail' => 'jan@example.com', 'returnDescription1' => 'Zamówienie:1']);
check(preg_match('/^\d{10}$/', $code['code']) === 1 && $code['active'] === true && $code['packType'] === 'A', "generateActiveCode: {$code['code']}");
$report = $client->getReport(['rma' => $rma]);
check(\count($report['records']) === 1 && $report['records'][0]['code'] === $code['code'], 'getReport finds it');
try {
    $client->generateActiveCode(['rma' => $rma, 'packType' => 'A', 'expirationDate' => '2030-12-31T23:59:59', 'senderPhone' => '12', 'senderEmail' => 'jan@example.com']);
    check(false, 'a bad phone number is refused');
} catch (InvalidInputException $e) {
    check($e->getField() === 'senderPhone', "a bad phone number is refused before sending: field {$e->getField()}");
}
echo "smoke: passed\n";
