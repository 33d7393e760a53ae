<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests\Support;

/**
 * PHP's built-in web server (`php -S`, SAPI cli-server) as a stand-in for php-fpm: with
 * ffi.enable=preload it restricts FFI to preloaded code exactly like php-fpm does.
 */
final class PhpServer
{
    /** @var resource */
    private $process;
    private string $url;
    private string $docroot;

    /**
     * @param list<string> $phpArgs e.g. ['-d', 'ffi.enable=preload']
     * @param string       $script  the PHP code of index.php
     * @param list<string> $prefix  command prefix, e.g. setpriv to drop root
     */
    public function __construct(array $phpArgs, string $script, array $prefix = [])
    {
        $this->docroot = sys_get_temp_dir() . '/inpost-qr-docroot-' . bin2hex(random_bytes(6));
        mkdir($this->docroot, 0755);
        file_put_contents($this->docroot . '/index.php', $script);
        $port = self::freePort();
        $command = array_merge($prefix, [\PHP_BINARY, '-n'], self::baseIni(), $phpArgs, ['-S', "127.0.0.1:{$port}", '-t', $this->docroot]);
        $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', $this->docroot . '/server.log', 'w']], $pipes);
        if (!\is_resource($process)) {
            throw new \RuntimeException('cannot start php -S');
        }
        $this->process = $process;
        $this->url = "http://127.0.0.1:{$port}/index.php";
        $deadline = microtime(true) + 10;
        while (($socket = @fsockopen('127.0.0.1', $port, $errno, $errstr, 0.2)) === false) {
            if (microtime(true) > $deadline || !proc_get_status($this->process)['running']) {
                throw new \RuntimeException('php -S did not start: ' . $this->log());
            }
            usleep(50000);
        }
        fclose($socket);
    }

    public function __destruct()
    {
        if (\is_resource($this->process)) {
            proc_terminate($this->process);
            proc_close($this->process);
        }
        @unlink($this->docroot . '/index.php');
        @unlink($this->docroot . '/server.log');
        @rmdir($this->docroot);
    }

    /** `http://127.0.0.1:PORT/`: the server answers every path with index.php. */
    public function baseUrl(): string
    {
        return substr($this->url, 0, -\strlen('index.php'));
    }

    public function get(): string
    {
        $handle = curl_init($this->url);
        curl_setopt_array($handle, [\CURLOPT_RETURNTRANSFER => true, \CURLOPT_TIMEOUT => 20]);
        $body = curl_exec($handle);
        curl_close($handle);

        return \is_string($body) ? $body : '';
    }

    public function log(): string
    {
        return (string) @file_get_contents($this->docroot . '/server.log');
    }

    /**
     * `php -n` (no php.ini) plus the extensions this needs, wherever they are shared objects.
     *
     * @return list<string>
     */
    public static function baseIni(): array
    {
        $args = [];
        foreach (['ffi' => 'FFI', 'curl' => 'curl', 'json' => 'json'] as $file => $name) {
            if (is_file(\PHP_EXTENSION_DIR . "/{$file}.so")) {
                $args[] = '-d';
                $args[] = "extension={$file}";
            }
        }
        if (is_file(\PHP_EXTENSION_DIR . '/opcache.so')) {
            $args[] = '-d';
            $args[] = 'zend_extension=opcache';
        }

        return $args;
    }

    public static function freePort(): int
    {
        $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        if ($server === false) {
            throw new \RuntimeException("no free port: {$errstr}");
        }
        $name = (string) stream_socket_get_name($server, false);
        fclose($server);

        return (int) substr($name, strrpos($name, ':') + 1);
    }
}
