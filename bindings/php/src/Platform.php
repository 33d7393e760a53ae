<?php

declare(strict_types=1);

namespace InPost\QuickReturns;

/**
 * Which prebuilt library fits the running PHP: the package ships one per platform under
 * `lib/<platform>/` (e.g. `lib/linux-x86_64-musl/libinpost_quick_returns.so`), named after the
 * OS family, the machine and, on Linux, the C library (glibc or musl).
 *
 * Another package (a WordPress plugin, say) that bundles the same `lib/` layout finds its library
 * with `Platform::libraryCandidates('/path/to/its/lib')`.
 */
final class Platform
{
    /** Every platform the release archive carries a library for. */
    public const SUPPORTED = [
        'linux-x86_64-gnu',
        'linux-aarch64-gnu',
        'linux-x86_64-musl',
        'linux-aarch64-musl',
        'macos-x86_64',
        'macos-arm64',
        'windows-x86_64',
    ];

    /**
     * The running PHP's platform name, e.g. `linux-x86_64-gnu`, `macos-arm64`, `windows-x86_64`.
     * Names outside {@see SUPPORTED} (e.g. `linux-x86-gnu` for 32-bit PHP) have no library.
     */
    public static function current(): string
    {
        $os = match (\PHP_OS_FAMILY) {
            'Linux' => 'linux',
            'Darwin' => 'macos',
            'Windows' => 'windows',
            default => strtolower(\PHP_OS_FAMILY),
        };
        $machine = self::machine();
        if ($os === 'macos' && $machine === 'aarch64') {
            $machine = 'arm64'; // Apple's name
        }

        return $os === 'linux' ? "linux-{$machine}-" . self::libc() : "{$os}-{$machine}";
    }

    /**
     * The CPU architecture PHP runs as: `x86_64`, `aarch64`, or what `php_uname('m')` says.
     * A 32-bit PHP on a 64-bit kernel is reported as 32-bit (`x86`, `arm`).
     */
    public static function machine(): string
    {
        $machine = strtolower(php_uname('m'));
        $machine = match ($machine) {
            'x86_64', 'amd64', 'x64' => 'x86_64',
            'aarch64', 'arm64', 'armv8', 'armv8l' => 'aarch64',
            'i386', 'i486', 'i586', 'i686', 'x86' => 'x86',
            default => $machine,
        };
        if (\PHP_INT_SIZE === 4) {
            $machine = match ($machine) {
                'x86_64' => 'x86',
                'aarch64' => 'arm',
                default => $machine,
            };
        }

        return $machine;
    }

    /**
     * Linux's C library of this PHP process: `musl` (Alpine) or `gnu` (glibc: Debian, Ubuntu,
     * RHEL…). Read from the files the process has mapped, else from PHP's own ELF interpreter.
     */
    public static function libc(): string
    {
        static $libc = null;
        if ($libc !== null) {
            return $libc;
        }
        $maps = @file_get_contents('/proc/self/maps');
        if (\is_string($maps) && $maps !== '') {
            if (preg_match('~/ld-musl-[^/\s]+\.so\.1$|/libc\.musl-[^/\s]+$~m', $maps) === 1) {
                return $libc = 'musl';
            }
            if (preg_match('~/libc\.so\.6$|/ld-linux[^/\s]*\.so\.\d$~m', $maps) === 1) {
                return $libc = 'gnu';
            }
        }
        $interpreter = \PHP_BINARY !== '' ? LibraryFile::interpreter(\PHP_BINARY) : null;
        if ($interpreter !== null) {
            return $libc = str_contains($interpreter, 'musl') ? 'musl' : 'gnu';
        }

        return $libc = (glob('/lib/ld-musl-*.so.1') !== [] && glob('/lib*/libc.so.6') === [] ? 'musl' : 'gnu');
    }

    /**
     * The library files to try, in order, in a package's `lib/` folder: `lib/<platform>/<file>`
     * for this platform, then `lib/<file>` (a library built from source and copied there).
     *
     * @return list<string>
     */
    public static function libraryCandidates(string $libDir): array
    {
        $libDir = rtrim($libDir, '/\\');
        $file = self::libraryFileName();

        return [$libDir . '/' . self::current() . '/' . $file, $libDir . '/' . $file];
    }

    /** The shared library's file name on this OS. */
    public static function libraryFileName(): string
    {
        return match (\PHP_OS_FAMILY) {
            'Darwin' => 'libinpost_quick_returns.dylib',
            'Windows' => 'inpost_quick_returns.dll',
            default => 'libinpost_quick_returns.so',
        };
    }

    /**
     * The platform folders a `lib/` folder holds, for error messages.
     *
     * @return list<string>
     */
    public static function bundled(string $libDir): array
    {
        $found = [];
        foreach (glob(rtrim($libDir, '/\\') . '/*', \GLOB_ONLYDIR) ?: [] as $dir) {
            $found[] = basename($dir);
        }
        sort($found);

        return $found;
    }
}
