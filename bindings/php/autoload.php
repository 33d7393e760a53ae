<?php

/*
 * A PSR-4 autoloader for using the package without Composer (and for its own tests):
 *
 *     require '/path/to/bindings/php/autoload.php';
 *
 * With Composer, its own autoloader does the same from composer.json.
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    static $prefixes = [
        'InPost\\QuickReturns\\Tests\\' => __DIR__ . '/tests/',
        'InPost\\QuickReturns\\' => __DIR__ . '/src/',
    ];
    foreach ($prefixes as $prefix => $dir) {
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
