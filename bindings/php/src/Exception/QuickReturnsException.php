<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Exception;

/**
 * Base class of every error this package throws: one subclass per error kind of the contract
 * (docs/contract.md, "Envelope and error kinds").
 * Messages never contain the account's e-mail/password or the request body.
 */
abstract class QuickReturnsException extends \RuntimeException
{
    private bool $mayHaveSucceeded = false;

    /** The contract's error kind: invalid_input, api, unexpected_response, usage or transport. */
    abstract public function getKind(): string;

    /**
     * True when the request may have reached InPost and been carried out although no answer
     * came back (a timeout after sending, a reset connection, a proxy's 5xx page), and the client
     * could not find out from the report. Do not simply call again: the message says how to
     * reconcile through the report (docs/clients.md). False for every other error: the call
     * certainly did not take effect.
     */
    public function mayHaveSucceeded(): bool
    {
        return $this->mayHaveSucceeded;
    }

    /**
     * Marks the error as "the call may have succeeded" and appends how to reconcile.
     *
     * @internal
     */
    public function markMayHaveSucceeded(string $advice): static
    {
        $this->mayHaveSucceeded = true;
        $this->message = rtrim($this->message, '.') . '. ' . $advice;

        return $this;
    }

    /**
     * Appends a sentence to the message (the client says what its retries found).
     *
     * @internal
     */
    public function appendToMessage(string $sentence): static
    {
        $this->message = rtrim($this->message, '.') . '. ' . $sentence;

        return $this;
    }

    /**
     * Rewrites the message with `$rewrite` (the client's redaction of credentials).
     *
     * @param callable(string): string $rewrite
     *
     * @internal
     */
    public function rewriteMessage(callable $rewrite): static
    {
        $this->message = $rewrite($this->message);

        return $this;
    }

    /**
     * Builds the exception for an error envelope's `error` object, as the core returns it.
     *
     * @param array<string, mixed> $error
     */
    public static function fromEnvelope(array $error): self
    {
        $message = is_string($error['message'] ?? null) ? $error['message'] : 'unknown error';
        $status = is_int($error['status'] ?? null) ? $error['status'] : null;
        switch ($error['kind'] ?? null) {
            case 'invalid_input':
                return new InvalidInputException($message, is_string($error['field'] ?? null) ? $error['field'] : null);
            case 'api':
                return new ApiException($message, is_string($error['key'] ?? null) ? $error['key'] : null, $status);
            case 'unexpected_response':
                return new UnexpectedResponseException($message, $status);
            case 'transport':
                return new TransportException($message);
            case 'usage':
                return new UsageException($message);
            default:
                $kind = is_string($error['kind'] ?? null) ? $error['kind'] : '(none)';
                return new UsageException("unknown error kind {$kind} from the library: {$message}");
        }
    }
}
