<?php

declare(strict_types=1);

namespace InPost\QuickReturns;

/**
 * Removes the account's e-mail and password from text the client is about to show: error
 * messages (transport errors included) and retry events.
 *
 * An answer can echo a credential in whatever encoding it was carried or quoted in, so every
 * secret is looked for in the forms it can take on the way: as given; form-encoded (`+` or `%20`
 * for spaces, upper- or lower-case hex, the core's, PHP's and JavaScript's sets of characters left
 * alone); JSON-escaped (with and without `\/` and `\uXXXX`); XML- and HTML-escaped. Each becomes
 * `[redacted]`, the one placeholder of every face. The e-mail is matched in any letter case.
 * docs/clients.md describes the rule; the Node client applies the same one.
 *
 * @internal
 */
final class Redaction
{
    public const PLACEHOLDER = '[redacted]';

    private const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

    /** Characters each form encoder leaves alone besides letters and digits, with its space. */
    private const FORM_ENCODINGS = [
        ['*-._', '+'],          // the core (as browsers encode forms)
        ['-._', '+'],           // PHP urlencode()
        ['-._~', '%20'],        // PHP rawurlencode(), RFC 3986
        ['-._~', '+'],
        ["-._~!'()*", '%20'],   // JavaScript encodeURIComponent()
        ["-._~!'()*", '+'],     // JavaScript URLSearchParams
        ['*-._', '%20'],
    ];

    /** Entity sets for `& < > " '` that XML and HTML writers use. */
    private const MARKUP_ESCAPES = [
        ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;'],  // XML
        ['&amp;', '&lt;', '&gt;', '&quot;', '&#039;'],  // htmlspecialchars(ENT_QUOTES)
        ['&amp;', '&lt;', '&gt;', '&#34;', '&#39;'],    // numeric
        ['&amp;', '&lt;', '&gt;', '&quot;', '&#x27;'],  // hex
        ['&amp;', '&lt;', '&gt;', '"', "'"],           // element text
    ];

    /** @var list<array{0: string, 1: bool}> each form and whether it matches in any case, longest first */
    private array $forms = [];

    public function __construct(?string $email, ?string $password)
    {
        $forms = [];
        foreach ([[$password, false], [$email, true]] as [$secret, $caseless]) {
            if (!\is_string($secret) || $secret === '') {
                continue;
            }
            foreach (self::formsOf($secret) as $form) {
                // A form found both ways is matched in any case if either secret is the e-mail.
                $forms[$form] = ($forms[$form] ?? false) || $caseless;
            }
        }
        uksort($forms, static fn (string|int $a, string|int $b): int => \strlen((string) $b) <=> \strlen((string) $a));
        foreach ($forms as $form => $caseless) {
            $this->forms[] = [(string) $form, $caseless];
        }
    }

    /** `$text` with every form of every secret replaced by `[redacted]`. */
    public function apply(string $text): string
    {
        foreach ($this->forms as [$form, $caseless]) {
            $text = $caseless ? str_ireplace($form, self::PLACEHOLDER, $text) : str_replace($form, self::PLACEHOLDER, $text);
        }

        return $text;
    }

    /**
     * Every encoded form of one secret, the secret itself included.
     *
     * @return list<string>
     */
    public static function formsOf(string $secret): array
    {
        $forms = [$secret];
        foreach (self::FORM_ENCODINGS as [$safe, $space]) {
            $encoded = self::formEncode($secret, $safe, $space);
            $forms[] = $encoded;
            $forms[] = preg_replace_callback('/%[0-9A-F]{2}/', static fn (array $m): string => strtolower($m[0]), $encoded) ?? $encoded;
        }
        foreach ([0, \JSON_UNESCAPED_SLASHES, \JSON_UNESCAPED_UNICODE, \JSON_UNESCAPED_SLASHES | \JSON_UNESCAPED_UNICODE] as $flags) {
            $json = json_encode($secret, $flags);
            if (\is_string($json)) {
                $forms[] = substr($json, 1, -1);
            }
        }
        foreach (self::MARKUP_ESCAPES as $entities) {
            $forms[] = strtr($secret, array_combine(['&', '<', '>', '"', "'"], $entities));
        }

        return array_values(array_unique(array_filter($forms, static fn (string $f): bool => $f !== '')));
    }

    private static function formEncode(string $value, string $safe, string $space): string
    {
        $out = '';
        $length = \strlen($value);
        for ($i = 0; $i < $length; ++$i) {
            $c = $value[$i];
            if (str_contains(self::ALNUM, $c) || str_contains($safe, $c)) {
                $out .= $c;
            } elseif ($c === ' ') {
                $out .= $space;
            } else {
                $out .= sprintf('%%%02X', \ord($c));
            }
        }

        return $out;
    }
}
