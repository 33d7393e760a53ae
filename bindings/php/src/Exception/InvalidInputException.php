<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Exception;

/** An input or config value is missing or can never be valid; nothing was sent. */
final class InvalidInputException extends QuickReturnsException
{
    public function __construct(string $message, private readonly ?string $field = null, ?\Throwable $previous = null)
    {
        parent::__construct($message, 0, $previous);
    }

    public function getKind(): string
    {
        return 'invalid_input';
    }

    /** The offending value's path, e.g. `senderPhone`, `address.postCode`, `config.password`. */
    public function getField(): ?string
    {
        return $this->field;
    }
}
