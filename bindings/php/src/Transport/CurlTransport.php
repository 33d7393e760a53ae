<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Transport;

use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UsageException;

/**
 * The default transport: ext-curl, TLS verification on (never turned off), no redirects followed,
 * connect and total timeouts. Sends exactly the built request's method, URL, headers and body.
 */
final class CurlTransport
{
    public function __construct(
        private readonly float $connectTimeoutSeconds = 10.0,
        private readonly float $timeoutSeconds = 30.0,
    ) {
        if (!\extension_loaded('curl')) {
            throw new UsageException('ext-curl is not loaded: install php-curl, or pass a transport'
                . ' (a callable or a PSR-18 client) to the Client');
        }
    }

    /**
     * @param array{method: string, url: string, headers: array<string, string>, body: string} $request
     *
     * @return array{status: int, body: string}
     */
    public function __invoke(array $request): array
    {
        $headers = ['Expect:']; // no "Expect: 100-continue" round trip for larger bodies
        foreach ($request['headers'] as $name => $value) {
            $headers[] = $name . ': ' . $value;
        }
        $handle = curl_init();
        if ($handle === false) {
            throw new TransportException('curl_init() failed');
        }
        try {
            curl_setopt_array($handle, [
                \CURLOPT_URL => $request['url'],
                \CURLOPT_CUSTOMREQUEST => $request['method'],
                \CURLOPT_POSTFIELDS => $request['body'],
                \CURLOPT_HTTPHEADER => $headers,
                \CURLOPT_RETURNTRANSFER => true,
                \CURLOPT_FOLLOWLOCATION => false,
                \CURLOPT_PROTOCOLS => \CURLPROTO_HTTP | \CURLPROTO_HTTPS,
                \CURLOPT_SSL_VERIFYPEER => true,
                \CURLOPT_SSL_VERIFYHOST => 2,
                \CURLOPT_CONNECTTIMEOUT_MS => max(1, (int) round($this->connectTimeoutSeconds * 1000)),
                \CURLOPT_TIMEOUT_MS => max(1, (int) round($this->timeoutSeconds * 1000)),
                \CURLOPT_NOSIGNAL => true,
            ]);
            $body = curl_exec($handle);
            if (!\is_string($body)) {
                // curl's messages name the host, port or URL, never the POST body.
                throw new TransportException(sprintf(
                    '%s %s failed: %s (curl error %d)',
                    $request['method'],
                    $request['url'],
                    curl_error($handle),
                    curl_errno($handle),
                ));
            }

            return ['status' => (int) curl_getinfo($handle, \CURLINFO_RESPONSE_CODE), 'body' => $body];
        } finally {
            curl_close($handle);
        }
    }
}
