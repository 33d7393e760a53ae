<?php

declare(strict_types=1);

namespace InPost\QuickReturns;

use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\UsageException;

/**
 * The Rust core, loaded through PHP FFI: builds InPost requests and parses InPost's answers.
 * It does no I/O; {@see Client} adds HTTPS. Operations, shapes and error kinds are the project's
 * contract, docs/contract.md in the repository; facts about InPost's API are in docs/inpost-api.md.
 *
 * The library is loaded once per process and shared by every instance. Where it comes from, in
 * order: the FFI scope `INPOST_QUICK_RETURNS` when it was preloaded (opcache preload, see
 * preload.php), the constructor's `$libraryPath`, the environment variable
 * `INPOST_QUICK_RETURNS_LIB`, and the package's own `lib/` folder (`make php-lib` fills it).
 */
final class Core
{
    /** The FFI scope name the preload header declares. */
    public const FFI_SCOPE = 'INPOST_QUICK_RETURNS';
    /** Environment variable naming the shared library. */
    public const LIBRARY_ENV = 'INPOST_QUICK_RETURNS_LIB';
    /** Environment variable naming the C header (rarely needed). */
    public const HEADER_ENV = 'INPOST_QUICK_RETURNS_HEADER';
    public const HEADER_FILE = 'inpost_quick_returns.h';

    private const JSON_FLAGS = \JSON_THROW_ON_ERROR | \JSON_UNESCAPED_UNICODE | \JSON_UNESCAPED_SLASHES;

    /** @var array<string, \FFI> loaded libraries, by source */
    private static array $loaded = [];

    private \FFI $ffi;
    private string $source;

    /**
     * @param string|null $libraryPath the shared library (`libinpost_quick_returns.so`); default:
     *                                 the preloaded scope, env INPOST_QUICK_RETURNS_LIB, then lib/
     * @param string|null $headerPath  the C header; default: lib/, then the repository's include/
     *
     * @throws UsageException when the library cannot be loaded; the message says what to do
     */
    public function __construct(?string $libraryPath = null, ?string $headerPath = null)
    {
        [$this->ffi, $this->source] = self::load($libraryPath, $headerPath);
    }

    /**
     * Builds the HTTP request for an operation: `['method' => 'POST', 'url' => …,
     * 'headers' => ['Content-Type' => …], 'body' => 'email=…&password=…&content=…']`.
     *
     * @param string               $operation generateActiveCode, generateInactiveCodes, activateCode,
     *                                        invalidateCode or getReport
     * @param array<string, mixed> $config    environment|baseUrl, email, password
     * @param array<string, mixed> $input     the operation's input
     *
     * @return array{method: string, url: string, headers: array<string, string>, body: string}
     *
     * @throws QuickReturnsException InvalidInputException for a bad value, UsageException otherwise
     */
    public function buildRequest(string $operation, array $config, array $input): array
    {
        self::checkOperation($operation);
        // A Client's config may be passed as it is: its own options are not the core's.
        $configJson = self::encode(array_diff_key($config, array_flip(Client::OPTIONS)), 'config');
        $inputJson = self::encode($input, 'input');

        return $this->unwrap($this->ffi->inpost_returns_build_request($operation, $configJson, $inputJson));
    }

    /**
     * Parses InPost's answer to an operation and returns its value (docs/contract.md, "Parsed
     * values"), e.g. `['codes' => [['code' => '1414764219', 'active' => false, …], …]]`.
     *
     * @return array<string, mixed>
     *
     * @throws QuickReturnsException ApiException, UnexpectedResponseException or UsageException
     */
    public function parseResponse(string $operation, int $status, string $body): array
    {
        self::checkOperation($operation);
        if ($status < 0 || $status > 65535) {
            throw new UsageException("status {$status} is not an HTTP status code");
        }

        // The PHP string is passed without copying; the library reads exactly strlen($body) bytes.
        return $this->unwrap($this->ffi->inpost_returns_parse_response($operation, $status, $body, \strlen($body)));
    }

    /** The library's version, e.g. `0.1.0`. */
    public function version(): string
    {
        return (string) $this->ffi->inpost_returns_version();
    }

    /** The loaded library: the same object for every Core of the process with the same source. */
    public function ffi(): \FFI
    {
        return $this->ffi;
    }

    /** Where the library came from: `scope:INPOST_QUICK_RETURNS` (preloaded) or its file path. */
    public function source(): string
    {
        return $this->source;
    }

    /**
     * Loads the library into the FFI scope `INPOST_QUICK_RETURNS`; call it from an
     * `opcache.preload` script (this package's preload.php does). Does nothing when the scope is
     * already there (e.g. through `ffi.preload`).
     *
     * @throws UsageException when the library or header is missing, or FFI::load is refused
     */
    public static function preload(?string $libraryPath = null, ?string $headerPath = null): void
    {
        try {
            \FFI::scope(self::FFI_SCOPE);

            return;
        } catch (\FFI\Exception) {
            // Not preloaded yet: load it below.
        }
        $library = self::resolveLibrary($libraryPath);
        $text = self::preloadHeader($library, $headerPath);
        $file = tempnam(sys_get_temp_dir(), 'inpost-quick-returns-');
        if ($file === false || file_put_contents($file, $text) === false) {
            throw new UsageException('cannot write a temporary preload header in ' . sys_get_temp_dir()
                . '; generate one with bin/preload-header.php and set ffi.preload to it');
        }
        try {
            $ffi = \FFI::load($file);
        } catch (\FFI\Exception $e) {
            $hint = (string) ini_get('opcache.preload_user') !== ''
                ? ' FFI::load() cannot be used together with opcache.preload_user: generate a preload header'
                    . ' (`php ' . \dirname(__DIR__) . '/bin/preload-header.php --out /etc/php/inpost_quick_returns.preload.h`)'
                    . ' and set ffi.preload=/etc/php/inpost_quick_returns.preload.h next to opcache.preload.'
                : '';
            throw new UsageException('preloading the InPost Quick Returns library failed: ' . rtrim($e->getMessage(), '.') . '.' . $hint, 0, $e);
        } finally {
            @unlink($file);
        }
        if ($ffi === null) {
            throw new UsageException("preloading the InPost Quick Returns library from {$library} failed");
        }
    }

    /**
     * The header text for `FFI::load()` / `ffi.preload`: the committed C header preceded by
     * `#define FFI_SCOPE "INPOST_QUICK_RETURNS"` and `#define FFI_LIB "<absolute library path>"`.
     */
    public static function preloadHeader(?string $libraryPath = null, ?string $headerPath = null): string
    {
        $library = self::resolveLibrary($libraryPath);
        if (str_contains($library, '"') || str_contains($library, "\n")) {
            throw new UsageException('the library path must not contain a double quote or a newline');
        }
        $header = self::readHeader($headerPath);

        return '#define FFI_SCOPE "' . self::FFI_SCOPE . "\"\n"
            . '#define FFI_LIB "' . $library . "\"\n"
            . $header;
    }

    /** The shared library's file name on this OS. */
    public static function libraryFileName(): string
    {
        return match (\PHP_OS_FAMILY) {
            'Darwin' => 'libinpost_quick_returns.dylib',
            'Windows' => 'inpost_quick_returns.dll',
            default => 'libinpost_quick_returns.so',
        };
    }

    /** The absolute path of this package's preload.php, for `opcache.preload`. */
    public static function preloadScript(): string
    {
        return \dirname(__DIR__) . '/preload.php';
    }

    /**
     * @return array{0: \FFI, 1: string}
     */
    private static function load(?string $libraryPath, ?string $headerPath): array
    {
        if (!\extension_loaded('ffi')) {
            throw new UsageException('ext-ffi is not loaded. Enable it (extension=ffi) and set ffi.enable=true,'
                . ' or under php-fpm ffi.enable=preload with opcache.preload=' . self::preloadScript());
        }
        $enable = strtolower(trim((string) ini_get('ffi.enable')));
        if (\in_array($enable, ['0', 'false', 'off', 'no', 'none', ''], true)) {
            throw new UsageException("PHP FFI is disabled (ffi.enable={$enable}). Set ffi.enable=true,"
                . ' or under php-fpm ffi.enable=preload with opcache.preload=' . self::preloadScript());
        }

        if ($libraryPath === null && $headerPath === null) {
            $key = 'scope:' . self::FFI_SCOPE;
            if (isset(self::$loaded[$key])) {
                return [self::$loaded[$key], $key];
            }
            try {
                return [self::$loaded[$key] = \FFI::scope(self::FFI_SCOPE), $key];
            } catch (\FFI\Exception) {
                // Not preloaded (or FFI restricted here, reported below): load the file.
            }
        }

        $library = self::resolveLibrary($libraryPath);
        $headerFile = self::resolveHeader($headerPath);
        $key = $library . "\0" . $headerFile;
        if (isset(self::$loaded[$key])) {
            return [self::$loaded[$key], $library];
        }
        $header = self::readHeader($headerFile);
        try {
            $ffi = \FFI::cdef($header, $library);
        } catch (\FFI\Exception $e) {
            if (str_contains($e->getMessage(), 'ffi.enable')) {
                throw new UsageException('PHP FFI is restricted to preloaded code here (ffi.enable=preload, SAPI '
                    . \PHP_SAPI . '). Preload the library: keep ffi.enable=preload and set opcache.preload='
                    . self::preloadScript() . ' (running php-fpm as root with opcache.preload_user? then also'
                    . ' ffi.preload=<header from bin/preload-header.php>); or allow FFI everywhere: ffi.enable=true.', 0, $e);
            }
            throw new UsageException("cannot load the InPost Quick Returns library {$library}: " . $e->getMessage()
                . '. Build it with `cargo build --release -p inpost-quick-returns-c` (or `make php-lib`).', 0, $e);
        }

        return [self::$loaded[$key] = $ffi, $library];
    }

    private static function resolveLibrary(?string $libraryPath): string
    {
        $from = 'the argument';
        if ($libraryPath === null || $libraryPath === '') {
            $env = getenv(self::LIBRARY_ENV);
            if (\is_string($env) && $env !== '') {
                $libraryPath = $env;
                $from = self::LIBRARY_ENV;
            } else {
                $libraryPath = \dirname(__DIR__) . '/lib/' . self::libraryFileName();
                $from = "the package's lib/ folder";
            }
        }
        $real = realpath($libraryPath);
        if ($real === false || !is_file($real)) {
            throw new UsageException("InPost Quick Returns library not found at {$libraryPath} (from {$from})."
                . ' Build it with `cargo build --release -p inpost-quick-returns-c` and run `make php-lib`,'
                . ' or set ' . self::LIBRARY_ENV . ' to the built ' . self::libraryFileName() . '.');
        }

        return $real;
    }

    private static function resolveHeader(?string $headerPath): string
    {
        if ($headerPath === null || $headerPath === '') {
            $env = getenv(self::HEADER_ENV);
            $candidates = \is_string($env) && $env !== '' ? [$env] : [
                \dirname(__DIR__) . '/lib/' . self::HEADER_FILE,
                \dirname(__DIR__, 3) . '/include/' . self::HEADER_FILE,
            ];
        } else {
            $candidates = [$headerPath];
        }
        foreach ($candidates as $candidate) {
            $real = realpath($candidate);
            if ($real !== false && is_file($real)) {
                return $real;
            }
        }
        throw new UsageException('C header ' . self::HEADER_FILE . ' not found (looked at '
            . implode(', ', $candidates) . '); `make php-lib` copies it into lib/');
    }

    private static function readHeader(?string $headerPath): string
    {
        $file = self::resolveHeader($headerPath);
        $text = file_get_contents($file);
        if ($text === false) {
            throw new UsageException("cannot read the C header {$file}");
        }

        return $text;
    }

    /** Takes ownership of a returned envelope: copies it out, frees it, maps errors. */
    private function unwrap(mixed $ptr): array
    {
        if (!$ptr instanceof \FFI\CData) {
            throw new UsageException('the library returned no result');
        }
        try {
            $json = \FFI::string($ptr);
        } finally {
            $this->ffi->inpost_returns_free($ptr);
        }
        try {
            $envelope = json_decode($json, true, 512, \JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw new UsageException('the library returned invalid JSON: ' . $e->getMessage(), 0, $e);
        }
        if (!\is_array($envelope) || !isset($envelope['ok'])) {
            throw new UsageException('the library returned something that is not an envelope');
        }
        if ($envelope['ok'] === true) {
            return \is_array($envelope['value'] ?? null) ? $envelope['value'] : [];
        }

        throw QuickReturnsException::fromEnvelope(\is_array($envelope['error'] ?? null) ? $envelope['error'] : []);
    }

    private static function checkOperation(string $operation): void
    {
        if (str_contains($operation, "\0")) {
            throw new UsageException('the operation name contains a NUL byte');
        }
    }

    /**
     * JSON for the core: a PHP array as a JSON object (an empty array becomes `{}`, not `[]`). A
     * non-empty list stays a JSON array, which the core refuses as `invalid_input` naming `config`
     * or `input` (or the section), as every face does (docs/contract.md, "Shapes").
     *
     * @param array<mixed> $value
     */
    private static function encode(array $value, string $what): string
    {
        self::checkUtf8($value, $what);
        try {
            return json_encode(self::objects($value), self::JSON_FLAGS);
        } catch (\JsonException $e) {
            // JsonException messages name the problem, never the value.
            throw new UsageException("{$what} cannot be encoded as JSON: " . $e->getMessage(), 0, $e);
        }
    }

    /** Empty arrays become JSON objects at every depth: no input member is an empty list. */
    private static function objects(mixed $value): mixed
    {
        if (!\is_array($value)) {
            return $value;
        }
        if ($value === []) {
            return new \stdClass();
        }
        foreach ($value as $k => $v) {
            if (\is_array($v)) {
                $value[$k] = self::objects($v);
            }
        }

        return $value;
    }

    /**
     * Rejects strings (keys and values) that are not UTF-8, naming the path but never the value.
     *
     * @param array<mixed> $value
     */
    private static function checkUtf8(array $value, string $path): void
    {
        foreach ($value as $k => $v) {
            $here = $path . '.' . $k;
            if (\is_string($k) && preg_match('//u', $k) !== 1) {
                throw new UsageException("a key in {$path} is not valid UTF-8 text");
            }
            if (\is_string($v) && preg_match('//u', $v) !== 1) {
                throw new UsageException("{$here} is not valid UTF-8 text");
            }
            if (\is_array($v)) {
                self::checkUtf8($v, $here);
            }
        }
    }
}
