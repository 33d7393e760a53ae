<?php

/*
 * One load-generating client for FpmTest: sends FastCGI requests one after another until the stop
 * file appears (or MAX_SECONDS / MAX_REQUESTS pass), then writes a JSON summary to OUT_FILE:
 * {"ok": n, "failed": n, "inodes": {inode: count}, "failures": [first few reasons]}.
 *
 *     php fcgi-load.php SOCKET SCRIPT STOP_FILE OUT_FILE MAX_SECONDS MAX_REQUESTS
 */

declare(strict_types=1);

require __DIR__ . '/FastCgi.php';

[, $socket, $script, $stopFile, $outFile, $maxSeconds, $maxRequests] = $argv;
$deadline = microtime(true) + (float) $maxSeconds;
$summary = ['ok' => 0, 'failed' => 0, 'inodes' => [], 'failures' => []];
for ($i = 0; $i < (int) $maxRequests && microtime(true) < $deadline && !is_file($stopFile); $i++) {
    try {
        $response = \InPost\QuickReturns\Tests\Support\FastCgi::get($socket, $script);
        $answer = json_decode($response['body'], true);
        if ($response['status'] !== 200 || !\is_array($answer) || ($answer['source'] ?? null) !== 'scope:INPOST_QUICK_RETURNS' || ($answer['valid'] ?? null) !== false) {
            throw new \RuntimeException("HTTP {$response['status']}: " . substr($response['body'] . $response['stderr'], 0, 300));
        }
        $summary['ok']++;
        $summary['inodes'][(string) $answer['inode']] = ($summary['inodes'][(string) $answer['inode']] ?? 0) + 1;
    } catch (\Throwable $e) {
        $summary['failed']++;
        if (\count($summary['failures']) < 5) {
            $summary['failures'][] = sprintf('%.3f %s', microtime(true), $e->getMessage());
        }
    }
}
file_put_contents($outFile, json_encode($summary));
