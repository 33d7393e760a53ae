#!/usr/bin/env bash
# test-archive.sh DIST_DIR: the PHP package archive as a shop gets it, on this host.
#
# Unpacks DIST_DIR/inpost-quick-returns-php-*.zip into a temporary copy of the repository's layout
# (bindings/php = the archive, plus the test suite, examples/php and tests/ beside it) and runs PHPUnit
# there with no cargo on PATH and INPOST_QUICK_RETURNS_LIB unset, so every test loads the
# library the archive's Core selects for this machine. The suite then also checks the archive's
# contents (ArchiveTest), installs it with Composer from DIST_DIR as the README says
# (ComposerInstallTest), serves it from php-fpm across a library upgrade (FpmTest), and checks the
# WooCommerce plugin zip built from it and loads the library from that zip (PluginArchiveTest).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIST_DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
dist=$(realpath "$1")
zips=("$dist"/inpost-quick-returns-php-*.zip)
[ ${#zips[@]} -eq 1 ] && [ -f "${zips[0]}" ] || { echo "test-archive: expected one inpost-quick-returns-php-*.zip in $dist" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/inpost-qr-archive-XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"   # php-fpm's workers (www-data) read the package from here
mkdir -p "$stage/bindings" "$stage/examples"
unzip -q "${zips[0]}" -d "$stage/bindings"
mv "$stage/bindings/$(basename "${zips[0]}" .zip)" "$stage/bindings/php"
cp -r "$root/bindings/php/tests" "$root/bindings/php/phpunit.xml.dist" "$stage/bindings/php/"
cp -r "$root/examples/php" "$stage/examples/php"
# The shared test data the PHP suite reads (the conformance table and the fixtures it names).
cp -r "$root/tests" "$stage/tests"

# PATH without cargo, rustc or rustup: the archive must need none of them.
clean_path=""
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
    [ -x "$d/cargo" ] || [ -x "$d/rustc" ] || clean_path="${clean_path:+$clean_path:}$d"
done
if PATH=$clean_path command -v cargo >/dev/null; then echo "test-archive: cargo still on PATH" >&2; exit 1; fi

echo "test-archive: PHPUnit against $(basename "${zips[0]}") unpacked in $stage (PATH without cargo)"
env -u INPOST_QUICK_RETURNS_LIB -u INPOST_QUICK_RETURNS_HEADER PATH="$clean_path" \
    INPOST_SANDBOX_BIN="${INPOST_SANDBOX_BIN:-$root/target/debug/inpost-returns-sandbox}" \
    INPOST_QUICK_RETURNS_DIST="$dist" \
    phpunit -c "$stage/bindings/php/phpunit.xml.dist"
