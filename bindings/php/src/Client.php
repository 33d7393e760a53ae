<?php

declare(strict_types=1);

namespace InPost\QuickReturns;

use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;
use InPost\QuickReturns\Exception\UsageException;
use InPost\QuickReturns\Transport\CurlTransport;
use InPost\QuickReturns\Transport\Psr18Transport;

/**
 * InPost Quick Returns over HTTPS: builds each request with the core, sends it, parses the answer,
 * and retries safely when the network fails (docs/clients.md). Inputs, values and error kinds are
 * the contract's (docs/contract.md).
 *
 * Config: `environment` (`production`|`sandbox`) or `baseUrl`, `email`, `password`; optional
 * `maxRetries` (default 2), `retryDelayMs` (default 250), `deadlineSeconds` (default 60: one
 * method call, retries included, never takes longer), `onRetry` (a callable that receives every
 * retry, lookup and recovery as an array), `logger` (a PSR-3 logger, for the same), and for the
 * default curl transport `connectTimeoutSeconds` (default 10) and `timeoutSeconds` (default 30,
 * per attempt).
 *
 * A call that may have reached InPost although its answer was lost is never simply sent again
 * when that could make a second code: `generateActiveCode`, `activateCode` and `invalidateCode`
 * first look in the report whether it took effect (and answer from there, with `recovered` true);
 * `generateInactiveCodes` is not retried and its error says `mayHaveSucceeded()`.
 *
 * Every method throws a {@see QuickReturnsException} subclass on failure: InvalidInputException
 * (nothing was sent), ApiException (InPost said `<error>`), UnexpectedResponseException (e.g. a
 * 502 page), TransportException (no answer: refused, TLS, timeout), UsageException.
 */
final class Client
{
    public const DEFAULT_CONNECT_TIMEOUT = 10.0;
    public const DEFAULT_TIMEOUT = 30.0;
    public const DEFAULT_DEADLINE = 60.0;
    public const DEFAULT_PAGE_LIMIT = 1000;
    /** reportRecords() stops with an error after this many pages (10 million records at 1000 a page). */
    public const DEFAULT_MAX_PAGES = 10000;
    /** The longest timeout or deadline accepted, in seconds: 2^31−1 ms, as in the Node client. */
    public const MAX_SECONDS = 2147483.647;
    /** Config keys used by this client only; they are not passed to the core. */
    /** The client's own options; the core never sees them ({@see Core::buildRequest} leaves them out too). */
    public const OPTIONS = ['connectTimeoutSeconds', 'timeoutSeconds', 'deadlineSeconds', 'maxRetries', 'retryDelayMs', 'onRetry', 'logger'];
    /** Operations whose effect the report shows, so that a lost answer can be recovered. */
    private const RECOVERABLE = ['generateActiveCode', 'activateCode', 'invalidateCode'];

    private readonly Core $core;
    /** @var array<string, mixed> */
    private readonly array $config;
    /** @var callable(array): array */
    private $transport;
    private readonly Redaction $redaction;
    private readonly RetryPolicy $retry;
    private readonly float $deadlineSeconds;

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
        $this->deadlineSeconds = self::seconds($config, 'deadlineSeconds', self::DEFAULT_DEADLINE);
        $this->retry = RetryPolicy::fromConfig($config);
        $this->config = array_diff_key($config, array_flip(self::OPTIONS));
        $this->redaction = new Redaction(
            \is_string($config['email'] ?? null) ? $config['email'] : null,
            \is_string($config['password'] ?? null) ? $config['password'] : null,
        );
        $this->core = $core ?? new Core();
        $this->transport = self::transport($transport, $connect, $total);
    }

    /**
     * Scenario 1: an active return code for one return (rma, packType, expirationDate,
     * senderPhone, senderEmail, optional returnDescription1 and address). When the answer was
     * lost but the report shows the code this call made, that code is returned with `recovered`
     * true; a second code is never asked for while the first may exist.
     *
     * @param array<string, mixed> $input
     *
     * @return array{code: ?string, active: ?bool, expirationDate: ?string, packType: ?string, uuid: ?string, labelAttached: ?bool, extra: array<string, string>, recovered: bool}
     */
    public function generateActiveCode(array $input): array
    {
        return $this->run('generateActiveCode', $input);
    }

    /**
     * Scenario 2: a batch of inactive codes, to print or pack with products. Not retried once
     * the request may have reached InPost (nothing identifies its codes): the error then says
     * `mayHaveSucceeded()` and how to reconcile through the report.
     *
     * @return array{codes: list<array<string, mixed>>}
     */
    public function generateInactiveCodes(int $numberOfCodes): array
    {
        return $this->run('generateInactiveCodes', ['numberOfCodes' => $numberOfCodes]);
    }

    /**
     * Scenario 2: activates an inactive code for a customer (code, packType, expirationDate,
     * senderPhone, senderEmail, optional rma, returnDescription1, address). A lost answer counts
     * as success when the report shows the code active with this call's data (`recovered` true).
     *
     * @param array<string, mixed> $input
     *
     * @return array<string, mixed>
     */
    public function activateCode(array $input): array
    {
        return $this->run('activateCode', $input);
    }

    /**
     * Disables an inactive, unused code. A lost answer counts as success when the report lists
     * the code no more (`recovered` true).
     *
     * @return array{valid: ?bool, extra: array<string, string>, recovered: bool}
     */
    public function invalidateCode(string $code): array
    {
        return $this->run('invalidateCode', ['code' => $code]);
    }

    /**
     * One page of the report (filters: used, active, packCode, code, rma,
     * dateRange {startDate, endDate}, paging {limit, offset}). Retried on any network failure.
     *
     * @param array<string, mixed> $query
     *
     * @return array{records: list<array<string, mixed>>}
     */
    public function getReport(array $query = []): array
    {
        return $this->run('getReport', $query);
    }

    /**
     * Every record of the report, page after page: `paging.limit` (default 1000) records from
     * the 0-based `paging.offset` (default 0) on, then `offset + limit`, until a page has fewer
     * records than the limit. A server that ignores paging is stopped with an
     * UnexpectedResponseException: a page longer than the limit, a full page equal to the one
     * before, or more than `$maxPages` pages (docs/clients.md, "Paging").
     *
     * @param array<string, mixed> $query filters as for getReport; paging sets the first page
     *
     * @return \Generator<int, array<string, mixed>>
     */
    public function reportRecords(array $query = [], int $maxPages = self::DEFAULT_MAX_PAGES): \Generator
    {
        if ($maxPages < 1) {
            throw new InvalidInputException('maxPages must be at least 1', 'maxPages');
        }
        $index = 0;
        foreach ($this->pages($query, $maxPages, null) as $record) {
            yield $index++ => $record;
        }
    }

    /** The core this client uses. */
    public function core(): Core
    {
        return $this->core;
    }

    /**
     * Builds, sends and parses one operation, with the retries that are safe for it.
     *
     * @param array<string, mixed> $input
     *
     * @return array<string, mixed>
     */
    public function call(string $operation, array $input): array
    {
        return $this->run($operation, $input);
    }

    /**
     * The retry loop (docs/clients.md, "Retries"). `$deadline` is shared with the call a report
     * lookup serves.
     *
     * @param array<string, mixed> $input
     *
     * @return array<string, mixed>
     */
    private function run(string $operation, array $input, ?float $deadline = null): array
    {
        try {
            $request = $this->core->buildRequest($operation, $this->config, $input);
        } catch (QuickReturnsException $e) {
            throw $this->redacted($e);
        }
        $deadline ??= self::now() + $this->deadlineSeconds;
        $startedAt = time();
        for ($attempt = 1; ; ++$attempt) {
            try {
                $value = $this->attempt($request, $operation, $deadline);

                return \in_array($operation, self::RECOVERABLE, true) ? $value + ['recovered' => false] : $value;
            } catch (QuickReturnsException $e) {
                $failure = RetryPolicy::classify($e);
                if ($failure === RetryPolicy::FINAL) {
                    throw $e;
                }
                $retriesLeft = $attempt <= $this->retry->maxRetries;
                if ($failure === RetryPolicy::POSSIBLY_DELIVERED && $operation !== 'getReport') {
                    if (!\in_array($operation, self::RECOVERABLE, true)) {
                        throw $e->markMayHaveSucceeded(Recovery::advice($operation, $input));
                    }
                    $recovered = $this->recover($operation, $input, $e, $attempt, $startedAt, $deadline);
                    if ($recovered !== null) {
                        return $recovered;
                    }
                    if (!$retriesLeft) {
                        throw $e->appendToMessage('The report shows the call did not take effect; no retries left (maxRetries '
                            . $this->retry->maxRetries . ').');
                    }
                    $this->retry->emit($this->event('retry', $operation, $attempt, $e, 0,
                        "the report shows attempt {$attempt} did not take effect; sending it again"));
                    continue;
                }
                if (!$retriesLeft) {
                    throw $e;
                }
                $delay = $this->retry->delayMs($attempt);
                if (self::now() + $delay / 1000 >= $deadline) {
                    throw $e->appendToMessage("Not retried: the deadline of {$this->deadlineSeconds} s would pass.");
                }
                $this->retry->emit($this->event('retry', $operation, $attempt, $e, $delay, $failure === RetryPolicy::NOT_SENT
                    ? "attempt {$attempt} failed before the request was sent; trying again in {$delay} ms"
                    : "attempt {$attempt} failed; trying again in {$delay} ms"));
                usleep($delay * 1000);
            }
        }
    }

    /**
     * After a possibly delivered attempt of a recoverable call: waits a moment (the server may
     * still be finishing), then asks the report whether the call took effect. Returns the answer
     * to give (marked `recovered`) when it did, null when it did not; marks `$e` as
     * "may have succeeded" and throws it when the report cannot tell.
     *
     * @param array<string, mixed> $input
     *
     * @return array<string, mixed>|null
     */
    private function recover(string $operation, array $input, QuickReturnsException $e, int $attempt, int $startedAt, float $deadline): ?array
    {
        $delay = $this->retry->delayMs($attempt);
        if (self::now() + $delay / 1000 >= $deadline) {
            $delay = 0;
        }
        $subject = $operation === 'generateActiveCode' ? "rma {$input['rma']}" : "code {$input['code']}";
        $this->retry->emit($this->event('lookup', $operation, $attempt, $e, $delay,
            "attempt {$attempt} may have reached InPost; looking up {$subject} in the report"
            . ($delay > 0 ? " in {$delay} ms" : '') . ' before trying again'));
        usleep($delay * 1000);
        try {
            $value = $this->lookUp($operation, $input, $startedAt, $deadline);
        } catch (QuickReturnsException $lookup) {
            throw $e->markMayHaveSucceeded(sprintf('The report lookup failed too (%s: %s). %s',
                $lookup->getKind(), rtrim($lookup->getMessage(), '.'), Recovery::advice($operation, $input)));
        }
        if ($value !== null) {
            $event = $this->event('recovered', $operation, $attempt, $e, 0, "the report shows attempt {$attempt} took effect"
                . (isset($value['code']) ? " (code {$value['code']})" : '') . '; answering from the report');
            if (isset($value['code'])) {
                $event['code'] = $value['code'];
            }
            $this->retry->emit($event);
        }

        return $value;
    }

    /**
     * What the report says about a possibly delivered call (docs/clients.md, "Recovery").
     *
     * @param array<string, mixed> $input
     *
     * @return array<string, mixed>|null
     */
    private function lookUp(string $operation, array $input, int $startedAt, float $deadline): ?array
    {
        switch ($operation) {
            case 'generateActiveCode':
                $record = Recovery::findGenerated($this->pages(Recovery::generatedQuery($input, $startedAt), self::DEFAULT_MAX_PAGES, $deadline), $input);

                return $record === null ? null : Recovery::codeValue($record, $input);
            case 'activateCode':
                $record = Recovery::findActivated($this->pages(['code' => $input['code']], self::DEFAULT_MAX_PAGES, $deadline), $input);

                return $record === null ? null : Recovery::codeValue($record, $input);
            default: // invalidateCode: a disabled code is listed neither as inactive nor as active
                foreach ([['code' => $input['code'], 'active' => false], ['code' => $input['code']]] as $query) {
                    foreach ($this->pages($query, self::DEFAULT_MAX_PAGES, $deadline) as $record) {
                        if (($record['code'] ?? null) === $input['code']) {
                            return null;
                        }
                    }
                }

                return Recovery::invalidatedValue();
        }
    }

    /**
     * The report's records page by page, by the one stop rule (docs/clients.md, "Paging").
     * `paging` is left to the core to check, so a bad value is named `paging.limit` /
     * `paging.offset` as on every face.
     *
     * @param array<string, mixed> $query
     *
     * @return \Generator<int, array<string, mixed>>
     */
    private function pages(array $query, int $maxPages, ?float $deadline): \Generator
    {
        if (!\array_key_exists('paging', $query) || \is_array($query['paging'])) {
            $paging = $query['paging'] ?? [];
            $paging['limit'] ??= self::DEFAULT_PAGE_LIMIT;
            $paging['offset'] ??= 0;
            $query['paging'] = $paging;
        }
        $previous = null;
        for ($page = 1; ; ++$page) {
            $records = $this->run('getReport', $query, $deadline)['records'] ?? [];
            // The core accepted the paging, so limit and offset are whole numbers now.
            $limit = (int) $query['paging']['limit'];
            $offset = (int) $query['paging']['offset'];
            $count = \count($records);
            if ($count > $limit) {
                throw new UnexpectedResponseException("the report answered {$count} records to paging.limit {$limit}"
                    . " (page {$page}, paging.offset {$offset}): the server ignores paging.limit; stopped reading the report");
            }
            if ($count > 0 && $records === $previous) {
                throw new UnexpectedResponseException("page {$page} of the report (paging.offset {$offset}) repeats the page before it:"
                    . ' the server ignores paging.offset; stopped reading the report');
            }
            foreach ($records as $record) {
                yield $record;
            }
            if ($count < $limit) {
                return;
            }
            if ($page >= $maxPages) {
                throw new UnexpectedResponseException("the report did not end within {$maxPages} pages of {$limit} records"
                    . ' (maxPages); stopped reading it');
            }
            $previous = $records;
            $query['paging']['offset'] = $offset + $limit;
        }
    }

    /**
     * One attempt: send, then parse. Every error leaves with its credentials redacted.
     *
     * @param array{method: string, url: string, headers: array<string, string>, body: string} $request
     *
     * @return array<string, mixed>
     */
    private function attempt(array $request, string $operation, float $deadline): array
    {
        $left = $deadline - self::now();
        if ($left <= 0.001) {
            throw new TransportException("{$request['method']} {$request['url']} not sent: the deadline of"
                . " {$this->deadlineSeconds} s (deadlineSeconds) has passed", false);
        }
        try {
            $response = $this->transport instanceof CurlTransport
                ? ($this->transport)($request, $left)
                : ($this->transport)($request);
        } catch (QuickReturnsException $e) {
            throw $this->redacted($e);
        } catch (\Throwable $e) {
            // The original is not chained: its message or trace could hold the request body.
            throw new TransportException(sprintf(
                '%s %s failed: %s: %s',
                $request['method'],
                $request['url'],
                $e::class,
                $this->redaction->apply(str_replace($request['body'], Redaction::PLACEHOLDER, $e->getMessage())),
            ));
        }
        if (!\is_array($response) || !\is_int($response['status'] ?? null) || !\is_string($response['body'] ?? null)) {
            throw new UsageException('the transport must return [\'status\' => int, \'body\' => string]');
        }

        try {
            return $this->core->parseResponse($operation, $response['status'], $response['body']);
        } catch (QuickReturnsException $e) {
            // An answer quoted in the message (InPost's text, a proxy's page) may echo the login.
            throw $this->redacted($e);
        }
    }

    private function redacted(QuickReturnsException $e): QuickReturnsException
    {
        return $e->rewriteMessage($this->redaction->apply(...));
    }

    /**
     * A retry event; its message and error are already free of credentials.
     *
     * @return array<string, mixed>
     */
    private function event(string $type, string $operation, int $attempt, QuickReturnsException $e, int $delayMs, string $what): array
    {
        $error = ['kind' => $e->getKind(), 'message' => $this->redaction->apply($e->getMessage())];
        if (method_exists($e, 'getStatus') && $e->getStatus() !== null) {
            $error['status'] = $e->getStatus();
        }

        return [
            'type' => $type,
            'operation' => $operation,
            'attempt' => $attempt,
            'delayMs' => $delayMs,
            'error' => $error,
            'message' => $this->redaction->apply("{$operation}: {$what} ({$error['kind']}: {$error['message']})"),
        ];
    }

    private static function now(): float
    {
        return hrtime(true) / 1e9;
    }

    /** @param array<string, mixed> $config */
    private static function seconds(array $config, string $key, float $default): float
    {
        if (!\array_key_exists($key, $config)) {
            return $default;
        }
        $value = $config[$key];
        if ((!\is_int($value) && !\is_float($value)) || !is_finite((float) $value) || $value <= 0 || $value > self::MAX_SECONDS) {
            throw new InvalidInputException("{$key} must be a positive number of seconds, at most " . self::MAX_SECONDS, "config.{$key}");
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
