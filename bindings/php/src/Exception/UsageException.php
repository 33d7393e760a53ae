<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Exception;

/**
 * The package was used wrongly or cannot run here: unknown operation, text that is not UTF-8,
 * the library or ext-ffi missing, FFI not enabled for this request (the message says what to set).
 */
final class UsageException extends QuickReturnsException
{
    public function getKind(): string
    {
        return 'usage';
    }
}
