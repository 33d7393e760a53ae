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
 * `INPOST_QUICK_RETURNS_LIB`, and the package's own `lib/<platform>/` folder, chosen by
 * {@see Platform} (the release archive holds one per platform; `make php-lib` fills the host's).
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
     *                                 the preloaded scope, env INPOST_QUICK_RETURNS_LIB, then lib/<platform>/
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
     * @throws UsageException when FFI is off, the library or header is missing, or FFI::load is refused
     */
    public static function preload(?string $libraryPath = null, ?string $headerPath = null): void
    {
        self::checkFfiEnabled('preloading the InPost Quick Returns library needs FFI');
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
            $ffiPreload = (string) ini_get('ffi.preload');
            $command = '`php ' . \dirname(__DIR__) . '/bin/preload-header.php --out '
                . ($ffiPreload !== '' ? $ffiPreload : '/etc/php/inpost_quick_returns.preload.h') . '`';
            if ($ffiPreload !== '') {
                $hint = " ffi.preload={$ffiPreload} is set but did not declare the FFI scope " . self::FFI_SCOPE
                    . ": write that header with {$command} (its first line is #define FFI_SCOPE \"" . self::FFI_SCOPE . '") and restart php-fpm.';
            } elseif ((string) ini_get('opcache.preload_user') !== '') {
                $hint = ' FFI::load() cannot be used together with opcache.preload_user: generate a preload header'
                    . " ({$command}) and set ffi.preload=/etc/php/inpost_quick_returns.preload.h next to opcache.preload.";
            } else {
                $hint = self::mismatch($library);
            }
            throw new UsageException('preloading the InPost Quick Returns library failed: ' . rtrim($e->getMessage(), '.') . '.' . $hint, 0, $e);
        } finally {
            @unlink($file);
        }
        if ($ffi === null) {
            throw new UsageException("preloading the InPost Quick Returns library from {$library} failed." . self::mismatch($library));
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
        return Platform::libraryFileName();
    }

    /** This package's `lib/` folder: the header and one `<platform>/` folder per prebuilt library. */
    public static function libDir(): string
    {
        return \dirname(__DIR__) . '/lib';
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
        self::checkFfiEnabled('The InPost Quick Returns library needs PHP FFI');

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
                throw new UsageException(self::restrictedMessage(), 0, $e);
            }
            $mismatch = self::mismatch($library);
            throw new UsageException("cannot load the InPost Quick Returns library {$library}: " . rtrim($e->getMessage(), '.') . '.'
                . ($mismatch !== '' ? $mismatch : ' Build it with `cargo build --release -p inpost-quick-returns-c` (or `make php-lib`).'), 0, $e);
        }

        return [self::$loaded[$key] = $ffi, $library];
    }

    /** ffi.enable as PHP reads it: `preload`, else a boolean (`1`, `on`, `yes`, `true` are true). */
    public static function ffiEnable(): string
    {
        $value = strtolower(trim((string) ini_get('ffi.enable')));
        if ($value === 'preload') {
            return 'preload';
        }

        return \in_array($value, ['true', 'on', 'yes'], true) || (int) $value !== 0 ? 'true' : 'false';
    }

    private static function checkFfiEnabled(string $what): void
    {
        if (!\extension_loaded('ffi')) {
            throw new UsageException("{$what}, but ext-ffi is not loaded. Enable it (extension=ffi) and set ffi.enable=true,"
                . ' or under php-fpm ffi.enable=preload with opcache.preload=' . self::preloadScript());
        }
        if (self::ffiEnable() === 'false') {
            throw new UsageException("{$what}, but PHP FFI is disabled (ffi.enable=false). Set ffi.enable=true,"
                . ' or under php-fpm ffi.enable=preload with opcache.preload=' . self::preloadScript());
        }
    }

    /** Why FFI is refused in this request, with ffi.enable=preload: what to set, or why the preload did not happen. */
    private static function restrictedMessage(): string
    {
        $message = 'PHP FFI is restricted to preloaded code here (ffi.enable=preload, SAPI ' . \PHP_SAPI . ')';
        $preload = (string) ini_get('opcache.preload');
        if ($preload === '') {
            return $message . '. Preload the library: keep ffi.enable=preload and set opcache.preload='
                . self::preloadScript() . ' (running php-fpm as root with opcache.preload_user? then also'
                . ' ffi.preload=<header from bin/preload-header.php>); or allow FFI everywhere: ffi.enable=true.';
        }
        $message .= ", and opcache.preload={$preload} is set but not in effect: ";
        $cli = \in_array(\PHP_SAPI, ['cli', 'phpdbg'], true);
        $enable = $cli ? 'opcache.enable_cli' : 'opcache.enable';
        if (!\extension_loaded('Zend OPcache')) {
            return $message . 'the opcache extension is not loaded. Load it (zend_extension=opcache) and restart php-fpm.';
        }
        if (!\in_array(strtolower((string) ini_get($enable)), ['1', 'on', 'yes', 'true'], true)) {
            return $message . "opcache is off here ({$enable}=0). Set {$enable}=1 and restart php-fpm.";
        }
        $status = \function_exists('opcache_get_status') ? @opcache_get_status(false) : false;
        if (\is_array($status) && isset($status['preload_statistics'])) {
            return $message . 'that script ran, but did not load the library into the FFI scope ' . self::FFI_SCOPE
                . '. Have it `require ' . self::preloadScript() . '`, or point opcache.preload at that file.';
        }

        return $message . 'it did not run in this process. opcache.preload is read once, when php-fpm starts,'
            . ' and only from php.ini or conf.d (not from a pool\'s php_admin_value or .user.ini): restart or reload php-fpm.';
    }

    /**
     * " It is a … library for <platform>, but this PHP runs on <platform>." when the file's header
     * names another platform (or no library at all); else an empty string.
     */
    private static function mismatch(string $library): string
    {
        $current = Platform::current();
        $file = LibraryFile::describe($library);
        if ($file === null) {
            return ' The file is not a shared library (no ELF, Mach-O or PE header); PHP needs one for ' . $current . '.';
        }
        if ($file['platform'] === $current || str_starts_with($current, $file['platform'] . '-')) {
            // Right platform: then a dependency is missing, e.g. a glibc older than 2.17.
            $tool = match (\PHP_OS_FAMILY) {
                'Linux' => "`ldd {$library}`",
                'Darwin' => "`otool -L {$library}`",
                default => null,
            };

            return $tool === null ? '' : " It is a library for {$current}, as this PHP needs; {$tool} shows what it is missing.";
        }

        $article = $file['format'] === 'ELF' ? 'an' : 'a';

        return " It is {$article} {$file['format']} library for {$file['platform']}, but this PHP runs on {$current}:"
            . " use lib/{$current}/" . Platform::libraryFileName() . ' from the release archive.';
    }

    private static function resolveLibrary(?string $libraryPath): string
    {
        if ($libraryPath !== null && $libraryPath !== '') {
            [$candidates, $from] = [[$libraryPath], 'the argument'];
        } elseif (\is_string($env = getenv(self::LIBRARY_ENV)) && $env !== '') {
            [$candidates, $from] = [[$env], self::LIBRARY_ENV];
        } else {
            [$candidates, $from] = [Platform::libraryCandidates(self::libDir()), null];
        }
        foreach ($candidates as $candidate) {
            $real = realpath($candidate);
            if ($real !== false && is_file($real)) {
                return $real;
            }
        }
        if ($from !== null) {
            throw new UsageException("InPost Quick Returns library not found at {$candidates[0]} (from {$from})."
                . ' Name an existing ' . self::libraryFileName() . ' (`cargo build --release -p inpost-quick-returns-c`'
                . ' builds one), or leave both the argument and ' . self::LIBRARY_ENV . " out to use the package's lib/<platform>/ folder.");
        }
        $platform = Platform::current();
        $bundled = Platform::bundled(self::libDir());
        $message = "no InPost Quick Returns library for this PHP ({$platform}: PHP_OS_FAMILY " . \PHP_OS_FAMILY
            . ', machine ' . php_uname('m') . (\PHP_OS_FAMILY === 'Linux' ? ', C library ' . (Platform::libc() === 'musl' ? 'musl' : 'glibc') : '')
            . '). Looked for ' . implode(' and ', $candidates) . '; lib/ holds '
            . ($bundled === [] ? 'no platform folder' : implode(', ', $bundled)) . '.';
        $message .= \in_array($platform, Platform::SUPPORTED, true)
            ? ' Install the release package (its lib/ has every platform; see README, Install),'
            : ' No prebuilt library exists for this platform:';

        throw new UsageException($message . ' or build one with `cargo build --release -p inpost-quick-returns-c`'
            . ' and set ' . self::LIBRARY_ENV . ' to it.');
    }


    private static function resolveHeader(?string $headerPath): string
    {
        if ($headerPath === null || $headerPath === '') {
            $env = getenv(self::HEADER_ENV);
            $candidates = \is_string($env) && $env !== '' ? [$env] : [
                self::libDir() . '/' . self::HEADER_FILE,
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
