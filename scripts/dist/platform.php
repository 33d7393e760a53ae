<?php

// Prints the platform name of this PHP (e.g. linux-x86_64-gnu): the lib/<platform>/ folder Core reads.
declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';
echo \InPost\QuickReturns\Platform::current(), "\n";
