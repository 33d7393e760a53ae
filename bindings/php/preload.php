<?php

/*
 * opcache preload script for php-fpm (or any SAPI) running with ffi.enable=preload:
 *
 *     ffi.enable=preload
 *     opcache.enable=1
 *     opcache.preload=/path/to/bindings/php/preload.php
 *     ; when the master process runs as root:
 *     opcache.preload_user=www-data
 *     ffi.preload=/path/to/inpost_quick_returns.preload.h   ; from bin/preload-header.php
 *
 * It compiles this package's classes into the preload (so that their FFI calls are allowed in
 * requests) and loads the library into the FFI scope INPOST_QUICK_RETURNS, unless ffi.preload
 * already did. Core then uses FFI::scope('INPOST_QUICK_RETURNS'). The library path is taken from
 * INPOST_QUICK_RETURNS_LIB when set, else this package's lib/<platform>/ folder (see Platform).
 */

declare(strict_types=1);

require_once __DIR__ . '/autoload.php';

// Load (and so preload) every class of the package through the autoloader, parents first.
$inpostQuickReturnsSources = new RecursiveIteratorIterator(
    new RecursiveDirectoryIterator(__DIR__ . '/src', FilesystemIterator::SKIP_DOTS),
);
foreach ($inpostQuickReturnsSources as $inpostQuickReturnsFile) {
    if ($inpostQuickReturnsFile->getExtension() === 'php') {
        $inpostQuickReturnsRelative = substr($inpostQuickReturnsFile->getPathname(), \strlen(__DIR__ . '/src/'), -4);
        class_exists('InPost\\QuickReturns\\' . str_replace('/', '\\', $inpostQuickReturnsRelative));
    }
}
unset($inpostQuickReturnsSources, $inpostQuickReturnsFile, $inpostQuickReturnsRelative);

\InPost\QuickReturns\Core::preload();
