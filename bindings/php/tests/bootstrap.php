<?php

declare(strict_types=1);

require \dirname(__DIR__) . '/autoload.php';

// The tests load the real library: INPOST_QUICK_RETURNS_LIB (make test-php sets it to the
// release build), else target/release of this checkout, else the library the package itself
// selects from its lib/<platform>/ folder (an unpacked release archive: make test-dist-host).
if (getenv('INPOST_QUICK_RETURNS_LIB') === false || getenv('INPOST_QUICK_RETURNS_LIB') === '') {
    $inpostLibrary = \dirname(__DIR__, 3) . '/target/release/' . \InPost\QuickReturns\Core::libraryFileName();
    if (!is_file($inpostLibrary)) {
        foreach (\InPost\QuickReturns\Platform::libraryCandidates(\InPost\QuickReturns\Core::libDir()) as $inpostLibrary) {
            if (is_file($inpostLibrary)) {
                break;
            }
        }
    }
    putenv('INPOST_QUICK_RETURNS_LIB=' . $inpostLibrary);
    unset($inpostLibrary);
}
