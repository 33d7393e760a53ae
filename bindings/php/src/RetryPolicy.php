<?php

declare(strict_types=1);

namespace InPost\QuickReturns;

use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;

/**
 * When the client tries again, how long it waits, and who hears about it (docs/clients.md,
 * "Retries"): `maxRetries` (default 2) further attempts after the first, waits of `retryDelayMs`
 * (default 250) doubling each time with jitter, never past the call's deadline; every retry,
 * lookup and recovery goes to the `onRetry` callback and a PSR-3 `logger`, if given.
 *
 * @internal
 */
final class RetryPolicy
{
    public const DEFAULT_MAX_RETRIES = 2;
    public const DEFAULT_RETRY_DELAY_MS = 250;
    /** No single wait is longer, however many retries. */
    public const MAX_RETRY_DELAY_MS = 30000;
    public const MAX_RETRIES_LIMIT = 20;

    /** A failure that cannot have reached InPost: any call may be sent again. */
    public const NOT_SENT = 'not_sent';
    /** A failure after the request may have reached InPost and been carried out. */
    public const POSSIBLY_DELIVERED = 'possibly_delivered';
    /** InPost answered (an `<error>`), or the input or setup is wrong: trying again cannot help. */
    public const FINAL = 'final';

    /** @var (callable(array<string, mixed>): void)|null */
    private $onRetry;

    /**
     * @param (callable(array<string, mixed>): void)|null $onRetry
     */
    private function __construct(
        public readonly int $maxRetries,
        public readonly int $retryDelayMs,
        ?callable $onRetry,
        private readonly ?object $logger,
    ) {
        $this->onRetry = $onRetry;
    }

    /**
     * Reads `maxRetries`, `retryDelayMs`, `onRetry` and `logger` from the client's config.
     *
     * @param array<string, mixed> $config
     *
     * @throws InvalidInputException naming the config key
     */
    public static function fromConfig(array $config): self
    {
        $maxRetries = $config['maxRetries'] ?? self::DEFAULT_MAX_RETRIES;
        if (!\is_int($maxRetries) || $maxRetries < 0 || $maxRetries > self::MAX_RETRIES_LIMIT) {
            throw new InvalidInputException('maxRetries must be a whole number from 0 to ' . self::MAX_RETRIES_LIMIT, 'config.maxRetries');
        }
        $delay = $config['retryDelayMs'] ?? self::DEFAULT_RETRY_DELAY_MS;
        if (!\is_int($delay) || $delay < 0 || $delay > self::MAX_RETRY_DELAY_MS) {
            throw new InvalidInputException('retryDelayMs must be a whole number of milliseconds from 0 to ' . self::MAX_RETRY_DELAY_MS, 'config.retryDelayMs');
        }
        $onRetry = $config['onRetry'] ?? null;
        if ($onRetry !== null && !\is_callable($onRetry)) {
            throw new InvalidInputException('onRetry must be a callable(array $event): void', 'config.onRetry');
        }
        $logger = $config['logger'] ?? null;
        if ($logger !== null && (!\is_object($logger) || !method_exists($logger, 'log'))) {
            throw new InvalidInputException('logger must be a PSR-3 logger (an object with log($level, $message, $context))', 'config.logger');
        }

        return new self($maxRetries, $delay, $onRetry, $logger);
    }

    /** Which kind of failure `$e` is; see the constants. */
    public static function classify(QuickReturnsException $e): string
    {
        if ($e instanceof TransportException) {
            return $e->mayHaveBeenSent() ? self::POSSIBLY_DELIVERED : self::NOT_SENT;
        }
        if ($e instanceof UnexpectedResponseException) {
            // A proxy's 5xx page, a timeout/limit page, or a 2xx body that is not a whole answer:
            // the request may have been carried out. Other statuses (a 404 from a wrong baseUrl,
            // a 403 from a firewall) will not change by trying again.
            $status = $e->getStatus();
            if ($status === null || $status >= 500 || ($status >= 200 && $status < 300) || $status === 408 || $status === 429) {
                return self::POSSIBLY_DELIVERED;
            }
        }

        return self::FINAL;
    }

    /**
     * The wait before retry number `$retry` (1, 2, …): retryDelayMs × 2^(retry−1), of which a
     * random half is taken off (jitter, so that many clients do not retry in step).
     */
    public function delayMs(int $retry): int
    {
        $full = min(self::MAX_RETRY_DELAY_MS, $this->retryDelayMs * (2 ** min(30, $retry - 1)));

        return (int) round($full / 2 + $full / 2 * (mt_rand() / mt_getrandmax()));
    }

    /**
     * Tells the callback and the logger. `$event` holds `type` (retry, lookup, recovered),
     * `operation`, `attempt` and a human `message`; it never holds credentials or the request.
     *
     * @param array<string, mixed> $event
     */
    public function emit(array $event): void
    {
        if ($this->onRetry !== null) {
            ($this->onRetry)($event);
        }
        if ($this->logger !== null) {
            $context = $event;
            unset($context['message']);
            $this->logger->log($event['type'] === 'recovered' ? 'info' : 'warning', 'inpost-quick-returns: ' . $event['message'], $context);
        }
    }
}
