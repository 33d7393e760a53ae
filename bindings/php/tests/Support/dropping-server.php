<?php

/*
 * php dropping-server.php close|reset LOG: a stand-in for InPost that loses answers the way a
 * dying keep-alive connection does. It answers `?do=revloggetreport` with an empty report and
 * keeps the connection open; any other request it reads whole and then closes the connection
 * without a byte of answer (`close`) or resets it (`reset`, SO_LINGER 0: curl error 56).
 * Prints `listening on http://127.0.0.1:PORT/`, then appends one line per request to LOG:
 * `connection N request M POST /?do=… (L bytes of body)`.
 */

declare(strict_types=1);

[, $mode, $log] = $argv + [null, null, null];
if (!\in_array($mode, ['close', 'reset'], true) || !\is_string($log)) {
    fwrite(\STDERR, "usage: php dropping-server.php close|reset LOG\n");
    exit(2);
}
if ($mode === 'reset' && !\extension_loaded('sockets')) {
    fwrite(\STDERR, "dropping-server: reset needs ext-sockets (SO_LINGER)\n");
    exit(2);
}
$server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
if ($server === false) {
    fwrite(\STDERR, "dropping-server: {$errstr}\n");
    exit(1);
}
$name = (string) stream_socket_get_name($server, false);
echo 'listening on http://127.0.0.1:' . substr($name, strrpos($name, ':') + 1) . "/\n";

/** @var array<int, array{socket: resource, id: int, buffer: string, requests: int}> $connections */
$connections = [];
$next = 0;
while (true) {
    $read = [$server];
    foreach ($connections as $connection) {
        $read[] = $connection['socket'];
    }
    $write = $except = null;
    if (stream_select($read, $write, $except, null) === false) {
        exit(1);
    }
    foreach ($read as $socket) {
        if ($socket === $server) {
            $accepted = @stream_socket_accept($server, 0);
            if ($accepted !== false) {
                $connections[(int) $accepted] = ['socket' => $accepted, 'id' => ++$next, 'buffer' => '', 'requests' => 0];
            }
            continue;
        }
        $key = (int) $socket;
        $data = fread($socket, 65536);
        if ($data === false || $data === '') {
            fclose($socket);
            unset($connections[$key]);
            continue;
        }
        $connections[$key]['buffer'] .= $data;
        // Every whole request in the buffer (curl sends one at a time).
        while (($end = strpos($connections[$key]['buffer'], "\r\n\r\n")) !== false) {
            $head = substr($connections[$key]['buffer'], 0, $end);
            $length = preg_match('/^content-length:\s*(\d+)/mi', $head, $m) === 1 ? (int) $m[1] : 0;
            if (\strlen($connections[$key]['buffer']) < $end + 4 + $length) {
                break;
            }
            $connections[$key]['buffer'] = (string) substr($connections[$key]['buffer'], $end + 4 + $length);
            $requestLine = strtok($head, "\r\n");
            $number = ++$connections[$key]['requests'];
            file_put_contents($log, "connection {$connections[$key]['id']} request {$number} {$requestLine} ({$length} bytes of body)\n", \FILE_APPEND);
            if (str_contains((string) $requestLine, 'do=revloggetreport')) {
                $body = '<paczkomaty><return/></paczkomaty>';
                fwrite($socket, "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " . \strlen($body) . "\r\n\r\n{$body}");
                continue;
            }
            if ($mode === 'reset') {
                socket_set_option(socket_import_stream($socket), \SOL_SOCKET, \SO_LINGER, ['l_onoff' => 1, 'l_linger' => 0]);
            }
            fclose($socket);
            unset($connections[$key]);
            continue 2;
        }
    }
}
