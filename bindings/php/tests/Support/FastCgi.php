<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests\Support;

/**
 * A minimal FastCGI client (the responder role, one request per connection), enough to send
 * php-fpm real requests the way nginx does, without nginx.
 */
final class FastCgi
{
    private const VERSION = 1;
    private const BEGIN_REQUEST = 1;
    private const END_REQUEST = 3;
    private const PARAMS = 4;
    private const STDIN = 5;
    private const STDOUT = 6;
    private const STDERR = 7;

    /**
     * GET `$script` through the php-fpm at `$socket` (`unix:///…` or `tcp://…`).
     *
     * @return array{status: int, headers: array<string, string>, body: string, stderr: string}
     *
     * @throws \RuntimeException when the connection fails or ends before the request's end
     */
    public static function get(string $socket, string $script, float $timeout = 10.0): array
    {
        $stream = @stream_socket_client($socket, $errno, $errstr, $timeout);
        if ($stream === false) {
            throw new \RuntimeException("cannot connect to {$socket}: {$errstr}");
        }
        try {
            stream_set_timeout($stream, (int) ceil($timeout));
            $params = [
                'GATEWAY_INTERFACE' => 'FastCGI/1.0',
                'REQUEST_METHOD' => 'GET',
                'SCRIPT_FILENAME' => $script,
                'SCRIPT_NAME' => '/' . basename($script),
                'REQUEST_URI' => '/' . basename($script),
                'QUERY_STRING' => '',
                'SERVER_SOFTWARE' => 'inpost-qr-fastcgi-test',
                'SERVER_PROTOCOL' => 'HTTP/1.1',
                'SERVER_NAME' => 'localhost',
                'SERVER_PORT' => '80',
                'REMOTE_ADDR' => '127.0.0.1',
                'CONTENT_LENGTH' => '0',
            ];
            $pairs = '';
            foreach ($params as $name => $value) {
                $pairs .= self::length(\strlen($name)) . self::length(\strlen($value)) . $name . $value;
            }
            $request = self::record(self::BEGIN_REQUEST, pack('nCx5', 1, 0))
                . self::record(self::PARAMS, $pairs) . self::record(self::PARAMS, '')
                . self::record(self::STDIN, '');
            if (fwrite($stream, $request) !== \strlen($request)) {
                throw new \RuntimeException('cannot send the request');
            }
            $stdout = '';
            $stderr = '';
            while (true) {
                $header = self::read($stream, 8);
                $h = unpack('Cversion/Ctype/nid/nlength/Cpadding', $header);
                $content = self::read($stream, $h['length'] + $h['padding']);
                $content = substr($content, 0, $h['length']);
                if ($h['type'] === self::STDOUT) {
                    $stdout .= $content;
                } elseif ($h['type'] === self::STDERR) {
                    $stderr .= $content;
                } elseif ($h['type'] === self::END_REQUEST) {
                    break;
                }
            }
        } finally {
            fclose($stream);
        }
        [$head, $body] = array_pad(explode("\r\n\r\n", $stdout, 2), 2, '');
        $headers = [];
        foreach (explode("\r\n", $head) as $line) {
            if (str_contains($line, ':')) {
                [$name, $value] = explode(':', $line, 2);
                $headers[strtolower(trim($name))] = trim($value);
            }
        }
        $status = isset($headers['status']) ? (int) $headers['status'] : 200;

        return ['status' => $status, 'headers' => $headers, 'body' => $body, 'stderr' => $stderr];
    }

    private static function record(int $type, string $content): string
    {
        return pack('CCnnCx', self::VERSION, $type, 1, \strlen($content), 0) . $content;
    }

    private static function length(int $length): string
    {
        return $length < 128 ? \chr($length) : pack('N', $length | 0x80000000);
    }

    /** @param resource $stream */
    private static function read($stream, int $length): string
    {
        $data = '';
        while (\strlen($data) < $length) {
            $chunk = fread($stream, $length - \strlen($data));
            if ($chunk === false || $chunk === '') {
                $meta = stream_get_meta_data($stream);
                throw new \RuntimeException($meta['timed_out'] ? 'timed out' : 'connection closed before the end of the request');
            }
            $data .= $chunk;
        }

        return $data;
    }
}
