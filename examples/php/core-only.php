<?php

/*
 * Core alone, with your own HTTP: build the request, send it however you like, parse the answer.
 * Here the sending is PHP's own stream wrapper, against the local sandbox (INPOST_BASE_URL,
 * default http://127.0.0.1:8787/). Exits non-zero on failure.
 */

declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';

use InPost\QuickReturns\Core;

$config = ['baseUrl' => getenv('INPOST_BASE_URL') ?: 'http://127.0.0.1:8787/', 'email' => 'demo@example.com', 'password' => 'demo-password'];

$core = new Core();
$request = $core->buildRequest('getReport', $config, ['used' => true]);
// $request = ['method' => 'POST', 'url' => …, 'headers' => [...], 'body' => 'email=…&password=…&content=…']

$headers = '';
foreach ($request['headers'] as $name => $value) {
    $headers .= "{$name}: {$value}\r\n";
}
$context = stream_context_create(['http' => [
    'method' => $request['method'],
    'header' => $headers,
    'content' => $request['body'],
    'ignore_errors' => true, // hand every status to the parser
    'timeout' => 10,
]]);
$body = file_get_contents($request['url'], false, $context);
if ($body === false) {
    fwrite(STDERR, "no answer from {$request['url']}\n");
    exit(1);
}
preg_match('{^HTTP/\S+ (\d{3})}', $http_response_header[0] ?? '', $m);
$status = (int) ($m[1] ?? 0);

$value = $core->parseResponse('getReport', $status, $body);
printf("HTTP %d, %d used code(s) in the report\n", $status, count($value['records']));
