#!/usr/bin/env bash
# dist.sh OUT_DIR [--npm] PLATFORM...: release artifacts in OUT_DIR.
#
#   inpost-quick-returns-php-<version>.zip   the PHP package with lib/<platform>/ for each PLATFORM
#   inpost-quick-returns-woocommerce-<version>.zip
#                                            the WooCommerce plugin (wp-admin upload), with the PHP
#                                            package above, so every PLATFORM's library
#   inpost-quick-returns-<version>.tgz       the npm package (--npm; `make pkg` must have run)
#   inpost_quick_returns.h                   the C header
#   BUILDINFO                                the commit, SOURCE_DATE_EPOCH and the tool versions
#   SHA256SUMS                               of all of the above
#
# SOURCE_DATE_EPOCH defaults to the last commit's date: two builds of one commit with the same
# tools give the same SHA256SUMS (`make dist-reproducible` checks it).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/dist/toolchains.sh"
[ $# -ge 2 ] || { echo "usage: $0 OUT_DIR [--npm] PLATFORM..." >&2; exit 2; }
out=$1; shift
npm=no
if [ "$1" = --npm ]; then npm=yes; shift; fi
platforms=("$@")

cd "$root"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
version=$(awk -F'"' '/^version = / {print $2; exit}' Cargo.toml)
repository=$(awk -F'"' '/^repository = / {print $2; exit}' Cargo.toml)
libs=${DIST_TARGET_DIR:-$root/target/dist}/libs
rm -rf "$libs" && mkdir -p "$libs"
for platform in "${platforms[@]}"; do
    "$root/scripts/dist/build-lib.sh" "$platform" "$libs"
done

mkdir -p "$out"
rm -f "$out"/inpost-quick-returns-php-*.zip "$out"/inpost-quick-returns-woocommerce-*.zip "$out"/inpost-quick-returns-*.tgz \
    "$out"/SHA256SUMS "$out"/BUILDINFO
python3 "$root/scripts/dist/php-archive.py" --package bindings/php --libs "$libs" \
    --header include/inpost_quick_returns.h --version "$version" \
    --license LICENSE-MIT --license LICENSE-APACHE --repository "$repository" \
    --require-platforms "$(IFS=,; echo "${platforms[*]}")" \
    --out "$out/inpost-quick-returns-php-$version.zip"
# The plugin is built from the archive just written, so it carries exactly its lib/.
unpacked=$(mktemp -d "${TMPDIR:-/tmp}/inpost-qr-dist-XXXXXX")
trap 'rm -rf "$unpacked"' EXIT
unzip -q "$out/inpost-quick-returns-php-$version.zip" -d "$unpacked"
php bindings/woocommerce/bin/build-zip.php --php-package "$unpacked/inpost-quick-returns-php-$version" \
    --out "$out/inpost-quick-returns-woocommerce-$version.zip"
"$root/scripts/dist/install-file.sh" include/inpost_quick_returns.h "$out/inpost_quick_returns.h"
if [ "$npm" = yes ]; then
    (cd pkg && npm pack --silent --pack-destination "$(cd "$root" && realpath "$out")" >/dev/null)
fi
{
    echo "commit $(git rev-parse HEAD)"
    echo "SOURCE_DATE_EPOCH $SOURCE_DATE_EPOCH"
    echo "platforms ${platforms[*]}"
    echo "rustc $(rustc --version | awk '{print $2}')"
    echo "cargo-zigbuild $CARGO_ZIGBUILD_VERSION"
    echo "ziglang $ZIGLANG_VERSION"
    # The plugin zip's writer and its translations' compiler.
    echo "php $(php -r 'echo PHP_VERSION;') libzip $(php -r 'echo ZipArchive::LIBZIP_VERSION;')"
    echo "msgfmt $(msgfmt --version | awk 'NR == 1 {print $NF}')"
} >"$out/BUILDINFO"
(cd "$out" && find . -maxdepth 1 -type f ! -name SHA256SUMS ! -name '.*' -printf '%f\n' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
echo "dist: $out"
(cd "$out" && ls -l --time-style=+ | tail -n +2 | awk '{print "  " $5 "\t" $6}')
