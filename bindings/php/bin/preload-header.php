#!/usr/bin/env php
<?php

/*
 * Writes the header for `ffi.preload` (needed instead of FFI::load() when php-fpm's master runs
 * as root with opcache.preload_user): the C header with FFI_SCOPE and the absolute FFI_LIB.
 *
 *     php bin/preload-header.php [--lib /path/to/libinpost_quick_returns.so] [--out FILE]
 *
 * Without --lib: INPOST_QUICK_RETURNS_LIB, else this package's lib/<platform>/ folder. Without
 * --out: stdout. The file is written beside --out and renamed into place, so a php-fpm starting
 * at the same moment never reads half a header.
 */

declare(strict_types=1);

require_once \dirname(__DIR__) . '/autoload.php';

$options = getopt('', ['lib:', 'out:', 'help']);
if (isset($options['help'])) {
    fwrite(\STDOUT, "usage: php bin/preload-header.php [--lib LIBRARY] [--out FILE]\n");
    exit(0);
}
try {
    $text = \InPost\QuickReturns\Core::preloadHeader(isset($options['lib']) ? (string) $options['lib'] : null);
} catch (\InPost\QuickReturns\Exception\QuickReturnsException $e) {
    fwrite(\STDERR, 'preload-header: ' . $e->getMessage() . "\n");
    exit(1);
}
if (isset($options['out'])) {
    $out = (string) $options['out'];
    $tmp = @tempnam(\dirname($out), '.' . basename($out));
    if ($tmp === false || file_put_contents($tmp, $text) === false || !chmod($tmp, 0644) || !rename($tmp, $out)) {
        if ($tmp !== false) {
            @unlink($tmp);
        }
        fwrite(\STDERR, "preload-header: cannot write {$out}\n");
        exit(1);
    }
} else {
    fwrite(\STDOUT, $text);
}
