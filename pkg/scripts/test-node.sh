#!/usr/bin/env bash
# `make test-node`: pack pkg/ with npm, install the tarball into an empty temporary folder, copy
# the test suites and the examples (examples/node/*.mjs) there, and run them with node --test, so the
# tests import exactly what a user installs. The tests start and stop their own sandboxes
# (INPOST_SANDBOX_BIN) and compare parsing with the native command line (INPOST_CLI_BIN). The folder is removed afterwards unless KEEP_NODE_TEST_DIR=1.
set -euo pipefail
pkg="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$pkg/.." && pwd)"
: "${INPOST_SANDBOX_BIN:?set INPOST_SANDBOX_BIN to the inpost-returns-sandbox binary}"
: "${INPOST_CLI_BIN:?set INPOST_CLI_BIN to the inpost-returns command-line binary}"

work="$(mktemp -d "${TMPDIR:-/tmp}/inpost-node-test.XXXXXX")"
if [[ "${KEEP_NODE_TEST_DIR:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi

tarball="$(cd "$pkg" && npm pack --silent --pack-destination "$work")"
app="$work/app"
mkdir -p "$app"
cd "$app"
printf '{ "name": "inpost-node-test-app", "private": true, "version": "0.0.0" }\n' > package.json
npm install --no-audit --no-fund --silent --offline "$work/$tarball"
mkdir -p "$app/test"
# Everything in test/ but the bundler tests (their own tools and apps: make test-bundlers).
for entry in "$pkg"/test/*; do [[ "$(basename "$entry")" == bundlers ]] || cp -R "$entry" "$app/test/"; done
cp "$repo/examples/node/quickstart.mjs" "$repo/examples/node/worker.mjs" "$app/"

export INPOST_SANDBOX_BIN INPOST_CLI_BIN
export INPOST_TSC="$pkg/node_modules/.bin/tsc"
export INPOST_TYPE_ROOTS="$pkg/node_modules/@types"
export INPOST_REPO_FIXTURES="$repo/tests/fixtures"
echo "testing $tarball installed in $app"
node --test test/*.test.mjs test/*.test.cjs
