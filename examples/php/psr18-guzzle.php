<?php

/*
 * The Client over a PSR-18 client (Guzzle, from Debian's php-guzzlehttp-guzzle or Composer)
 * instead of ext-curl, against the local sandbox (INPOST_BASE_URL, default http://127.0.0.1:8787/).
 */

declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';
require getenv('GUZZLE_AUTOLOAD') ?: '/usr/share/php/GuzzleHttp/autoload.php'; // or vendor/autoload.php

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Transport\Psr18Transport;

$config = ['baseUrl' => getenv('INPOST_BASE_URL') ?: 'http://127.0.0.1:8787/', 'email' => 'demo@example.com', 'password' => 'demo-password'];

// Psr18Transport gives every request a connection of its own, whatever the Guzzle client's pool.
$guzzle = new \GuzzleHttp\Client();
$factory = new \GuzzleHttp\Psr7\HttpFactory();
$transport = new Psr18Transport($guzzle, $factory, $factory);

$client = new Client($config, null, $transport);
$codes = $client->generateInactiveCodes(2)['codes'];
printf("via Guzzle: inactive codes %s\n", implode(', ', array_column($codes, 'code')));
