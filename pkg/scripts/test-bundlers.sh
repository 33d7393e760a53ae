#!/usr/bin/env bash
# `make test-bundlers`: pack pkg/ with npm, install the tarball into test/bundlers/ (beside the
# bundlers and runtimes that its package-lock.json pins, installed by `npm ci`), and run
# test/bundlers/bundlers.test.mjs there: each bundler builds a tiny app from the installed package,
# the browser builds run in headless Chromium, Deno and Bun run the package's node:test suites.
# The tests start their own sandboxes (INPOST_SANDBOX_BIN); the parse suite compares with the
# native command line (INPOST_CLI_BIN).
set -euo pipefail
pkg="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$pkg/.." && pwd)"
dir="$pkg/test/bundlers"
: "${INPOST_SANDBOX_BIN:?set INPOST_SANDBOX_BIN to the inpost-returns-sandbox binary}"
: "${INPOST_CLI_BIN:?set INPOST_CLI_BIN to the inpost-returns command-line binary}"
[[ -x "$dir/node_modules/.bin/next" ]] || { echo "run npm ci in $dir first (make test-bundlers does)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/inpost-bundlers-pack.XXXXXX")"
trap 'rm -rf "$work"' EXIT
(cd "$pkg" && npm pack --json --pack-destination "$work" >"$work/pack.json")
tarball="$work/$(node -p 'require(process.argv[1])[0].filename' "$work/pack.json")"
node -e 'const [p] = require(process.argv[1]); console.log(`tarball ${p.filename}: ${p.size} bytes (unpacked ${p.unpackedSize} bytes, ${p.entryCount} files)`)' "$work/pack.json"

cd "$dir"
npm install --no-save --no-audit --no-fund --offline --silent "$tarball"
export INPOST_SANDBOX_BIN INPOST_CLI_BIN
export INPOST_REPO_FIXTURES="$repo/tests/fixtures"
node --test bundlers.test.mjs
