<?php

declare(strict_types=1);

namespace InPost\QuickReturns;

use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UsageException;
use InPost\QuickReturns\Transport\CurlTransport;
use InPost\QuickReturns\Transport\Psr18Transport;

/**
 * InPost Quick Returns over HTTPS: builds each request with the core, sends it, parses the answer.
 *
 * Config: `environment` (`production`|`sandbox`) or `baseUrl`, `email`, `password`, and for the
 * default curl transport `connectTimeoutSeconds` (default 10) and `timeoutSeconds` (default 30).
 *
 * Every method throws a {@see QuickReturnsException} subclass on failure: InvalidInputException
 * (nothing was sent), ApiException (InPost said `<error>`), UnexpectedResponseException (e.g. a
 * 502 page), TransportException (no answer: refused, TLS, timeout), UsageException.
 */
final class Client
{
    public const DEFAULT_CONNECT_TIMEOUT = 10.0;
    public const DEFAULT_TIMEOUT = 30.0;
    public const DEFAULT_PAGE_LIMIT = 1000;
    /** Config keys used by this client only; they are not passed to the core. */
    private const CLIENT_KEYS = ['connectTimeoutSeconds', 'timeoutSeconds'];

    private readonly Core $core;
    /** @var array<string, mixed> */
    private readonly array $config;
    /** @var callable(array): array */
    private $transport;
    /** @var list<string> strings that must never appear in an error message */
    private readonly array $secrets;

    /**
     * @param array<string, mixed>   $config    see the class comment
     * @param Core|null              $core      default: a Core loaded the default way
     * @param callable|object|null   $transport `callable(array $request): array{status: int, body: string}`,
     *                                          a {@see Psr18Transport}, a PSR-18 client that is also a
     *                                          PSR-17 request and stream factory, or null for ext-curl
     */
    public function __construct(array $config, ?Core $core = null, callable|object|null $transport = null)
    {
        $connect = self::seconds($config, 'connectTimeoutSeconds', self::DEFAULT_CONNECT_TIMEOUT);
        $total = self::seconds($config, 'timeoutSeconds', self::DEFAULT_TIMEOUT);
        $this->config = array_diff_key($config, array_flip(self::CLIENT_KEYS));
        $this->secrets = self::secretsOf($config);
        $this->core = $core ?? new Core();
        $this->transport = self::transport($transport, $connect, $total);
    }

    /**
     * Scenario 1: an active return code for one return (rma, packType, expirationDate,
     * senderPhone, senderEmail, optional returnDescription1 and address).
     *
     * @param array<string, mixed> $input
     *
     * @return array{code: ?string, active: ?bool, expirationDate: ?string, packType: ?string, uuid: ?string, labelAttached: ?bool, extra: array<string, string>}
     */
    public function generateActiveCode(array $input): array
    {
        return $this->call('generateActiveCode', $input);
    }

    /**
     * Scenario 2: a batch of inactive codes, to print or pack with products.
     *
     * @return array{codes: list<array<string, mixed>>}
     */
    public function generateInactiveCodes(int $numberOfCodes): array
    {
        return $this->call('generateInactiveCodes', ['numberOfCodes' => $numberOfCodes]);
    }

    /**
     * Scenario 2: activates an inactive code for a customer (code, packType, expirationDate,
     * senderPhone, senderEmail, optional rma, returnDescription1, address).
     *
     * @param array<string, mixed> $input
     *
     * @return array<string, mixed>
     */
    public function activateCode(array $input): array
    {
        return $this->call('activateCode', $input);
    }

    /**
     * Disables an inactive, unused code.
     *
     * @return array{valid: ?bool, extra: array<string, string>}
     */
    public function invalidateCode(string $code): array
    {
        return $this->call('invalidateCode', ['code' => $code]);
    }

    /**
     * One page of the report (filters: used, active, packCode, code, rma,
     * dateRange {startDate, endDate}, paging {limit, offset}).
     *
     * @param array<string, mixed> $query
     *
     * @return array{records: list<array<string, mixed>>}
     */
    public function getReport(array $query = []): array
    {
        return $this->call('getReport', $query);
    }

    /**
     * Every record of the report, page after page (`paging.limit`, default 1000, and a 0-based
     * `paging.offset`), stopping after a page with fewer records than the limit.
     *
     * @param array<string, mixed> $query filters as for getReport; paging sets the first page
     *
     * @return \Generator<int, array<string, mixed>>
     */
    public function reportRecords(array $query = []): \Generator
    {
        $paging = \is_array($query['paging'] ?? null) ? $query['paging'] : [];
        $limit = $paging['limit'] ?? self::DEFAULT_PAGE_LIMIT;
        $offset = $paging['offset'] ?? 0;
        if (!\is_int($limit) || $limit < 1 || !\is_int($offset) || $offset < 0) {
            throw new InvalidInputException('paging.limit must be a positive integer and paging.offset a non-negative integer', 'paging');
        }
        $index = 0;
        while (true) {
            $query['paging'] = ['limit' => $limit, 'offset' => $offset];
            $records = $this->getReport($query)['records'] ?? [];
            foreach ($records as $record) {
                yield $index++ => $record;
            }
            if (\count($records) < $limit) {
                return;
            }
            $offset += $limit;
        }
    }

    /** The core this client uses. */
    public function core(): Core
    {
        return $this->core;
    }

    /**
     * Builds, sends and parses one operation.
     *
     * @param array<string, mixed> $input
     *
     * @return array<string, mixed>
     */
    public function call(string $operation, array $input): array
    {
        $request = $this->core->buildRequest($operation, $this->config, $input);
        try {
            $response = ($this->transport)($request);
        } catch (QuickReturnsException $e) {
            if ($e instanceof TransportException) {
                throw new TransportException($this->redact($e->getMessage()));
            }
            throw $e;
        } catch (\Throwable $e) {
            // The original is not chained: its message or trace could hold the request body.
            throw new TransportException(sprintf(
                '%s %s failed: %s: %s',
                $request['method'],
                $request['url'],
                $e::class,
                $this->redact($e->getMessage(), $request['body']),
            ));
        }
        if (!\is_array($response) || !\is_int($response['status'] ?? null) || !\is_string($response['body'] ?? null)) {
            throw new UsageException('the transport must return [\'status\' => int, \'body\' => string]');
        }

        try {
            return $this->core->parseResponse($operation, $response['status'], $response['body']);
        } catch (QuickReturnsException $e) {
            // An answer quoted in the message (InPost's text, a proxy's page) may echo the login.
            throw $e->redact(...$this->secrets);
        }
    }

    private function redact(string $message, string ...$more): string
    {
        foreach ([...$more, ...$this->secrets] as $secret) {
            if ($secret !== '') {
                $message = str_replace($secret, '[redacted]', $message);
            }
        }

        return $message;
    }

    /**
     * @param array<string, mixed> $config
     *
     * @return list<string>
     */
    private static function secretsOf(array $config): array
    {
        $secrets = [];
        foreach (['password', 'email'] as $key) {
            $value = $config[$key] ?? null;
            if (\is_string($value) && $value !== '') {
                array_push($secrets, $value, urlencode($value), rawurlencode($value));
            }
        }
        // Longest first, so that a secret inside another is not half-redacted.
        usort($secrets, static fn (string $a, string $b): int => \strlen($b) <=> \strlen($a));

        return array_values(array_unique($secrets));
    }

    /** @param array<string, mixed> $config */
    private static function seconds(array $config, string $key, float $default): float
    {
        if (!\array_key_exists($key, $config)) {
            return $default;
        }
        $value = $config[$key];
        if ((!\is_int($value) && !\is_float($value)) || !is_finite((float) $value) || $value <= 0) {
            throw new InvalidInputException("{$key} must be a positive number of seconds", "config.{$key}");
        }

        return (float) $value;
    }

    /** @return callable(array): array */
    private static function transport(callable|object|null $transport, float $connect, float $total): callable
    {
        if ($transport === null) {
            return new CurlTransport($connect, $total);
        }
        if (\is_callable($transport)) {
            return $transport;
        }
        if (interface_exists(\Psr\Http\Client\ClientInterface::class) && $transport instanceof \Psr\Http\Client\ClientInterface) {
            if (interface_exists(\Psr\Http\Message\RequestFactoryInterface::class)
                && interface_exists(\Psr\Http\Message\StreamFactoryInterface::class)
                && $transport instanceof \Psr\Http\Message\RequestFactoryInterface
                && $transport instanceof \Psr\Http\Message\StreamFactoryInterface) {
                return new Psr18Transport($transport, $transport, $transport);
            }
            throw new UsageException('a PSR-18 client needs PSR-17 factories: pass new '
                . Psr18Transport::class . '($client, $requestFactory, $streamFactory) as the transport');
        }
        throw new UsageException('the transport must be a callable(array $request): array{status: int, body: string}'
            . ' or a PSR-18 client, got ' . get_debug_type($transport));
    }
}
