<?php

/*
 * One catch per exception class: what each means and what to do. Runs against the local
 * sandbox (INPOST_BASE_URL, default http://127.0.0.1:8787/) and exits non-zero when an error
 * is not the one expected.
 */

declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Exception\ApiException;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;
use InPost\QuickReturns\Exception\UsageException;

function explain(callable $call): string
{
    try {
        $call();

        return 'no error';
    } catch (InvalidInputException $e) {
        // A value can never be valid; nothing was sent. Show it to whoever typed it.
        return "invalid input in {$e->getField()}: {$e->getMessage()}";
    } catch (ApiException $e) {
        // InPost said no (<error key="…">). The key is stable; the message is Polish text.
        return "InPost error {$e->getKey()} (HTTP {$e->getStatus()}): {$e->getMessage()}";
    } catch (UnexpectedResponseException $e) {
        // A proxy's error page, an empty or cut body, still there after the client's own retries.
        // If mayHaveSucceeded(), InPost may have carried the call out: reconcile through the
        // report as the message says before calling again.
        return "unexpected answer, HTTP {$e->getStatus()}: {$e->getMessage()}";
    } catch (TransportException $e) {
        // No answer at all (refused, TLS, timeout) after the client's own retries; the same
        // mayHaveSucceeded() rule applies.
        return "transport failure: {$e->getMessage()}";
    } catch (UsageException $e) {
        // A programming or setup error (library not found, FFI not enabled, …): fix and deploy.
        return "usage error: {$e->getMessage()}";
    }
}

$config = [
    'baseUrl' => getenv('INPOST_BASE_URL') ?: 'http://127.0.0.1:8787/',
    'email' => 'demo@example.com',
    'password' => 'demo-password',
    'maxRetries' => 0, // one attempt each, to show each class at once (the default is 2)
];
$client = new Client($config);
$details = ['packType' => 'A', 'expirationDate' => '2030-12-31T23:59:59', 'senderEmail' => 'jan@example.pl'];

$cases = [
    'invalid_input' => fn () => $client->generateActiveCode($details + ['rma' => 'Z-1', 'senderPhone' => '12345']),
    'api' => fn () => $client->invalidateCode('0000000000'),
    // A transport that hands back what a broken proxy sends, to show the class without a broken proxy.
    'unexpected_response' => fn () => (new Client($config, null, fn (array $request): array => [
        'status' => 502, 'body' => '<html><body><h1>502 Bad Gateway</h1></body></html>',
    ]))->getReport(),
    'transport' => fn () => (new Client(['baseUrl' => 'http://127.0.0.1:9/'] + $config))->getReport(),
    'usage' => fn () => $client->call('generateMagicCode', []),
];
$failed = false;
foreach ($cases as $kind => $call) {
    $text = explain($call);
    echo str_pad($kind, 20), $text, "\n";
    try {
        $call();
        $failed = true; // every case above must fail
    } catch (QuickReturnsException $e) {
        $failed = $failed || $e->getKind() !== $kind; // each case shows the kind it is named after
    }
}
exit($failed ? 1 : 0);
