<?php

/*
 * InPost Quick Returns from PHP, against the local sandbox: both scenarios, parcel progress, the
 * report page by page, an answer lost on its way back (and recovered), and an input error
 * explained.
 *
 *     cargo run -p inpost-returns-sandbox &            # listening on http://127.0.0.1:8787/
 *     make php-lib                                     # or: export INPOST_QUICK_RETURNS_LIB=…
 *     php examples/php/quickstart.php
 *
 * Env: INPOST_BASE_URL (default http://127.0.0.1:8787/), INPOST_EMAIL, INPOST_PASSWORD (default
 * the sandbox's demo account). It resets the sandbox first. Exits non-zero on any unexpected error.
 */

declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Core;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Transport\CurlTransport;

$baseUrl = getenv('INPOST_BASE_URL') ?: 'http://127.0.0.1:8787/';
$config = [
    'baseUrl' => $baseUrl,
    'email' => getenv('INPOST_EMAIL') ?: 'demo@example.com',
    'password' => getenv('INPOST_PASSWORD') ?: 'demo-password',
    'timeoutSeconds' => 10,
    // The client retries what is safe to retry (docs/clients.md); the shop never loops itself.
    'maxRetries' => 2,
    'retryDelayMs' => 250,
    'onRetry' => static function (array $event): void {
        echo "   [{$event['type']}] {$event['message']}\n"; // never holds the password
    },
];

/** The sandbox's test hooks (not part of InPost's API): reset, and move a parcel along. */
function sandbox_hook(string $baseUrl, string $path, array $fields = []): void
{
    $handle = curl_init($baseUrl . $path);
    curl_setopt_array($handle, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => http_build_query($fields),
        CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 10]);
    $body = curl_exec($handle);
    $status = curl_getinfo($handle, CURLINFO_RESPONSE_CODE);
    curl_close($handle);
    if ($body === false || $status !== 200) {
        throw new RuntimeException("sandbox hook {$path} failed (HTTP {$status}); is the sandbox running at {$baseUrl}?");
    }
}

function yes_no(?bool $value): string
{
    return $value === null ? '-' : ($value ? 'yes' : 'no');
}

try {
    // In a checkout without `make php-lib`, use the cargo build directly.
    $library = getenv(Core::LIBRARY_ENV) ?: null;
    $built = __DIR__ . '/../../target/release/' . Core::libraryFileName();
    if ($library === null && !is_file(__DIR__ . '/../../bindings/php/lib/' . Core::libraryFileName()) && is_file($built)) {
        $library = $built;
    }
    $client = new Client($config, new Core($library));
    sandbox_hook($baseUrl, '_sandbox/reset');
    echo "InPost Quick Returns {$client->core()->version()} against {$baseUrl} (sandbox reset)\n\n";

    // Scenario 1: the shop accepts returns of two orders and asks InPost for an active code each.
    echo "== Scenario 1: active return codes for accepted returns\n";
    $expires = (new DateTimeImmutable('+14 days'))->format('Y-m-d\T23:59:59');
    $returns = [
        ['rma' => 'ZAM-1001', 'packType' => 'b', 'senderPhone' => '+48 600-100-200', 'senderEmail' => 'jan.kowalski@example.pl'],
        ['rma' => 'ZAM-1002', 'packType' => 'A', 'senderPhone' => '0048 512 345 678', 'senderEmail' => 'ewa.wisniewska@example.pl'],
    ];
    $activeCodes = [];
    foreach ($returns as $return) {
        $code = $client->generateActiveCode($return + [
            'expirationDate' => $expires,
            'returnDescription1' => 'Zamówienie:' . substr($return['rma'], 4),
        ]);
        $activeCodes[$return['rma']] = $code['code'];
        printf("   order %s: code %s, locker size %s, valid until %s (active: %s)\n",
            $return['rma'], $code['code'], $code['packType'], $code['expirationDate'], yes_no($code['active']));
    }
    $active = ['code' => $activeCodes['ZAM-1001']];
    echo "\n";

    // Scenario 2: inactive codes packed with products; one is activated when its customer asks.
    echo "== Scenario 2: inactive codes packed with products\n";
    $codes = array_column($client->generateInactiveCodes(3)['codes'], 'code');
    printf("   generated %d inactive codes: %s\n", count($codes), implode(', ', $codes));
    $activated = $client->activateCode([
        'code' => $codes[0],
        'rma' => 'SN-778899',
        'packType' => 'A',
        'expirationDate' => $expires,
        'senderPhone' => '501 234 567',
        'senderEmail' => 'anna.nowak@example.pl',
    ]);
    printf("   activated %s for serial number SN-778899 (active: %s, until %s)\n",
        $codes[0], yes_no($activated['active']), $activated['expirationDate'] ?? $expires);
    $invalidated = $client->invalidateCode($codes[2]);
    printf("   disabled the unused code %s (valid: %s)\n\n", $codes[2], yes_no($invalidated['valid']));

    // The customer drops the ZAM-1001 parcel at a locker; a courier picks it up (sandbox hooks).
    echo "== The ZAM-1001 parcel moves along (sandbox hooks)\n";
    foreach (['Created', 'InTransit'] as $status) {
        sandbox_hook($baseUrl, '_sandbox/parcel', ['code' => $active['code'], 'status' => $status]);
        echo "   {$active['code']} -> {$status}\n";
    }
    echo "\n";

    // The report, two records a page (InPost allows up to 1000).
    echo "== Report, 2 records a page\n";
    $limit = 2;
    for ($offset = 0, $page = 1; ; $offset += $limit, ++$page) {
        $records = $client->getReport(['paging' => ['limit' => $limit, 'offset' => $offset]])['records'];
        printf("   page %d (offset %d): %d record(s)\n", $page, $offset, count($records));
        foreach ($records as $r) {
            printf("     %-10s rma %-10s active %-3s used %-3s shipment %s\n", $r['code'] ?? '-', $r['rma'] ?? '-',
                yes_no($r['active']), yes_no($r['used']),
                $r['reverseReturnPackStatus'] !== null ? "{$r['reverseReturnPackStatus']} ({$r['reverseReturnPackCode']})" : '-');
        }
        if (count($records) < $limit) {
            break;
        }
    }
    $all = iterator_to_array($client->reportRecords(['paging' => ['limit' => $limit]]));
    printf("   reportRecords() walked the same pages: %d records\n\n", count($all));

    // A lost answer: the request reaches InPost (here the sandbox) and the code is made, but the
    // answer never comes back (here a transport that drops it). A retry would make a second code;
    // the client looks the return up in the report instead and answers with the code it finds.
    echo "== An answer lost on its way back\n";
    $curl = new CurlTransport();
    $lost = false;
    $losing = static function (array $request) use ($curl, &$lost): array {
        $response = $curl($request);
        if (!$lost && str_contains($request['url'], 'revloggenerateactivecode')) {
            $lost = true;
            throw new TransportException("{$request['method']} {$request['url']} failed: connection reset (simulated)");
        }

        return $response;
    };
    $code = (new Client($config, $client->core(), $losing))->generateActiveCode([
        'rma' => 'ZAM-1004', 'packType' => 'A', 'expirationDate' => $expires,
        'senderPhone' => '600 100 200', 'senderEmail' => 'jan.kowalski@example.pl',
    ]);
    printf("   order ZAM-1004: code %s (recovered: %s); InPost holds %d code(s) for ZAM-1004\n\n", $code['code'],
        yes_no($code['recovered']), count($client->getReport(['rma' => 'ZAM-1004'])['records']));

    // A mistake caught before anything is sent.
    echo "== A bad phone number\n";
    try {
        $client->generateActiveCode(['rma' => 'ZAM-1003', 'packType' => 'A', 'expirationDate' => $expires,
            'senderPhone' => '600-100', 'senderEmail' => 'jan.kowalski@example.pl']);
        throw new RuntimeException('the bad phone number was accepted');
    } catch (InvalidInputException $e) {
        printf("   refused, nothing sent (field %s): %s\n", $e->getField(), $e->getMessage());
        if ($e->getField() !== 'senderPhone') {
            throw new RuntimeException("expected field senderPhone, got {$e->getField()}");
        }
    }
    echo "\ndone\n";
} catch (QuickReturnsException $e) {
    fprintf(STDERR, "quickstart failed: %s (%s): %s\n", get_class($e), $e->getKind(), $e->getMessage());
    exit(1);
} catch (Throwable $e) {
    fprintf(STDERR, "quickstart failed: %s: %s\n", get_class($e), $e->getMessage());
    exit(1);
}
