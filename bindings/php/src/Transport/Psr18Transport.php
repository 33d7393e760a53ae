<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Transport;

use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;
use Psr\Http\Client\ClientExceptionInterface;
use Psr\Http\Client\ClientInterface;
use Psr\Http\Client\RequestExceptionInterface;
use Psr\Http\Message\RequestFactoryInterface;
use Psr\Http\Message\StreamFactoryInterface;

/**
 * Sends requests through any PSR-18 HTTP client (Guzzle, Symfony HttpClient, …) with PSR-17
 * factories. The psr/http-* packages are not required by this package; install them (and a
 * client) to use this class. The answer is read in chunks up to a cap (64 MiB); the client's own
 * timeouts apply to each attempt.
 *
 * A Guzzle client is sent each request with a connection of its own (CURLOPT_FRESH_CONNECT and
 * CURLOPT_FORBID_REUSE added to its `curl` options): libcurl re-sends a request by itself when a
 * pooled connection dies unanswered, which for generateActiveCode would be a second return code
 * (docs/clients.md, "libcurl's own second try").
 */
final class Psr18Transport
{
    public function __construct(
        private readonly ClientInterface $client,
        private readonly RequestFactoryInterface $requests,
        private readonly StreamFactoryInterface $streams,
        private readonly int $maxBodyBytes = CurlTransport::MAX_BODY_BYTES,
    ) {
    }

    /**
     * @param array{method: string, url: string, headers: array<string, string>, body: string} $request
     *
     * @return array{status: int, body: string}
     */
    public function __invoke(array $request): array
    {
        $message = $this->requests->createRequest($request['method'], $request['url'])
            ->withBody($this->streams->createStream($request['body']));
        foreach ($request['headers'] as $name => $value) {
            $message = $message->withHeader($name, $value);
        }
        try {
            $response = $this->client instanceof \GuzzleHttp\ClientInterface
                ? $this->client->send($message, self::guzzleOptions($this->client))
                : $this->client->sendRequest($message);
        } catch (ClientExceptionInterface $e) {
            // Not chained: a client's exception may carry the request (and so the password).
            throw new TransportException(sprintf(
                '%s %s failed: %s: %s',
                $request['method'],
                $request['url'],
                $e::class,
                str_replace($request['body'], '[redacted]', $e->getMessage()),
            ), self::mayHaveBeenSent($e));
        }

        $stream = $response->getBody();
        $body = '';
        while (!$stream->eof()) {
            $chunk = $stream->read(65536);
            if ($chunk === '') {
                break;
            }
            if (\strlen($body) + \strlen($chunk) > $this->maxBodyBytes) {
                $stream->close();
                $status = $response->getStatusCode();
                throw new UnexpectedResponseException(CurlTransport::tooLarge($request, $status, $this->maxBodyBytes), $status);
            }
            $body .= $chunk;
        }

        return ['status' => $response->getStatusCode(), 'body' => $body];
    }

    /**
     * What Guzzle's sendRequest() uses (no redirects, no exception for 4xx/5xx), plus a new
     * connection per request on top of the client's own curl options.
     *
     * @return array<string, mixed>
     */
    private static function guzzleOptions(\GuzzleHttp\ClientInterface $client): array
    {
        // getConfig() is deprecated for Guzzle 8 but is the only way to keep the client's options.
        $curl = method_exists($client, 'getConfig') ? $client->getConfig('curl') : null;

        return [
            'allow_redirects' => false,
            'http_errors' => false,
            'curl' => [\CURLOPT_FRESH_CONNECT => true, \CURLOPT_FORBID_REUSE => true] + (\is_array($curl) ? $curl : []),
        ];
    }

    /**
     * PSR-18: a RequestException is a request that could not be sent (invalid, say), a
     * NetworkException one that got no answer. Guzzle also throws its RequestException for
     * network failures after sending (curl error 56, a connection reset), so where an exception
     * carries Guzzle's handler context, curl's error number and request size decide, as for
     * {@see CurlTransport}.
     */
    private static function mayHaveBeenSent(ClientExceptionInterface $e): bool
    {
        if (method_exists($e, 'getHandlerContext')) {
            $context = $e->getHandlerContext();

            // No curl error: Guzzle failed while handling an answer, so the request went out.
            return !\is_array($context) || !isset($context['errno'])
                || CurlTransport::mayHaveBeenSent((int) $context['errno'], (int) ($context['request_size'] ?? 1));
        }

        return !$e instanceof RequestExceptionInterface;
    }
}
