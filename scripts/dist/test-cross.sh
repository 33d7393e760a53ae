#!/usr/bin/env bash
# test-cross.sh DIST_DIR: runs each other platform's library of the release archive, for real
# where this x86_64 Debian machine can, and checks the rest by their headers and exports.
#
#   every library        exports the four C functions (llvm-nm / llvm-objdump / mingw objdump)
#   linux-aarch64-gnu    Debian's arm64 php8.2-cli under qemu-user runs scripts/dist/smoke.php
#                        against the local sandbox (the arm64 .debs are unpacked into a private
#                        root with a private apt state: the machine's own dpkg is not touched)
#   linux-x86_64-musl    the C test (bindings/c/tests/test_ffi.c) built with musl-gcc, and
#                        dlopen.c loading it at run time as a musl PHP's FFI would
#   linux-aarch64-musl   the same two built by zig cc, under qemu-user with Debian's arm64 musl
#   windows-x86_64       the C test built with mingw-w64, under wine
#   macos-*              Mach-O CPU type and exported functions only (no macOS here)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIST_DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/dist/toolchains.sh"
dist=$(realpath "$1")
dist_apt qemu-user musl-tools gcc-mingw-w64-x86-64 wine64 llvm-14 unzip
dist_zig

work=$(mktemp -d "${TMPDIR:-/tmp}/inpost-qr-cross-XXXXXX")
sandbox_pid=""
cleanup() {
    [ -z "$sandbox_pid" ] || kill "$sandbox_pid" 2>/dev/null || true
    [ -z "${WINEPREFIX:-}" ] || wineserver -k 2>/dev/null || /usr/lib/wine/wineserver64 -k 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
zip=$(ls "$dist"/inpost-quick-returns-php-*.zip)
unzip -q "$zip" -d "$work"
package="$work/$(basename "$zip" .zip)"
lib="$package/lib"
passed=0 failed=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
run() { # run NAME COMMAND...: a check that passes when COMMAND exits 0; its output goes to the log
    local name=$1; shift
    if "$@" >"$work/log" 2>&1; then pass "$name"; else fail "$name"; sed 's/^/     /' "$work/log"; fi
}

functions="inpost_returns_build_request inpost_returns_free inpost_returns_parse_response inpost_returns_version"
exports() { # the exported functions of a library, one per line, without the Mach-O underscore
    case "$1" in
        *.dll) x86_64-w64-mingw32-objdump -p "$1" | awk '/\[Ordinal\/Name Pointer\] Table/ {t=1; next} t && /^\s+\[/ {print $NF} t && /^$/ {t=0}' ;;
        *.dylib) llvm-objdump-14 --macho --exports-trie "$1" | awk '/^0x/ {print $2}' | sed 's/^_//' ;;
        *) llvm-nm-14 -D --defined-only "$1" | awk '$2 == "T" {print $3}' ;;
    esac
}
for platform in $DIST_PLATFORMS; do
    file=$(ls "$lib/$platform"/* 2>/dev/null | head -1)
    [ -n "$file" ] || { fail "$platform: no library in the archive"; continue; }
    have=$(exports "$file" | sort | tr '\n' ' ')
    missing=""
    for f in $functions; do case " $have " in *" $f "*) ;; *) missing="$missing $f" ;; esac; done
    if [ -z "$missing" ]; then pass "$platform: exports the four C functions ($(wc -c <"$file") bytes)"; else fail "$platform: missing$missing (exports: $have)"; fi
done
for pair in macos-x86_64:X86_64 macos-arm64:ARM64; do
    platform=${pair%%:*} cpu=${pair##*:}
    header=$(llvm-objdump-14 --macho --private-header "$lib/$platform/libinpost_quick_returns.dylib" | awk '$1 == "MH_MAGIC_64" {print $2, $5}')
    if [ "$header" = "$cpu DYLIB" ]; then pass "$platform: Mach-O 64-bit $cpu dylib"; else fail "$platform: Mach-O header says '$header', expected '$cpu DYLIB'"; fi
done
for pair in linux-x86_64-gnu:libc.so.6 linux-aarch64-gnu:libc.so.6 linux-x86_64-musl:libc.so linux-aarch64-musl:libc.so; do
    platform=${pair%%:*} libc=${pair##*:}
    needed=$(llvm-readelf-14 -d "$lib/$platform/libinpost_quick_returns.so" | awk -F'[][]' '/NEEDED/ {print $2}' | tr '\n' ' ')
    case " $needed " in *" $libc "*) pass "$platform: needs $libc ($needed)" ;; *) fail "$platform: needs '$needed', expected $libc" ;; esac
done
glibc=$(llvm-objdump-14 -T "$lib/linux-x86_64-gnu/libinpost_quick_returns.so" | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1)
case "$glibc" in GLIBC_2.1[0-7]|GLIBC_2.[0-9]|GLIBC_2.[0-9].*) pass "linux-x86_64-gnu: needs at most $glibc" ;; *) fail "linux-x86_64-gnu: needs $glibc (more than 2.17)" ;; esac

# The C test, for the musl and Windows libraries.
c_test=$root/bindings/c/tests/test_ffi.c
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -I"$root/include")
musl_x86="$lib/linux-x86_64-musl"
run "linux-x86_64-musl: musl-gcc C test" bash -c "
    musl-gcc ${cflags[*]} '$c_test' -L'$musl_x86' -linpost_quick_returns -Wl,-rpath,'$musl_x86' -o '$work/test_musl' &&
    /lib/ld-musl-x86_64.so.1 --list '$work/test_musl' | grep -q '$musl_x86/libinpost_quick_returns.so' &&
    '$work/test_musl'"
grep 'test_ffi:' "$work/log" | sed 's/^/     /'
run "linux-x86_64-musl: dlopen() from a musl-gcc program, as a musl PHP's FFI loads it" bash -c "
    musl-gcc ${cflags[*]} '$root/scripts/dist/dlopen.c' -o '$work/dlopen_musl' &&
    '$work/dlopen_musl' '$musl_x86/libinpost_quick_returns.so'"
sed 's/^/     /' "$work/log"

# Debian's arm64 packages, unpacked into private roots (apt state of its own, nothing installed).
arm_cache=$DIST_CACHE/debian-arm64
mkdir -p "$arm_cache/lists/partial" "$arm_cache/cache/archives/partial" "$arm_cache/debs"
touch "$arm_cache/status"
apt_arm=(-o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o Dir::State::Lists="$arm_cache/lists"
    -o Dir::State::status="$arm_cache/status" -o Dir::Cache="$arm_cache/cache" -o Debug::NoLocking=1)
apt-get "${apt_arm[@]}" update -q >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; exit 1; }
php_debs=$(apt-get "${apt_arm[@]}" install -s --no-install-recommends php8.2-cli 2>/dev/null | awk '/^Inst/ {print $2}')
(cd "$arm_cache/debs" && apt-get "${apt_arm[@]}" download $php_debs musl >>"$work/apt.log" 2>&1) || { cat "$work/apt.log"; exit 1; }
mkdir -p "$work/arm64-php" "$work/arm64-musl"
for deb in $php_debs; do
    dpkg-deb -x "$(ls "$arm_cache/debs/${deb}_"*_arm64.deb "$arm_cache/debs/${deb}_"*_all.deb 2>/dev/null | sort -V | tail -1)" "$work/arm64-php"
done
dpkg-deb -x "$(ls "$arm_cache/debs/musl_"*_arm64.deb | sort -V | tail -1)" "$work/arm64-musl"

musl_arm="$lib/linux-aarch64-musl"
run "linux-aarch64-musl: zig cc C test under qemu-aarch64 with Debian's arm64 musl" bash -c "
    '$CARGO_ZIGBUILD_ZIG_PATH' cc -target aarch64-linux-musl ${cflags[*]} '$c_test' -L'$musl_arm' -linpost_quick_returns -Wl,-rpath,'$musl_arm' -o '$work/test_musl_arm' &&
    qemu-aarch64 -L '$work/arm64-musl' '$work/test_musl_arm'"
grep 'test_ffi:' "$work/log" | sed 's/^/     /'
run "linux-aarch64-musl: dlopen() under qemu-aarch64 with Debian's arm64 musl" bash -c "
    '$CARGO_ZIGBUILD_ZIG_PATH' cc -target aarch64-linux-musl -dynamic ${cflags[*]} '$root/scripts/dist/dlopen.c' -o '$work/dlopen_musl_arm' &&
    qemu-aarch64 -L '$work/arm64-musl' '$work/dlopen_musl_arm' '$musl_arm/libinpost_quick_returns.so'"
sed 's/^/     /' "$work/log"

# The local sandbox, for the arm64 PHP.
sandbox=${INPOST_SANDBOX_BIN:-$root/target/debug/inpost-returns-sandbox}
coproc SANDBOX { exec "$sandbox" --listen 127.0.0.1:0 2>"$work/sandbox.log"; }
sandbox_pid=$SANDBOX_PID
read -r -t 15 line <&"${SANDBOX[0]}"
base_url=${line#listening on }
php_ext=$(ls -d "$work"/arm64-php/usr/lib/php/2*)
run "linux-aarch64-gnu: Debian's arm64 PHP $(ls "$work/arm64-php/usr/bin" | grep -o '^php[0-9.]*$') under qemu-aarch64, smoke test against the sandbox" \
    env -u INPOST_QUICK_RETURNS_LIB qemu-aarch64 -L "$work/arm64-php" "$work/arm64-php/usr/bin/php8.2" -n \
        -d extension_dir="$php_ext" -d extension=ffi -d ffi.enable=preload \
        "$root/scripts/dist/smoke.php" "$package" "$base_url" linux-aarch64-gnu
sed 's/^/     /' "$work/log"

# Windows: the C test under wine, next to the DLL.
export WINEPREFIX="$work/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
run "windows-x86_64: mingw-w64 C test under wine" bash -c "
    cp '$lib/windows-x86_64/inpost_quick_returns.dll' '$work/' &&
    x86_64-w64-mingw32-gcc ${cflags[*]} '$c_test' -L'$work' -linpost_quick_returns -o '$work/test_ffi.exe' &&
    cd '$work' && /usr/lib/wine/wine64 test_ffi.exe"
grep 'test_ffi:' "$work/log" | sed 's/^/     /'

echo "test-cross: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
