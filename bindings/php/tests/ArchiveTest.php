<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\LibraryFile;
use PHPUnit\Framework\TestCase;

/**
 * The release archive (`make dist-host` / `make dist`), read as a shop's Composer would get it:
 * what is in it, what is not, a library per platform whose header matches its folder, and the
 * same bytes every time. Runs when INPOST_QUICK_RETURNS_DIST names the folder with the archive
 * (scripts/dist/test-archive.sh sets it).
 */
final class ArchiveTest extends TestCase
{
    /** What a shop gets besides src/, bin/ and lib/. */
    private const TOP_FILES = ['README.md', 'autoload.php', 'composer.json', 'preload.php'];

    private static function dist(): string
    {
        $dist = getenv('INPOST_QUICK_RETURNS_DIST');
        if (!\is_string($dist) || $dist === '') {
            self::markTestSkipped('INPOST_QUICK_RETURNS_DIST is not set: `make test-dist-host` runs this test');
        }

        return $dist;
    }

    private static function archive(): \ZipArchive
    {
        $zips = glob(self::dist() . '/inpost-quick-returns-php-*.zip') ?: [];
        self::assertCount(1, $zips, 'one PHP package archive in ' . self::dist());
        $zip = new \ZipArchive();
        self::assertTrue($zip->open($zips[0], \ZipArchive::RDONLY));

        return $zip;
    }

    /** @return array<string, array{mtime: int, mode: int}> entry name below the top folder => stat */
    private static function entries(\ZipArchive $zip, string &$top = null): array
    {
        $entries = [];
        $top = rtrim((string) $zip->getNameIndex(0), '/');
        for ($i = 0; $i < $zip->numFiles; $i++) {
            $stat = $zip->statIndex($i);
            self::assertIsArray($stat);
            $zip->getExternalAttributesIndex($i, $os, $attributes);
            self::assertStringStartsWith("{$top}/", $stat['name'] . ($i === 0 ? '' : ''), 'every entry is inside one top folder');
            $entries[substr($stat['name'], \strlen($top) + 1)] = ['mtime' => $stat['mtime'], 'mode' => ($attributes >> 16) & 0777];
        }

        return $entries;
    }

    public function testHoldsThePackageAndNothingForDevelopment(): void
    {
        $zip = self::archive();
        $entries = self::entries($zip, $top);
        $names = array_keys($entries);

        self::assertMatchesRegularExpression('/^inpost-quick-returns-php-\d+\.\d+\.\d+$/', $top);
        foreach ($names as $name) {
            if ($name === '' || str_ends_with($name, '/')) {
                continue;
            }
            $first = explode('/', $name)[0];
            self::assertTrue(\in_array($name, self::TOP_FILES, true) || \in_array($first, ['src', 'bin', 'lib'], true), "unexpected {$name}");
            self::assertStringEndsNotWith('.preload.h', $name, 'a preload header names the builder\'s absolute path');
        }
        foreach (['composer.json', 'README.md', 'autoload.php', 'preload.php', 'bin/preload-header.php', 'src/Core.php', 'src/Platform.php', 'src/LibraryFile.php', 'src/Client.php', 'lib/inpost_quick_returns.h'] as $needed) {
            self::assertContains($needed, $names);
        }
        foreach (['tests/', 'bench/', 'phpunit.xml.dist', 'vendor/'] as $devOnly) {
            self::assertNotContains($devOnly, $names);
        }
        self::assertSame(0755, $entries['bin/preload-header.php']['mode']);
        self::assertSame(0644, $entries['src/Core.php']['mode']);

        $composer = json_decode((string) $zip->getFromName("{$top}/composer.json"), true);
        self::assertSame('inpost/quick-returns', $composer['name']);
        self::assertSame(substr($top, \strlen('inpost-quick-returns-php-')), $composer['version'], 'an artifact repository needs the version');
        self::assertArrayNotHasKey('autoload-dev', $composer);
    }

    /** Each lib/<platform>/ file is a library for that platform, by its own header. */
    public function testEachLibraryIsBuiltForItsFolder(): void
    {
        $zip = self::archive();
        $entries = self::entries($zip, $top);
        $files = ['linux' => 'libinpost_quick_returns.so', 'macos' => 'libinpost_quick_returns.dylib', 'windows' => 'inpost_quick_returns.dll'];
        $found = 0;
        foreach (array_keys($entries) as $name) {
            if (preg_match('~^lib/([a-z0-9_-]+)/([^/]+)$~', $name, $m) !== 1) {
                continue;
            }
            [, $platform, $file] = $m;
            self::assertSame($files[explode('-', $platform)[0]] ?? null, $file, $name);
            $copy = tempnam(sys_get_temp_dir(), 'inpost-qr-lib-');
            file_put_contents($copy, (string) $zip->getFromName("{$top}/{$name}"));
            try {
                self::assertSame($platform, LibraryFile::describe($copy)['platform'] ?? null, $name);
            } finally {
                unlink($copy);
            }
            $found++;
        }
        self::assertGreaterThan(0, $found);
        $expected = getenv('INPOST_QUICK_RETURNS_DIST_PLATFORMS');
        if (\is_string($expected) && $expected !== '') {
            self::assertSame($found, \count(explode(' ', trim($expected))), "platforms: {$expected}");
        }
    }

    /** Same bytes for the same commit: every date is SOURCE_DATE_EPOCH, the entries are sorted. */
    public function testIsDeterministic(): void
    {
        $zip = self::archive();
        $entries = self::entries($zip);
        $info = (string) file_get_contents(self::dist() . '/BUILDINFO');
        self::assertSame(1, preg_match('/^SOURCE_DATE_EPOCH (\d+)$/m', $info, $m), $info);
        // Zip stores local time with 2-second steps; the archive was written with the UTC date.
        $expected = (int) $m[1] - ((int) $m[1] % 2);
        $names = array_keys($entries);
        $sorted = $names;
        sort($sorted, \SORT_STRING);
        self::assertSame($sorted, $names);
        foreach ($entries as $name => $stat) {
            self::assertSame(gmdate('Y-m-d H:i:s', $expected), date('Y-m-d H:i:s', $stat['mtime']), $name);
        }
    }

    public function testSha256SumsListsEveryArtifact(): void
    {
        $dist = self::dist();
        $lines = file("{$dist}/SHA256SUMS", \FILE_IGNORE_NEW_LINES | \FILE_SKIP_EMPTY_LINES) ?: [];
        $listed = [];
        foreach ($lines as $line) {
            self::assertSame(1, preg_match('/^([0-9a-f]{64})  (\S+)$/', $line, $m), $line);
            self::assertSame($m[1], hash_file('sha256', "{$dist}/{$m[2]}"), $m[2]);
            $listed[] = $m[2];
        }
        $files = array_map('basename', array_filter(glob("{$dist}/*") ?: [], 'is_file'));
        self::assertEqualsCanonicalizing(array_values(array_diff($files, ['SHA256SUMS'])), $listed);
    }
}
