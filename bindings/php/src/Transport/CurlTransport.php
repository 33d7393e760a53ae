<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Transport;

use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;
use InPost\QuickReturns\Exception\UsageException;

/**
 * The default transport: ext-curl, TLS verification on (never turned off), no redirects followed,
 * connect and total timeouts, and an answer read only up to a cap (64 MiB, what the core accepts
 * at most). Sends exactly the built request's method, URL, headers and body.
 */
final class CurlTransport
{
    /** The largest answer read; the core refuses bigger ones anyway. */
    public const MAX_BODY_BYTES = 64 * 1024 * 1024;

    /**
     * curl errors that happen before any byte of the request is sent: the request cannot have
     * reached InPost, so any call may be retried.
     */
    private const NOT_SENT_ERRORS = [
        1,  // CURLE_UNSUPPORTED_PROTOCOL
        3,  // CURLE_URL_MALFORMAT
        5,  // CURLE_COULDNT_RESOLVE_PROXY
        6,  // CURLE_COULDNT_RESOLVE_HOST
        7,  // CURLE_COULDNT_CONNECT
        35, // CURLE_SSL_CONNECT_ERROR (TLS handshake)
        51, // CURLE_PEER_FAILED_VERIFICATION (older libcurl)
        53, // CURLE_SSL_ENGINE_NOTFOUND
        58, // CURLE_SSL_CERTPROBLEM
        59, // CURLE_SSL_CIPHER
        60, // CURLE_PEER_FAILED_VERIFICATION / CURLE_SSL_CACERT
        77, // CURLE_SSL_CACERT_BADFILE
        83, // CURLE_SSL_ISSUER_ERROR
        90, // CURLE_SSL_PINNEDPUBKEYNOTMATCH
        91, // CURLE_SSL_INVALIDCERTSTATUS
    ];

    public function __construct(
        private readonly float $connectTimeoutSeconds = 10.0,
        private readonly float $timeoutSeconds = 30.0,
        private readonly int $maxBodyBytes = self::MAX_BODY_BYTES,
    ) {
        if (!\extension_loaded('curl')) {
            throw new UsageException('ext-curl is not loaded: install php-curl, or pass a transport'
                . ' (a callable or a PSR-18 client) to the Client');
        }
    }

    /**
     * @param array{method: string, url: string, headers: array<string, string>, body: string} $request
     * @param float|null $timeoutSeconds this request's total time limit, if shorter than the
     *                                   transport's (the client passes what is left of its deadline)
     *
     * @return array{status: int, body: string}
     */
    public function __invoke(array $request, ?float $timeoutSeconds = null): array
    {
        $total = min($timeoutSeconds ?? $this->timeoutSeconds, $this->timeoutSeconds);
        $headers = ['Expect:']; // no "Expect: 100-continue" round trip for larger bodies
        foreach ($request['headers'] as $name => $value) {
            $headers[] = $name . ': ' . $value;
        }
        $handle = curl_init();
        if ($handle === false) {
            throw new TransportException('curl_init() failed', false);
        }
        $body = '';
        $tooLarge = false;
        $cap = $this->maxBodyBytes;
        try {
            curl_setopt_array($handle, [
                \CURLOPT_URL => $request['url'],
                \CURLOPT_CUSTOMREQUEST => $request['method'],
                \CURLOPT_POSTFIELDS => $request['body'],
                \CURLOPT_HTTPHEADER => $headers,
                // Read the answer chunk by chunk and stop past the cap, instead of buffering
                // whatever the server sends.
                \CURLOPT_WRITEFUNCTION => static function ($handle, string $chunk) use (&$body, &$tooLarge, $cap): int {
                    if (\strlen($body) + \strlen($chunk) > $cap) {
                        $tooLarge = true;

                        return 0; // fewer bytes than given: curl aborts the transfer
                    }
                    $body .= $chunk;

                    return \strlen($chunk);
                },
                \CURLOPT_FOLLOWLOCATION => false,
                \CURLOPT_PROTOCOLS => \CURLPROTO_HTTP | \CURLPROTO_HTTPS,
                \CURLOPT_SSL_VERIFYPEER => true,
                \CURLOPT_SSL_VERIFYHOST => 2,
                \CURLOPT_CONNECTTIMEOUT_MS => self::milliseconds(min($this->connectTimeoutSeconds, $total)),
                \CURLOPT_TIMEOUT_MS => self::milliseconds($total),
                \CURLOPT_NOSIGNAL => true,
            ]);
            $ok = curl_exec($handle);
            $status = (int) curl_getinfo($handle, \CURLINFO_RESPONSE_CODE);
            if ($tooLarge) {
                throw new UnexpectedResponseException(self::tooLarge($request, $status, $cap), $status);
            }
            if ($ok === false) {
                $errno = curl_errno($handle);
                $sent = self::mayHaveBeenSent($errno, (int) curl_getinfo($handle, \CURLINFO_REQUEST_SIZE));
                // curl's messages name the host, port or URL, never the POST body.
                throw new TransportException(sprintf(
                    '%s %s failed: %s (curl error %d)',
                    $request['method'],
                    $request['url'],
                    curl_error($handle),
                    $errno,
                ), $sent);
            }

            return ['status' => $status, 'body' => $body];
        } finally {
            curl_close($handle);
        }
    }

    /**
     * Whether a failed curl transfer may have delivered its request: not after an error that
     * strikes before sending (the connection or the TLS handshake failed), nor before curl wrote
     * a byte of it (curl counts the request's bytes once it starts writing them). Shared with
     * {@see Psr18Transport}, which reads both from Guzzle's handler context.
     *
     * @internal
     */
    public static function mayHaveBeenSent(int $errno, int $requestSize): bool
    {
        return !\in_array($errno, self::NOT_SENT_ERRORS, true) && $requestSize > 0;
    }

    private static function milliseconds(float $seconds): int
    {
        return max(1, (int) round($seconds * 1000));
    }

    /**
     * The message for an answer past the cap (shared with {@see Psr18Transport}).
     *
     * @param array{method: string, url: string} $request
     *
     * @internal
     */
    public static function tooLarge(array $request, int $status, int $cap): string
    {
        $size = $cap % (1024 * 1024) === 0 ? ($cap / (1024 * 1024)) . ' MiB' : "{$cap} bytes";

        return "{$request['method']} {$request['url']}: the answer (HTTP {$status}) is larger than {$size}; stopped reading it";
    }
}
