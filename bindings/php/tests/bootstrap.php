<?php

declare(strict_types=1);

require \dirname(__DIR__) . '/autoload.php';

// The tests load the real library: INPOST_QUICK_RETURNS_LIB (make test-php sets it to the
// release build), else target/release of this checkout.
if (getenv('INPOST_QUICK_RETURNS_LIB') === false || getenv('INPOST_QUICK_RETURNS_LIB') === '') {
    putenv('INPOST_QUICK_RETURNS_LIB=' . \dirname(__DIR__, 3) . '/target/release/' . \InPost\QuickReturns\Core::libraryFileName());
}
