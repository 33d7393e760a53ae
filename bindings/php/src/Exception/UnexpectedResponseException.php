<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Exception;

/**
 * The answer is not XML, is truncated, or lacks what the operation needs (e.g. a proxy's HTML
 * 502 page, an empty body). The message carries at most a short excerpt of the body.
 */
final class UnexpectedResponseException extends QuickReturnsException
{
    public function __construct(string $message, private readonly ?int $status = null, ?\Throwable $previous = null)
    {
        parent::__construct($message, 0, $previous);
    }

    public function getKind(): string
    {
        return 'unexpected_response';
    }

    /** The HTTP status of the answer. */
    public function getStatus(): ?int
    {
        return $this->status;
    }
}
