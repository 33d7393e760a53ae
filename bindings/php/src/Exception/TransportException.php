<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Exception;

/**
 * The HTTP exchange itself failed: connection refused, TLS failure, timeout. Nothing was
 * parsed. The message never contains the password or the request body.
 */
final class TransportException extends QuickReturnsException
{
    /**
     * @param bool $mayHaveBeenSent false only when the request certainly never left (connection
     *                              refused, DNS, TLS handshake): then the client retries any call
     */
    public function __construct(string $message = '', private readonly bool $mayHaveBeenSent = true, ?\Throwable $previous = null)
    {
        parent::__construct($message, 0, $previous);
    }

    public function getKind(): string
    {
        return 'transport';
    }

    /**
     * False when the failure happened before any byte of the request was sent (connection
     * refused, host not found, TLS handshake): InPost cannot have seen it. True otherwise
     * (a timeout or reset after sending): InPost may have carried the call out.
     */
    public function mayHaveBeenSent(): bool
    {
        return $this->mayHaveBeenSent;
    }
}
