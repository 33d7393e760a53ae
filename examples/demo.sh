#!/usr/bin/env bash
# `make demo`: the whole Quick Returns flow from PHP (FFI), Node (wasm) and Rust against the local
# sandbox. Run through examples/with-sandbox.sh, which starts the sandbox and stops it afterwards;
# `make demo` builds the library, the npm package, the sandbox and the Rust example first.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${INPOST_BASE_URL:?run me as examples/with-sandbox.sh examples/demo.sh (or make demo)}"
target=${CARGO_TARGET_DIR:-$PWD/target}

section() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }

echo "local InPost sandbox at $INPOST_BASE_URL (account demo@example.com)"

section "PHP through FFI: examples/php/quickstart.php"
php examples/php/quickstart.php

section "Node through wasm: examples/node/quickstart.mjs"
node examples/node/quickstart.mjs

section "Rust: examples/rust/quickstart.rs"
"$target/debug/examples/quickstart"

section "done"
echo "Every call above went over HTTP to the local sandbox; the end of its request log:"
sed 's/^/  /' "$INPOST_SANDBOX_LOG" | tail -n 5
