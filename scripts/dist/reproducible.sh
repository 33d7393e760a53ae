#!/usr/bin/env bash
# reproducible.sh DIST_DIR: `make test-dist` in a fresh clone of HEAD, in another folder with its
# own target directory (so the release builds and passes every test from a clean checkout), then
# compares the clone's SHA256SUMS with DIST_DIR's.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIST_DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
dist=$(realpath "$1")
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
    echo "reproducible: the work tree has uncommitted changes; $dist may not be HEAD's build" >&2
fi
clone=$(mktemp -d "${TMPDIR:-/tmp}/inpost-qr-reproducible-XXXXXX")
trap 'rm -rf "$clone"' EXIT
git clone -q --no-hardlinks "$root" "$clone/src"
git -C "$clone/src" checkout -q "$(git -C "$root" rev-parse HEAD)"
make -C "$clone/src" --no-print-directory test-dist
if diff -u "$dist/SHA256SUMS" "$clone/src/dist/SHA256SUMS"; then
    echo "reproducible: a fresh clone in $clone/src built the same SHA256SUMS:"
    sed 's/^/  /' "$dist/SHA256SUMS"
else
    echo "reproducible: the second build differs; differing archive entries:" >&2
    for zip in "$dist"/*.zip; do
        mkdir -p "$clone/a" "$clone/b"
        (cd "$clone/a" && unzip -q "$zip")
        (cd "$clone/b" && unzip -q "$clone/src/dist/$(basename "$zip")")
        diff <(cd "$clone/a" && find . -type f -exec sha256sum {} + | sort -k2) \
             <(cd "$clone/b" && find . -type f -exec sha256sum {} + | sort -k2) >&2 || true
    done
    rm -rf "$root/target/dist-second" && cp -r "$clone/src/dist" "$root/target/dist-second"
    echo "reproducible: the second build is kept in target/dist-second/" >&2
    exit 1
fi
