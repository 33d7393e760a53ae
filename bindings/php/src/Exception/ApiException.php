<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Exception;

/** InPost answered with `<error key="…">message</error>`. */
final class ApiException extends QuickReturnsException
{
    public function __construct(
        string $message,
        private readonly ?string $key = null,
        private readonly ?int $status = null,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, 0, $previous);
    }

    public function getKind(): string
    {
        return 'api';
    }

    /** The error's `key` attribute, e.g. `NoPackageFound`; null when InPost sent none. */
    public function getKey(): ?string
    {
        return $this->key;
    }

    /** The HTTP status of the answer. */
    public function getStatus(): ?int
    {
        return $this->status;
    }
}
