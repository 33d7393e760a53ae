#!/usr/bin/env php
<?php

/*
 * Writes the header for `ffi.preload` (needed instead of FFI::load() when php-fpm's master runs
 * as root with opcache.preload_user): the C header with FFI_SCOPE and the absolute FFI_LIB.
 *
 *     php bin/preload-header.php [--lib /path/to/libinpost_quick_returns.so] [--out FILE]
 *
 * Without --lib: INPOST_QUICK_RETURNS_LIB, else this package's lib/ folder. Without --out: stdout.
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
    if (file_put_contents((string) $options['out'], $text) === false) {
        fwrite(\STDERR, "preload-header: cannot write {$options['out']}\n");
        exit(1);
    }
} else {
    fwrite(\STDOUT, $text);
}
