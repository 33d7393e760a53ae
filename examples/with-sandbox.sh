#!/usr/bin/env bash
# Runs a command with the local InPost sandbox listening on a free loopback port, its URL in
# INPOST_BASE_URL; stops the sandbox when the command ends, fails or is interrupted.
#   examples/with-sandbox.sh php examples/php/quickstart.php
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-$PWD/target}
sandbox_out=$(mktemp)
export INPOST_SANDBOX_LOG=$(mktemp)
sandbox_pid=

stop_sandbox() {
    if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
        kill -TERM "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
    rm -f "$sandbox_out" "$INPOST_SANDBOX_LOG"
}
trap stop_sandbox EXIT
trap 'echo; echo "interrupted"; exit 130' INT TERM

"$target/debug/inpost-returns-sandbox" --listen 127.0.0.1:0 --seed 2026 >"$sandbox_out" 2>"$INPOST_SANDBOX_LOG" &
sandbox_pid=$!
url=
for _ in $(seq 1 100); do
    url=$(sed -n '1s/^listening on //p' "$sandbox_out")
    [ -n "$url" ] && break
    if ! kill -0 "$sandbox_pid" 2>/dev/null; then
        echo "the sandbox did not start:" >&2
        cat "$INPOST_SANDBOX_LOG" >&2
        exit 1
    fi
    sleep 0.1
done
[ -n "$url" ] || { echo "the sandbox did not announce its URL" >&2; exit 1; }
export INPOST_BASE_URL=$url
export INPOST_QUICK_RETURNS_LIB=${INPOST_QUICK_RETURNS_LIB:-$target/release/libinpost_quick_returns.so}
"$@"
