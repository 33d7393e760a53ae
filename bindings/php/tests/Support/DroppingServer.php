<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests\Support;

/**
 * dropping-server.php on a free loopback port: answers report requests on a kept-alive
 * connection, reads every other request whole and closes (or resets) the connection without an
 * answer, and logs each request with the connection it came on.
 */
final class DroppingServer
{
    /** @var resource */
    private $process;
    /** @var array<int, resource> */
    private array $pipes;
    private string $baseUrl;
    private string $logFile;

    /** @param 'close'|'reset' $mode */
    public function __construct(string $mode)
    {
        $this->logFile = (string) tempnam(sys_get_temp_dir(), 'inpost-qr-dropping-');
        $command = [\PHP_BINARY, __DIR__ . '/dropping-server.php', $mode, $this->logFile];
        $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        if (!\is_resource($process)) {
            throw new \RuntimeException('cannot start dropping-server.php');
        }
        $this->process = $process;
        $this->pipes = $pipes;
        $read = [$pipes[1]];
        $write = $except = null;
        $line = stream_select($read, $write, $except, 10) === 1 ? (string) fgets($pipes[1]) : '';
        if (preg_match('~^listening on (http://127\.0\.0\.1:\d+/)$~', rtrim($line), $m) !== 1) {
            $error = stream_get_contents($pipes[2]);
            $this->__destruct();
            throw new \RuntimeException("dropping-server.php did not start: {$line}{$error}");
        }
        $this->baseUrl = $m[1];
    }

    public function __destruct()
    {
        if (\is_resource($this->process)) {
            proc_terminate($this->process);
            foreach ($this->pipes as $pipe) {
                fclose($pipe);
            }
            proc_close($this->process);
        }
        @unlink($this->logFile);
    }

    public function baseUrl(): string
    {
        return $this->baseUrl;
    }

    /**
     * The requests seen so far, e.g. `connection 2 request 1 POST /?do=revloggenerateinactivecodes`.
     *
     * @return list<string>
     */
    public function requests(): array
    {
        $lines = file($this->logFile, \FILE_IGNORE_NEW_LINES | \FILE_SKIP_EMPTY_LINES) ?: [];

        return array_map(static fn (string $line): string => preg_replace('/ HTTP\/1\.1 \(\d+ bytes of body\)$/', '', $line), $lines);
    }
}
