<?php

declare(strict_types=1);

namespace InPost\QuickReturns;

/**
 * What a call that may have reached InPost left behind, read from the report. The rules are
 * docs/clients.md's "Recovery"; the Node client applies the same ones.
 *
 * InPost's report is documented to carry the code, `rma`, `active`, the sender's phone and
 * e-mail and the label text, but not `packType` or `expirationDate`: those are compared only when
 * a record carries them (in `extra`), so in practice a generated code is recognised by `rma`,
 * phone, e-mail and label text, made since yesterday, active and not used.
 *
 * @internal
 */
final class Recovery
{
    private const DAY = 86400;

    /**
     * The report query that lists the codes a `generateActiveCode` call with `$input` could have
     * made: its `rma`, created from yesterday to tomorrow (UTC; the margin covers InPost's time
     * zone, which is unknown).
     *
     * @param array<string, mixed> $input
     *
     * @return array<string, mixed>
     */
    public static function generatedQuery(array $input, int $now): array
    {
        return [
            'rma' => (string) $input['rma'],
            'dateRange' => ['startDate' => gmdate('Y-m-d', $now - self::DAY), 'endDate' => gmdate('Y-m-d', $now + self::DAY)],
        ];
    }

    /**
     * The record of the code made for this `generateActiveCode` call, if the report shows one;
     * the newest when several match (the shop asked twice for the same return). A record without
     * a code cannot be the call's answer (which always has one), so it is passed over.
     *
     * @param iterable<array<string, mixed>> $records
     * @param array<string, mixed>           $input
     *
     * @return array<string, mixed>|null
     */
    public static function findGenerated(iterable $records, array $input): ?array
    {
        $matches = [];
        foreach ($records as $record) {
            if (self::text($record['code'] ?? null) !== null
                && self::same($record['rma'] ?? null, $input['rma'] ?? null)
                && self::carriesCallData($record, $input)) {
                $matches[] = $record;
            }
        }

        return self::newest($matches);
    }

    /**
     * The record of `$input['code']` if the report shows it active with this `activateCode` call's
     * data.
     *
     * @param iterable<array<string, mixed>> $records
     * @param array<string, mixed>           $input
     *
     * @return array<string, mixed>|null
     */
    public static function findActivated(iterable $records, array $input): ?array
    {
        $matches = [];
        foreach ($records as $record) {
            if (($record['code'] ?? null) !== $input['code'] || ($record['active'] ?? null) !== true) {
                continue;
            }
            $rma = self::text($input['rma'] ?? null);
            if ($rma !== null && ($record['rma'] ?? null) !== null && !self::same($record['rma'], $rma)) {
                continue;
            }
            if (self::carriesCallData($record, $input)) {
                $matches[] = $record;
            }
        }

        return self::newest($matches);
    }

    /**
     * The answer of a recovered `generateActiveCode` / `activateCode`: the same shape as a fresh
     * one, from the record where it carries a value and from the call's input otherwise. `$record`
     * is one that findGenerated or findActivated returned, so it has a code.
     *
     * @param array<string, mixed> $record
     * @param array<string, mixed> $input
     *
     * @return array<string, mixed>
     */
    public static function codeValue(array $record, array $input): array
    {
        $labelAttached = self::field($record, 'labelAttached');

        return [
            'code' => (string) $record['code'],
            'active' => $record['active'] ?? true,
            'expirationDate' => self::field($record, 'expirationDate') ?? (string) $input['expirationDate'],
            'packType' => self::field($record, 'packType') ?? strtoupper(trim((string) $input['packType'])),
            'uuid' => self::field($record, 'uuid'),
            'labelAttached' => $labelAttached === null ? null : $labelAttached === 'true',
            'extra' => [],
            'recovered' => true,
        ];
    }

    /**
     * The answer of a recovered `invalidateCode`: InPost answers `<valid>false</valid>`.
     *
     * @return array{valid: false, extra: array<string, string>, recovered: true}
     */
    public static function invalidatedValue(): array
    {
        return ['valid' => false, 'extra' => [], 'recovered' => true];
    }

    /**
     * How to find out by hand whether a call whose answer was lost took effect.
     *
     * @param array<string, mixed> $input
     */
    public static function advice(string $operation, array $input): string
    {
        $quote = static fn (mixed $v): string => var_export(\is_scalar($v) ? (string) $v : '', true);

        return match ($operation) {
            'generateActiveCode' => 'The call may have succeeded: InPost may have made the code although the answer was lost.'
                . " Before asking again, look the return up in the report (getReport(['rma' => {$quote($input['rma'] ?? '')}]))"
                . ', or the customer may get two codes.',
            'activateCode' => 'The call may have succeeded: InPost may have activated the code although the answer was lost.'
                . " Check it in the report (getReport(['code' => {$quote($input['code'] ?? '')}])) before activating it again.",
            'invalidateCode' => 'The call may have succeeded: InPost may have disabled the code although the answer was lost.'
                . " The report lists a disabled code no more (getReport(['code' => {$quote($input['code'] ?? '')}, 'active' => false])).",
            'generateInactiveCodes' => 'The call may have succeeded: InPost may have made the codes although the answer was lost.'
                . ' It is not retried, because nothing identifies its codes. Reconcile through the report:'
                . " getReport(['active' => false, 'dateRange' => ['startDate' => '" . gmdate('Y-m-d') . "']]) lists today's inactive codes;"
                . ' invalidate (or use) those you do not hold.',
            default => 'The call may have succeeded although the answer was lost.',
        };
    }

    /**
     * Phone, e-mail, label text, size and expiry, wherever the record carries them; a code just
     * made is active and not used yet.
     *
     * @param array<string, mixed> $record
     * @param array<string, mixed> $input
     */
    private static function carriesCallData(array $record, array $input): bool
    {
        if (($record['active'] ?? null) === false || ($record['used'] ?? null) === true) {
            return false;
        }
        $phone = self::text($record['senderPhone'] ?? null);
        if ($phone !== null && self::digits($phone) !== substr(self::digits((string) ($input['senderPhone'] ?? '')), -9)) {
            return false;
        }
        $email = self::text($record['senderEmail'] ?? null);
        if ($email !== null && strcasecmp($email, trim((string) ($input['senderEmail'] ?? ''))) !== 0) {
            return false;
        }
        $description = self::text($input['returnDescription1'] ?? null);
        $recorded = self::text($record['returnDescription1'] ?? null);
        if ($description !== null && $recorded !== null && $recorded !== $description) {
            return false;
        }
        $packType = self::field($record, 'packType');
        if ($packType !== null && strcasecmp($packType, trim((string) ($input['packType'] ?? ''))) !== 0) {
            return false;
        }
        $expires = self::field($record, 'expirationDate');

        return $expires === null || $expires === trim((string) ($input['expirationDate'] ?? ''));
    }

    /**
     * A record's value by name: a typed field or one of `extra`, trimmed, null when absent or blank.
     *
     * @param array<string, mixed> $record
     */
    private static function field(array $record, string $name): ?string
    {
        $value = $record[$name] ?? (\is_array($record['extra'] ?? null) ? ($record['extra'][$name] ?? null) : null);

        return self::text($value);
    }

    private static function text(mixed $value): ?string
    {
        if (!\is_string($value)) {
            return null;
        }
        $value = trim($value);

        return $value === '' ? null : $value;
    }

    private static function same(mixed $a, mixed $b): bool
    {
        $a = self::text($a);

        return $a !== null && $a === self::text($b);
    }

    private static function digits(string $phone): string
    {
        return preg_replace('/\D+/', '', $phone) ?? '';
    }

    /**
     * The newest of the matching records: by `createDate` when every one carries it, else the
     * last in the report's order.
     *
     * @param list<array<string, mixed>> $matches
     *
     * @return array<string, mixed>|null
     */
    private static function newest(array $matches): ?array
    {
        if ($matches === []) {
            return null;
        }
        $dates = array_map(static fn (array $r): ?string => self::field($r, 'createDate'), $matches);
        if (!\in_array(null, $dates, true)) {
            $newest = 0;
            foreach ($dates as $i => $date) {
                if (strcmp((string) $date, (string) $dates[$newest]) >= 0) {
                    $newest = $i;
                }
            }

            return $matches[$newest];
        }

        return $matches[\count($matches) - 1];
    }
}
