#!/usr/bin/env bash
# `make demo`: the whole Quick Returns flow from PHP (FFI), Node (wasm) and Rust against the local
# sandbox. Starts inpost-returns-sandbox on a free loopback port and stops it when the demo ends,
# also on failure or Ctrl-C. Expects `make demo` to have built the library, the npm package, the
# sandbox and the Rust example (see the Makefile).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-$PWD/target}
sandbox_out=$(mktemp)
sandbox_log=$(mktemp)
sandbox_pid=

stop_sandbox() {
    if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
        kill -TERM "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
    rm -f "$sandbox_out" "$sandbox_log"
}
trap stop_sandbox EXIT
trap 'echo; echo "demo interrupted"; exit 130' INT TERM

section() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }

"$target/debug/inpost-returns-sandbox" --listen 127.0.0.1:0 --seed 2026 >"$sandbox_out" 2>"$sandbox_log" &
sandbox_pid=$!
url=
for _ in $(seq 1 100); do
    url=$(sed -n '1s/^listening on //p' "$sandbox_out")
    [ -n "$url" ] && break
    if ! kill -0 "$sandbox_pid" 2>/dev/null; then
        echo "the sandbox did not start:" >&2
        cat "$sandbox_log" >&2
        exit 1
    fi
    sleep 0.1
done
[ -n "$url" ] || { echo "the sandbox did not announce its URL" >&2; exit 1; }
export INPOST_BASE_URL=$url
echo "local InPost sandbox at $url (account demo@example.com)"

section "PHP through FFI: examples/php/quickstart.php"
INPOST_QUICK_RETURNS_LIB="$target/release/libinpost_quick_returns.so" php examples/php/quickstart.php

section "Node through wasm: examples/node/quickstart.mjs"
node examples/node/quickstart.mjs

section "Rust: examples/rust/quickstart.rs"
"$target/debug/examples/quickstart"

section "done"
echo "Every call above went over HTTP to the local sandbox; its request log:"
sed 's/^/  /' "$sandbox_log" | tail -n 8
