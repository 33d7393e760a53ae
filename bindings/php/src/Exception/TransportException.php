<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Exception;

/**
 * The HTTP exchange itself failed: connection refused, TLS failure, timeout. Nothing was
 * parsed. The message never contains the password or the request body.
 */
final class TransportException extends QuickReturnsException
{
    public function getKind(): string
    {
        return 'transport';
    }
}
