<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Tests\Support\DroppingServer;
use InPost\QuickReturns\Transport\Psr18Transport;
use PHPUnit\Framework\TestCase;

/**
 * libcurl sends a request a second time, by itself, on a new connection when a reused keep-alive
 * connection dies before any byte of the answer ("Connection died, retrying a fresh connect").
 * A lost answer looks exactly like that, so for generateActiveCode it would be a second return
 * code nobody hears of (docs/clients.md). A stand-in server answers a report call on a kept-alive
 * connection, then reads the next call whole and closes (or resets) the connection unanswered;
 * its log shows how often each call arrived, and on which connection.
 */
final class SilentResendTest extends TestCase
{
    private const REPORT = 'POST /?do=revloggetreport';
    private const INACTIVE = 'POST /?do=revloggenerateinactivecodes';

    /** @return array<string, array{string}> */
    public static function modes(): array
    {
        return ['connection closed' => ['close'], 'connection reset' => ['reset']];
    }

    private static function server(string $mode): DroppingServer
    {
        if ($mode === 'reset' && !\extension_loaded('sockets')) {
            self::markTestSkipped('resetting a connection needs ext-sockets (php8.2-common has it)');
        }

        return new DroppingServer($mode);
    }

    /** @param array<string, mixed> $options */
    private static function guzzle(array $options): Psr18Transport
    {
        $autoload = '/usr/share/php/GuzzleHttp/autoload.php';
        if (!is_file($autoload)) {
            self::markTestSkipped('Guzzle (Debian php-guzzlehttp-guzzle) is not installed; make php-deps installs it');
        }
        require_once $autoload;
        $factory = new \GuzzleHttp\Psr7\HttpFactory();

        return new Psr18Transport(new \GuzzleHttp\Client($options), $factory, $factory);
    }

    /**
     * A report call (answered; its connection stays in the HTTP client's pool), then
     * generateInactiveCodes, which the client never sends again itself once it may have reached
     * InPost: every extra copy the server sees was sent by the HTTP client on its own.
     *
     * @return list<string> the server's log
     */
    private static function reportThenLostCall(DroppingServer $server, ?object $transport): array
    {
        $client = new Client(['baseUrl' => $server->baseUrl(), 'email' => 'a@b.pl', 'password' => 'Zx&9', 'retryDelayMs' => 1], null, $transport);
        self::assertSame(['records' => []], $client->getReport());
        try {
            $client->generateInactiveCodes(1);
            self::fail('no exception');
        } catch (TransportException $e) {
            self::assertTrue($e->mayHaveSucceeded(), $e->getMessage());
            self::assertStringNotContainsString('Zx', $e->getMessage());
        }

        return $server->requests();
    }

    /**
     * The measurement behind Psr18Transport's Guzzle options: Guzzle used directly, with its
     * defaults, lets libcurl send the lost call twice.
     *
     * @dataProvider modes
     */
    public function testGuzzleUsedDirectlyWithItsDefaultsSendsTheLostCallTwice(string $mode): void
    {
        $server = self::server($mode);
        self::guzzle([]);
        $guzzle = new \GuzzleHttp\Client(['http_errors' => false]);
        $factory = new \GuzzleHttp\Psr7\HttpFactory();
        $send = static fn (string $function) => $guzzle->sendRequest(
            $factory->createRequest('POST', $server->baseUrl() . '?do=' . $function)
                ->withHeader('Content-Type', 'application/x-www-form-urlencoded')
                ->withBody($factory->createStream('email=a%40b.pl&password=x&content=%3Cpaczkomaty%2F%3E')),
        );
        $send('revloggetreport');
        try {
            $send('revloggenerateinactivecodes');
            self::fail('no exception');
        } catch (\Psr\Http\Client\ClientExceptionInterface) {
        }

        self::assertSame([
            'connection 1 request 1 ' . self::REPORT,
            'connection 1 request 2 ' . self::INACTIVE, // the reused connection dies unanswered…
            'connection 2 request 1 ' . self::INACTIVE, // …and libcurl sends the call again by itself
        ], $server->requests());
    }

    /**
     * Through Psr18Transport the same Guzzle client sends it once: every request gets a
     * connection of its own, whatever the client was configured with.
     *
     * @dataProvider modes
     */
    public function testGuzzleWithItsDefaultsThroughTheTransportSendsTheLostCallOnce(string $mode): void
    {
        $server = self::server($mode);
        $transport = self::guzzle(['curl' => [\CURLOPT_USERAGENT => 'shop/1.0']]);

        self::assertSame([
            'connection 1 request 1 ' . self::REPORT,
            'connection 2 request 1 ' . self::INACTIVE,
        ], self::reportThenLostCall($server, $transport));
    }

    /** @dataProvider modes */
    public function testTheCurlTransportSendsTheLostCallOnce(string $mode): void
    {
        $server = self::server($mode);

        // A new curl handle per request: nothing is reused, so nothing is sent again.
        self::assertSame([
            'connection 1 request 1 ' . self::REPORT,
            'connection 2 request 1 ' . self::INACTIVE,
        ], self::reportThenLostCall($server, null));
    }

    /**
     * Guzzle throws a RequestException (PSR-18: "the request failed") for a connection reset
     * after the request was written; it must count as possibly delivered, not as never sent, or
     * generateActiveCode would be sent again without a report lookup.
     */
    public function testAResetAfterSendingIsPossiblyDeliveredThroughGuzzle(): void
    {
        $server = self::server('reset');
        $transport = self::guzzle(['http_errors' => false, 'curl' => [\CURLOPT_FRESH_CONNECT => true, \CURLOPT_FORBID_REUSE => true]]);
        try {
            $transport(['method' => 'POST', 'url' => $server->baseUrl() . '?do=revloggenerateactivecode', 'headers' => [], 'body' => 'x=1']);
            self::fail('no exception');
        } catch (QuickReturnsException $e) {
            self::assertInstanceOf(TransportException::class, $e);
            self::assertStringContainsString('GuzzleHttp\Exception\RequestException', $e->getMessage());
            self::assertTrue($e->mayHaveBeenSent(), $e->getMessage());
        }
        // Refused before anything was written: not sent (a retry is safe).
        $closed = 'http://127.0.0.1:' . \InPost\QuickReturns\Tests\Support\PhpServer::freePort() . '/';
        try {
            $transport(['method' => 'POST', 'url' => $closed, 'headers' => [], 'body' => 'x=1']);
            self::fail('no exception');
        } catch (TransportException $e) {
            self::assertFalse($e->mayHaveBeenSent(), $e->getMessage());
        }
    }
}
