#!/usr/bin/env bash
# build-lib.sh PLATFORM OUT_DIR: builds the C ABI library (bindings/c) for one release platform
# and installs it as OUT_DIR/PLATFORM/<file>. Toolchains (toolchains.sh installs them on first use):
#
#   linux-*-gnu      rustup target, cargo-zigbuild + ziglang (PyPI), linked against glibc 2.17:
#                    Debian 12's own linkers would tie the library to glibc >= 2.33 (stat64), which
#                    Ubuntu 20.04, Debian 11 and RHEL 8 servers do not have
#   linux-*-musl     rustup target, cargo-zigbuild + ziglang: Debian has no musl cross linker
#   macos-*          rustup target, cargo-zigbuild + ziglang: zig links against its libSystem stubs
#   windows-x86_64   rustup target (x86_64-pc-windows-gnu), cargo-zigbuild + ziglang (lld, UCRT):
#                    Debian's mingw-w64 GNU ld orders the import table by input file path, so the
#                    DLL would depend on the build folder (mingw-w64 builds the C test instead)
#
# Reproducible: source, registry and std paths are remapped, and SOURCE_DATE_EPOCH is passed on
# (zig writes it as the PE time stamp). Cargo builds in target/dist/ (DIST_TARGET_DIR), so dist builds
# never invalidate the everyday target/release build.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 PLATFORM OUT_DIR" >&2; exit 2; }
platform=$1 out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/dist/toolchains.sh
. "$root/scripts/dist/toolchains.sh"

zig=no glibc=
case "$platform" in
    linux-x86_64-gnu)   target=x86_64-unknown-linux-gnu;  file=libinpost_quick_returns.so; zig=yes glibc=.2.17 ;;
    linux-aarch64-gnu)  target=aarch64-unknown-linux-gnu; file=libinpost_quick_returns.so; zig=yes glibc=.2.17 ;;
    linux-x86_64-musl)  target=x86_64-unknown-linux-musl;  file=libinpost_quick_returns.so; zig=yes ;;
    linux-aarch64-musl) target=aarch64-unknown-linux-musl; file=libinpost_quick_returns.so; zig=yes ;;
    macos-x86_64)       target=x86_64-apple-darwin;  file=libinpost_quick_returns.dylib; zig=yes ;;
    macos-arm64)        target=aarch64-apple-darwin; file=libinpost_quick_returns.dylib; zig=yes ;;
    windows-x86_64)     target=x86_64-pc-windows-gnu; file=inpost_quick_returns.dll; zig=yes ;;
    *) echo "build-lib: unknown platform $platform (known: $DIST_PLATFORMS)" >&2; exit 2 ;;
esac

dist_check_rust
dist_rust_target "$target"
# With the rust-src component installed, rustc writes std's source paths as local paths
# (~/.rustup/…); map them back to the /rustc/<commit> every machine gets without it.
sysroot=$(rustc --print sysroot)
commit=$(rustc -vV | awk '/^commit-hash:/ {print $2}')
flags="--remap-path-prefix=$root=/src --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
flags="$flags --remap-path-prefix=$sysroot/lib/rustlib/src/rust=/rustc/$commit"
case "$target" in
    # The install name would be the builder's output path: name the file, found through @rpath.
    # -S: no debug map (N_OSO stabs name the object files by absolute path; zig computes the
    # LC_UUID before rustc strips them, so the UUID would depend on the build folder).
    *-apple-darwin) flags="$flags -C link-arg=-Wl,-install_name,@rpath/$file -C link-arg=-Wl,-S" ;;
esac
case "$target" in
    # Rust's musl targets link the C library statically; a shared library must not.
    *-musl) flags="$flags -C target-feature=-crt-static" ;;
    # GNU ld stamps PE files with the link time unless told not to.
esac
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct)}
export CARGO_TARGET_DIR=${DIST_TARGET_DIR:-$root/target/dist}
var=CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_RUSTFLAGS
export "$var=$flags"

cd "$root"
# Cargo does not rebuild when SOURCE_DATE_EPOCH changes, but zig writes it into the Windows DLL
# (its PE time stamp): a library cached from an earlier commit would keep that commit's date.
# Relink this crate (its dependencies stay built) whenever the date differs from the last build's.
stamp="$CARGO_TARGET_DIR/$target/release/.inpost-source-date-epoch"
if [ "$(cat "$stamp" 2>/dev/null)" != "$SOURCE_DATE_EPOCH" ]; then
    cargo clean --quiet --release --target "$target" -p inpost-quick-returns-c
fi
if [ "$zig" = yes ]; then
    dist_zig
    cargo-zigbuild build --locked --release --target "$target$glibc" -p inpost-quick-returns-c
else
    cargo build --locked --release --target "$target" -p inpost-quick-returns-c
fi
echo "$SOURCE_DATE_EPOCH" >"$stamp"
"$root/scripts/dist/install-file.sh" "$CARGO_TARGET_DIR/$target/release/$file" "$out/$platform/$file"
echo "build-lib: $platform -> $out/$platform/$file ($(wc -c <"$out/$platform/$file") bytes)"
