# Sourced by the dist scripts: the release platforms and the pinned tools that build them.
# Everything is installed on first use from the registries this project reaches: rustup targets,
# Debian packages, cargo-zigbuild (crates.io) and zig (PyPI's ziglang), the last two into
# ~/.cache/inpost-quick-returns/ like the Makefile's other tools.

DIST_PLATFORMS="linux-x86_64-gnu linux-aarch64-gnu linux-x86_64-musl linux-aarch64-musl macos-x86_64 macos-arm64 windows-x86_64"
# The compiler the published SHA256SUMS were made with (the machine has this one toolchain; a
# different rustc builds working but different bytes).
DIST_RUST_VERSION=1.95.0
ZIGLANG_VERSION=0.15.2
CARGO_ZIGBUILD_VERSION=0.24.1
DIST_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/inpost-quick-returns

# dist_apt PACKAGE...: installs the Debian packages that are missing.
dist_apt() {
    local missing=() p sudo=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "dist: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2 \
        || { $sudo apt-get update -q </dev/null >&2 && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2; }
}

dist_rust_target() {
    rustup target list --installed | grep -qx "$1" || rustup target add "$1" >&2
}

# dist_zig: puts cargo-zigbuild on PATH and points it at the pinned zig.
dist_zig() {
    local zig_root=$DIST_CACHE/ziglang-$ZIGLANG_VERSION zigbuild_root=$DIST_CACHE/cargo-zigbuild-$CARGO_ZIGBUILD_VERSION
    if [ ! -x "$zig_root/ziglang/zig" ]; then
        python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$zig_root.tmp" "ziglang==$ZIGLANG_VERSION" >&2
        rm -rf "$zig_root" && mv "$zig_root.tmp" "$zig_root"
    fi
    if [ ! -x "$zigbuild_root/bin/cargo-zigbuild" ]; then
        cargo install --locked cargo-zigbuild --version "$CARGO_ZIGBUILD_VERSION" --root "$zigbuild_root" >&2
    fi
    export PATH="$zigbuild_root/bin:$PATH"
    export CARGO_ZIGBUILD_ZIG_PATH="$zig_root/ziglang/zig"
    # zig's own cache, kept with the tools rather than in the home folder's default place.
    export ZIG_GLOBAL_CACHE_DIR=${ZIG_GLOBAL_CACHE_DIR:-$DIST_CACHE/zig-cache}
}

dist_check_rust() {
    local have
    have=$(rustc --version | awk '{print $2}')
    if [ "$have" != "$DIST_RUST_VERSION" ]; then
        echo "dist: warning: rustc $have, not $DIST_RUST_VERSION: the libraries will work but differ from the published SHA256SUMS" >&2
    fi
}
