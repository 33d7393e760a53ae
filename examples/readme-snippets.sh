#!/usr/bin/env bash
# Runs README.md's PHP and JavaScript quickstart blocks as written (only the sandbox URL and the
# package path are swapped in), so the README cannot drift from the code. Its Rust block runs as
# a doctest. Use through examples/with-sandbox.sh (`make test-readme`).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${INPOST_BASE_URL:?run me through examples/with-sandbox.sh}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

block() { # the first fenced block of language $1 in README.md
    awk -v lang="$1" '$0 == "```" lang { on = 1; next } on && $0 == "```" { exit } on { print }' README.md
}
block php | sed -e "s#http://127.0.0.1:8787/#$INPOST_BASE_URL#" \
    -e "s#require 'bindings/php/autoload.php';#require '$PWD/bindings/php/autoload.php';#" >"$work/readme.php"
block js | sed -e "s#http://127.0.0.1:8787/#$INPOST_BASE_URL#" \
    -e "s#from \"inpost-quick-returns\"#from \"$PWD/pkg/dist/node.mjs\"#" >"$work/readme.mjs"
[ -s "$work/readme.php" ] && [ -s "$work/readme.mjs" ] || { echo "README.md lost its php or js block" >&2; exit 1; }

echo "README PHP block:"
php "$work/readme.php" | tee "$work/php.out"
grep -q '^Return code [0-9]' "$work/php.out"
grep -q '^senderPhone: must be a Polish phone number' "$work/php.out"
echo "README JavaScript block:"
node "$work/readme.mjs" | tee "$work/js.out"
grep -q '^Return code [0-9]' "$work/js.out"
grep -q '^invalid_input code$' "$work/js.out"
echo "readme: 2 passed, 0 failed"
