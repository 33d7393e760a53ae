<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests\Support;

use InPost\QuickReturns\LibraryFile;

/**
 * What the tests of `make dist`'s zips share: the dist folder, one zip by name pattern, its entries
 * below the top folder, the libraries it carries and its dates. For PHPUnit test cases.
 */
trait ReleaseZips
{
    /** The files of each platform's library, by OS. */
    private static array $libraryFiles = ['linux' => 'libinpost_quick_returns.so', 'macos' => 'libinpost_quick_returns.dylib', 'windows' => 'inpost_quick_returns.dll'];

    private static function dist(): string
    {
        $dist = getenv('INPOST_QUICK_RETURNS_DIST');
        if (!\is_string($dist) || $dist === '') {
            self::markTestSkipped('INPOST_QUICK_RETURNS_DIST is not set: `make test-dist-host` runs this test');
        }

        return $dist;
    }

    /** The one zip of the dist folder whose name matches $pattern, e.g. `inpost-quick-returns-php-*.zip`. */
    private static function zipPath(string $pattern): string
    {
        $zips = glob(self::dist() . '/' . $pattern) ?: [];
        self::assertCount(1, $zips, "one {$pattern} in " . self::dist());

        return $zips[0];
    }

    private static function openZip(string $pattern): \ZipArchive
    {
        $zip = new \ZipArchive();
        self::assertTrue($zip->open(self::zipPath($pattern), \ZipArchive::RDONLY));

        return $zip;
    }

    /** @return array<string, array{mtime: int, mode: int}> entry name below the top folder => stat */
    private static function entries(\ZipArchive $zip, ?string &$top = null): array
    {
        $entries = [];
        $top = explode('/', (string) $zip->getNameIndex(0))[0];
        for ($i = 0; $i < $zip->numFiles; $i++) {
            $stat = $zip->statIndex($i);
            self::assertIsArray($stat);
            $zip->getExternalAttributesIndex($i, $os, $attributes);
            self::assertStringStartsWith("{$top}/", $stat['name'], 'every entry is inside one top folder');
            $entries[substr($stat['name'], \strlen($top) + 1)] = ['mtime' => $stat['mtime'], 'mode' => ($attributes >> 16) & 0777];
        }

        return $entries;
    }

    /**
     * Each `<lib>/<platform>/<file>` entry is a library for that platform, by its own header, and
     * every platform of INPOST_QUICK_RETURNS_DIST_PLATFORMS (when set) is there.
     *
     * @return list<string> the platforms found
     */
    private static function assertLibrariesMatchTheirFolders(\ZipArchive $zip, string $top, string $lib): array
    {
        $found = [];
        foreach (array_keys(self::entries($zip)) as $name) {
            if (preg_match('~^' . preg_quote($lib, '~') . '/([a-z0-9_-]+)/([^/]+)$~', $name, $m) !== 1) {
                continue;
            }
            [, $platform, $file] = $m;
            self::assertSame(self::$libraryFiles[explode('-', $platform)[0]] ?? null, $file, $name);
            $copy = tempnam(sys_get_temp_dir(), 'inpost-qr-lib-');
            file_put_contents($copy, (string) $zip->getFromName("{$top}/{$name}"));
            try {
                self::assertSame($platform, LibraryFile::describe($copy)['platform'] ?? null, $name);
            } finally {
                unlink($copy);
            }
            $found[] = $platform;
        }
        self::assertNotEmpty($found, "no library under {$lib}/");
        $expected = getenv('INPOST_QUICK_RETURNS_DIST_PLATFORMS');
        if (\is_string($expected) && $expected !== '') {
            $platforms = preg_split('/\s+/', trim($expected));
            sort($platforms);
            sort($found);
            self::assertSame($platforms, $found, "platforms: {$expected}");
        }

        return $found;
    }

    /** Every entry is dated SOURCE_DATE_EPOCH (from BUILDINFO). */
    private static function assertDatedSourceDateEpoch(\ZipArchive $zip): void
    {
        $info = (string) file_get_contents(self::dist() . '/BUILDINFO');
        self::assertSame(1, preg_match('/^SOURCE_DATE_EPOCH (\d+)$/m', $info, $m), $info);
        // Zip stores local time with 2-second steps; the archive was written with the UTC date.
        $expected = (int) $m[1] - ((int) $m[1] % 2);
        foreach (self::entries($zip) as $name => $stat) {
            self::assertSame(gmdate('Y-m-d H:i:s', $expected), date('Y-m-d H:i:s', $stat['mtime']), $name);
        }
    }
}
