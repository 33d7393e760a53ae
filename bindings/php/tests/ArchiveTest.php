<?php

declare(strict_types=1);

namespace InPost\QuickReturns\Tests;

use InPost\QuickReturns\Tests\Support\ReleaseZips;
use PHPUnit\Framework\TestCase;

/**
 * The release archive (`make dist-host` / `make dist`), read as a shop's Composer would get it:
 * what is in it, what is not, a library per platform whose header matches its folder, and the
 * same bytes every time. Runs when INPOST_QUICK_RETURNS_DIST names the folder with the archive
 * (scripts/dist/test-archive.sh sets it).
 */
final class ArchiveTest extends TestCase
{
    use ReleaseZips;

    /** What a shop gets besides src/, bin/ and lib/. */
    private const TOP_FILES = ['LICENSE-APACHE', 'LICENSE-MIT', 'README.md', 'autoload.php', 'composer.json', 'preload.php'];

    private static function archive(): \ZipArchive
    {
        return self::openZip('inpost-quick-returns-php-*.zip');
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

    public function testCarriesTheLicenceTexts(): void
    {
        $zip = self::archive();
        self::entries($zip, $top);
        self::assertStringContainsString('Copyright (c) inpost-quick-returns contributors', (string) $zip->getFromName("{$top}/LICENSE-MIT"));
        self::assertStringContainsString("Apache License\n                           Version 2.0, January 2004", (string) $zip->getFromName("{$top}/LICENSE-APACHE"));
        self::assertSame(['MIT', 'Apache-2.0'], json_decode((string) $zip->getFromName("{$top}/composer.json"), true)['license']);
    }

    /**
     * The README's links work inside the archive: a relative link names a file the archive
     * holds; what lies outside the package (examples/, docs/) is linked on the repository at the
     * version's tag.
     */
    public function testReadmeLinksResolveInsideTheArchiveOrAtTheVersionsTag(): void
    {
        $zip = self::archive();
        $names = array_keys(self::entries($zip, $top));
        $version = substr($top, \strlen('inpost-quick-returns-php-'));
        $readme = (string) $zip->getFromName("{$top}/README.md");
        // Outside fenced code blocks.
        $prose = preg_replace('/^```.*?^```/ms', '', $readme);
        preg_match_all('/\]\(([^)\s]+)\)/', (string) $prose, $links);
        $tagged = 0;
        foreach ($links[1] as $link) {
            $path = explode('#', $link)[0];
            if ($path === '') {
                continue; // an anchor of the README itself
            }
            if (preg_match('~^https://~', $path) === 1) {
                if (preg_match('~/(blob|tree)/v' . preg_quote($version, '~') . '/~', $path) === 1) {
                    ++$tagged;
                }
                continue;
            }
            self::assertTrue(\in_array($path, $names, true) || \in_array(rtrim($path, '/') . '/', $names, true), "README.md links to {$link}, which the archive does not hold");
        }
        self::assertStringContainsString("/blob/v{$version}/examples/php/quickstart.php)", $readme);
        self::assertGreaterThanOrEqual(5, $tagged);
    }

    /** The npm tarball next to the archive (`make dist`; `make dist-host` makes none) ships the licence texts too. */
    public function testTheNpmTarballCarriesTheLicenceTexts(): void
    {
        $tarballs = glob(self::dist() . '/inpost-quick-returns-*.tgz') ?: [];
        if ($tarballs === []) {
            self::markTestSkipped('no npm tarball in ' . self::dist() . ' (make dist-host builds none)');
        }
        self::assertCount(1, $tarballs);
        $tar = new \PharData($tarballs[0]);
        $package = json_decode((string) file_get_contents($tar['package/package.json']->getPathname()), true);
        self::assertSame('MIT OR Apache-2.0', $package['license']);
        self::assertStringContainsString('Copyright (c) inpost-quick-returns contributors', (string) file_get_contents($tar['package/LICENSE-MIT']->getPathname()));
        self::assertStringContainsString('Apache License', (string) file_get_contents($tar['package/LICENSE-APACHE']->getPathname()));
    }

    /** Each lib/<platform>/ file is a library for that platform, by its own header. */
    public function testEachLibraryIsBuiltForItsFolder(): void
    {
        $zip = self::archive();
        self::entries($zip, $top);
        self::assertLibrariesMatchTheirFolders($zip, $top, 'lib');
    }

    /** Same bytes for the same commit: every date is SOURCE_DATE_EPOCH, the entries are sorted. */
    public function testIsDeterministic(): void
    {
        $zip = self::archive();
        $names = array_keys(self::entries($zip));
        $sorted = $names;
        sort($sorted, \SORT_STRING);
        self::assertSame($sorted, $names);
        self::assertDatedSourceDateEpoch($zip);
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
