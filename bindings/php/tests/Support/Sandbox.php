<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests\Support;

/**
 * A real `inpost-returns-sandbox` process on a free loopback port (`--listen 127.0.0.1:0`).
 * The binary: env INPOST_SANDBOX_BIN, else target/debug/inpost-returns-sandbox of this checkout
 * (`cargo build -p inpost-returns-sandbox`; `make test-php` does it).
 */
final class Sandbox
{
    public const EMAIL = 'demo@example.com';
    public const PASSWORD = 'demo-password';

    private static ?self $shared = null;

    /** @var resource */
    private $process;
    /** @var array<int, resource> */
    private array $pipes;
    private string $baseUrl;
    private string $logFile;
    /** How many `GET /_sandbox/codes` requests this object made. */
    private int $codesCalls = 0;

    /** @param list<string> $args extra arguments, e.g. ['--fail-rate', '1'] */
    public function __construct(array $args = [])
    {
        $binary = self::binary();
        $command = array_merge([$binary, '--listen', '127.0.0.1:0'], $args);
        $this->logFile = (string) tempnam(sys_get_temp_dir(), 'inpost-sandbox-log-');
        $process = proc_open($command, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['file', $this->logFile, 'w']], $pipes);
        if (!\is_resource($process)) {
            throw new \RuntimeException("cannot start {$binary}");
        }
        $this->process = $process;
        $this->pipes = $pipes;
        fclose($pipes[0]);
        $line = $this->firstLine(15.0);
        if (preg_match('~^listening on (http://127\.0\.0\.1:\d+/)$~', $line, $m) !== 1) {
            $this->stop();
            throw new \RuntimeException("unexpected first line from the sandbox: {$line}");
        }
        $this->baseUrl = $m[1];
    }

    public function __destruct()
    {
        $this->stop();
    }

    /** One sandbox for the whole test run; reset it before a test that needs a clean state. */
    public static function shared(): self
    {
        return self::$shared ??= new self();
    }

    public static function binary(): string
    {
        $env = getenv('INPOST_SANDBOX_BIN');
        $binary = \is_string($env) && $env !== '' ? $env : \dirname(__DIR__, 4) . '/target/debug/inpost-returns-sandbox';
        if (!is_file($binary) || !is_executable($binary)) {
            throw new \RuntimeException("sandbox binary not found at {$binary}: run `cargo build -p inpost-returns-sandbox`"
                . ' or set INPOST_SANDBOX_BIN');
        }

        return $binary;
    }

    public function baseUrl(): string
    {
        return $this->baseUrl;
    }

    /**
     * @param array<string, mixed> $extra
     *
     * @return array<string, mixed>
     */
    public function config(array $extra = []): array
    {
        return array_merge(['baseUrl' => $this->baseUrl, 'email' => self::EMAIL, 'password' => self::PASSWORD], $extra);
    }

    /**
     * `GET /_sandbox/codes`: every code of every account, as the sandbox holds it.
     *
     * @return list<array{account: string, code: string, rma: ?string, packType: ?string, expirationDate: ?string, active: bool, used: bool, invalidated: bool}>
     */
    public function codes(): array
    {
        ++$this->codesCalls;
        $handle = curl_init($this->baseUrl . '_sandbox/codes');
        curl_setopt_array($handle, [\CURLOPT_RETURNTRANSFER => true, \CURLOPT_TIMEOUT => 10]);
        $body = curl_exec($handle);
        $status = curl_getinfo($handle, \CURLINFO_RESPONSE_CODE);
        curl_close($handle);
        if (!\is_string($body) || $status !== 200) {
            throw new \RuntimeException("sandbox hook _sandbox/codes failed with status {$status}");
        }

        return json_decode($body, true, 512, \JSON_THROW_ON_ERROR)['codes'];
    }

    /**
     * The sandbox's request log (stderr) once it has logged the `GET /_sandbox/codes` request
     * made just before: one line per request, with `fault=…` and `lost=…` outcomes.
     */
    public function logAfterCodes(): string
    {
        $this->codes();
        $deadline = microtime(true) + 10;
        do {
            $log = (string) file_get_contents($this->logFile);
            if (substr_count($log, 'GET /_sandbox/codes') >= $this->codesCalls && str_ends_with($log, "\n")) {
                return $log;
            }
            usleep(20000);
        } while (microtime(true) < $deadline);
        throw new \RuntimeException('the sandbox did not log the codes request in time');
    }

    /** `POST /_sandbox/reset`: forget every code. */
    public function reset(): void
    {
        $this->hook('_sandbox/reset', []);
    }

    /** `POST /_sandbox/parcel`: move the parcel sent with `$code` to `$status` (Created = dropped at a locker). */
    public function parcel(string $code, string $status): void
    {
        $this->hook('_sandbox/parcel', ['code' => $code, 'status' => $status]);
    }

    public function stop(): void
    {
        if (isset($this->process) && \is_resource($this->process)) {
            proc_terminate($this->process);
            foreach ($this->pipes as $pipe) {
                if (\is_resource($pipe)) {
                    fclose($pipe);
                }
            }
            proc_close($this->process);
        }
        if (isset($this->logFile) && is_file($this->logFile)) {
            @unlink($this->logFile);
        }
    }

    /** @param array<string, string> $fields */
    private function hook(string $path, array $fields): void
    {
        $handle = curl_init($this->baseUrl . $path);
        curl_setopt_array($handle, [
            \CURLOPT_POST => true,
            \CURLOPT_POSTFIELDS => http_build_query($fields),
            \CURLOPT_RETURNTRANSFER => true,
            \CURLOPT_TIMEOUT => 10,
        ]);
        $body = curl_exec($handle);
        $status = curl_getinfo($handle, \CURLINFO_RESPONSE_CODE);
        curl_close($handle);
        if (!\is_string($body) || $status < 200 || $status >= 300) {
            throw new \RuntimeException("sandbox hook {$path} failed with status {$status}: " . var_export($body, true));
        }
    }

    private function firstLine(float $timeout): string
    {
        $out = $this->pipes[1];
        $deadline = microtime(true) + $timeout;
        $line = '';
        stream_set_blocking($out, false);
        while (!str_contains($line, "\n")) {
            $left = $deadline - microtime(true);
            if ($left <= 0) {
                throw new \RuntimeException('the sandbox printed no first line in time');
            }
            $read = [$out];
            $write = $except = null;
            if (stream_select($read, $write, $except, 0, (int) min(200000, $left * 1e6)) > 0) {
                $chunk = fread($out, 1024);
                if ($chunk === '' && feof($out)) {
                    throw new \RuntimeException('the sandbox exited before printing its address');
                }
                $line .= (string) $chunk;
            }
        }

        return rtrim(strstr($line, "\n", true), "\r");
    }
}
