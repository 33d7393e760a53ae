# inpost-quick-returns — the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs (Debian packages, the wasm target, the wasm-bindgen CLI),
# so a fresh clone on a bare machine works.

CARGO ?= cargo
SHELL := /bin/bash

.PHONY: all test test-rust lint fmt-check clippy sandbox-independent header bench demo test-readme fuzz-build fuzz
all: test

# ---- core (Rust) -----------------------------------------------------------------------------
test: lint test-rust fuzz-build test-node test-bundlers test-c test-php test-woocommerce demo test-readme test-php-lib test-dist-host

lint: fmt-check clippy sandbox-independent

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# The sandbox must not share code with the library it stands in front of.
sandbox-independent:
	@if $(CARGO) tree -p inpost-returns-sandbox --edges normal,build,dev | grep -q 'inpost-quick-returns '; then \
		echo "inpost-returns-sandbox depends on inpost-quick-returns; it must not"; exit 1; \
	else echo "sandbox-independent: inpost-returns-sandbox does not depend on inpost-quick-returns"; fi

test-rust:
	$(CARGO) test --workspace

# Regenerate the committed C header (the header test fails when it is stale).
header:
	UPDATE_HEADER=1 $(CARGO) test -p inpost-quick-returns-c --test header

bench:
	$(CARGO) bench --bench core

# ---- Node / wasm (pkg/) -----------------------------------------------------------------------
# `make pkg` builds the npm package in pkg/ (dist/ is build output); `make test-node` packs it,
# installs the tarball into an empty temporary folder and runs the node:test suites there against
# the local sandbox; `make bench-node` measures the size and speed budgets (pkg/README.md).
.PHONY: pkg test-node bench-node wasm-toolchain node-tools
# The wasm-bindgen CLI must be exactly the version Cargo.lock pins for the wasm-bindgen crate.
WASM_BINDGEN_VERSION := $(shell awk '$$0 == "name = \"wasm-bindgen\"" { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
WASM_BINDGEN_ROOT := $(HOME)/.cache/inpost-quick-returns/wasm-bindgen-$(WASM_BINDGEN_VERSION)
WASM_BINDGEN := $(WASM_BINDGEN_ROOT)/bin/wasm-bindgen
NODE_TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
# For the wasm build only: no unwinding (smaller, and a panic cannot cross into JavaScript anyway);
# the workspace keeps one release profile, with unwinding, for the native library. opt-level
# stays 3 (opt-level s or z parse markedly slower; README, Performance).
#
# The .wasm is built by a pinned nightly Rust (WASM_TOOLCHAIN) that rebuilds std for it with
# -Cpanic=immediate-abort (-Zbuild-std): a panic traps at once, so no panic message, location or
# the formatting code behind them is in the module: 45.5 KB gzipped instead of 52.2 KB with the
# same code and speed (README, Performance). `make pkg WASM_TOOLCHAIN=stable` builds it with
# stable Rust instead (panic = abort, larger). LLVM's inliner is held to a threshold of 100
# (opt-level 3's default is 250): 2.3 KB less gzipped, parse speed unchanged. WebAssembly SIMD
# (simd128, which memchr uses) is on: 1.2 KB smaller, as fast or faster; it needs Node >= 16.4,
# Chrome >= 91, Firefox >= 89, Safari >= 16.4, or workerd. Source paths are shortened, which makes
# the .wasm the same on every machine (whatever its home folder, and whether rustup's rust-src
# component is installed, which makes rustc write std's paths as local ones).
WASM_TOOLCHAIN ?= nightly-2026-05-20
WASM_RUSTC := rustc +$(WASM_TOOLCHAIN)
# Recursive (=): evaluated when the recipe runs, after wasm-toolchain installed the toolchain.
WASM_REMAP = --remap-path-prefix=$(or $(CARGO_HOME),$(HOME)/.cargo)/registry/src=/deps --remap-path-prefix=$(CURDIR)=/src \
	--remap-path-prefix=$(shell $(WASM_RUSTC) --print sysroot)/lib/rustlib/src/rust=/rustc/$(shell $(WASM_RUSTC) -vV | awk '/^commit-hash:/ {print $$2}')
ifeq ($(WASM_TOOLCHAIN),stable)
WASM_BUILD_STD :=
WASM_PANIC :=
else
WASM_BUILD_STD := -Zbuild-std=std,panic_abort
WASM_PANIC := -Zunstable-options -Cpanic=immediate-abort
endif
WASM_RUSTFLAGS = $(WASM_REMAP) $(WASM_PANIC) -Cllvm-args=-inline-threshold=100 -Ctarget-feature=+simd128
WASM_CARGO_ENV = CARGO_PROFILE_RELEASE_PANIC=abort RUSTFLAGS="$(WASM_RUSTFLAGS)"

# The wasm toolchain: the pinned nightly with rust-src (for -Zbuild-std), or stable with the
# wasm32 target.
wasm-toolchain:
ifeq ($(WASM_TOOLCHAIN),stable)
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
else
	@rustup component list --toolchain $(WASM_TOOLCHAIN) --installed 2>/dev/null | grep -q '^rust-src' \
		|| rustup toolchain install $(WASM_TOOLCHAIN) --profile minimal --component rust-src
endif

$(WASM_BINDGEN):
	$(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --root $(WASM_BINDGEN_ROOT)

# The package's build and test tools (esbuild, binaryen's wasm-opt, typescript, fast-xml-parser),
# exactly as pkg/package-lock.json pins them.
node-tools: pkg/node_modules/.package-lock.json
pkg/node_modules/.package-lock.json: pkg/package.json pkg/package-lock.json
	cd pkg && npm ci --no-audit --no-fund

pkg: wasm-toolchain $(WASM_BINDGEN) node-tools
	$(WASM_CARGO_ENV) cargo +$(WASM_TOOLCHAIN) build --release --target wasm32-unknown-unknown -p inpost-quick-returns-wasm $(WASM_BUILD_STD)
	cd pkg && node scripts/build.mjs --wasm $(NODE_TARGET_DIR)/wasm32-unknown-unknown/release/inpost_quick_returns_wasm.wasm --wasm-bindgen $(WASM_BINDGEN)
	cp LICENSE-MIT LICENSE-APACHE pkg/   # package.json "files" ships them (npm packs nothing from outside pkg/)

test-node: pkg
	$(CARGO) build -p inpost-returns-sandbox -p inpost-returns-cli
	INPOST_SANDBOX_BIN=$(NODE_TARGET_DIR)/debug/inpost-returns-sandbox INPOST_CLI_BIN=$(NODE_TARGET_DIR)/debug/inpost-returns \
		pkg/scripts/test-node.sh

bench-node: pkg
	cd pkg && node scripts/bench.mjs

# `make test-bundlers` builds a tiny app from the packed package with webpack, Vite (build and dev
# server), Next.js (Turbopack and webpack; a Node and an Edge route), Rollup, esbuild (browser and
# a moved Node server bundle) and bun build, runs the browser builds in headless Chromium (Debian's
# package), and runs the package's node:test suites under Deno and Bun (pkg/test/bundlers/).
# The tools are pinned by pkg/test/bundlers/package-lock.json.
.PHONY: test-bundlers bundler-tools chromium
bundler-tools: pkg/test/bundlers/node_modules/.package-lock.json
pkg/test/bundlers/node_modules/.package-lock.json: pkg/test/bundlers/package.json pkg/test/bundlers/package-lock.json
	cd pkg/test/bundlers && npm ci --no-audit --no-fund

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		echo "chromium: installing Debian's chromium"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$$sudo apt-get install -y -q chromium </dev/null \
			|| { $$sudo apt-get update -q </dev/null && $$sudo apt-get install -y -q chromium </dev/null; }; \
	}

test-bundlers: pkg bundler-tools chromium
	$(CARGO) build -p inpost-returns-sandbox -p inpost-returns-cli
	INPOST_SANDBOX_BIN=$(NODE_TARGET_DIR)/debug/inpost-returns-sandbox INPOST_CLI_BIN=$(NODE_TARGET_DIR)/debug/inpost-returns \
		pkg/scripts/test-bundlers.sh

# ---- C ABI and PHP (bindings/c/, include/, bindings/php/, examples/php/) --------------------------
# `make lib` builds the release library that the C test, the PHP tests and the benchmark load;
# `make php-lib` also installs it into bindings/php/lib/<platform>/ (with the header and a preload
# header in bindings/php/lib/), where the package finds it without INPOST_QUICK_RETURNS_LIB.
# `make php-deps` installs from Debian whatever is missing: php8.2-cli, php8.2-curl, php8.2-xml
# (SimpleXML, for the benchmark), phpunit, valgrind, php8.2-fpm (FpmTest), and Guzzle (for the
# PSR-18 transport test).
.PHONY: lib php-lib php-deps test-c test-php bench-php check-header
PHP_TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
PHP_LIB := $(PHP_TARGET_DIR)/release/libinpost_quick_returns.so
PHP_SANDBOX_BIN := $(PHP_TARGET_DIR)/debug/inpost-returns-sandbox
PHP_ENV := INPOST_QUICK_RETURNS_LIB=$(PHP_LIB) INPOST_SANDBOX_BIN=$(PHP_SANDBOX_BIN)

php-deps:
	@missing=""; \
	command -v php >/dev/null 2>&1 || missing="$$missing php8.2-cli"; \
	php -r 'exit(extension_loaded("curl") ? 0 : 1);' >/dev/null 2>&1 || missing="$$missing php8.2-curl"; \
	php -r 'exit(extension_loaded("simplexml") ? 0 : 1);' >/dev/null 2>&1 || missing="$$missing php8.2-xml"; \
	command -v phpunit >/dev/null 2>&1 || missing="$$missing phpunit"; \
	command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; \
	command -v php-fpm8.2 >/dev/null 2>&1 || missing="$$missing php8.2-fpm"; \
	test -f /usr/share/php/GuzzleHttp/autoload.php || missing="$$missing php-guzzlehttp-guzzle"; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		echo "php-deps: installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$$sudo apt-get install -y -q $$missing </dev/null \
			|| { $$sudo apt-get update -q </dev/null && $$sudo apt-get install -y -q $$missing </dev/null; }; \
	fi

lib:
	$(CARGO) build --release -p inpost-quick-returns-c

# Each file is installed as a new file and renamed into place (scripts/dist/install-file.sh):
# a php-fpm that maps the old library keeps running; reload it to take the new one.
php-lib: lib php-deps
	platform=$$(php scripts/dist/platform.php) && \
	scripts/dist/install-file.sh $(PHP_LIB) bindings/php/lib/$$platform/libinpost_quick_returns.so && \
	scripts/dist/install-file.sh include/inpost_quick_returns.h bindings/php/lib/inpost_quick_returns.h && \
	php bindings/php/bin/preload-header.php --lib $(CURDIR)/bindings/php/lib/$$platform/libinpost_quick_returns.so \
		--out bindings/php/lib/inpost_quick_returns.preload.h

# The C test links the release cdylib and runs under valgrind: leaks and bad reads fail it.
test-c: php-deps lib
	mkdir -p $(PHP_TARGET_DIR)/c
	$(CC) -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude bindings/c/tests/test_ffi.c \
		-L$(PHP_TARGET_DIR)/release -linpost_quick_returns -Wl,-rpath,$(PHP_TARGET_DIR)/release \
		-o $(PHP_TARGET_DIR)/c/test_ffi
	valgrind -q --leak-check=full --error-exitcode=1 $(PHP_TARGET_DIR)/c/test_ffi

# PHPUnit against the release library; the tests start their own sandboxes on free ports
# (and run examples/php/*.php against them).
test-php: php-deps lib
	$(CARGO) build -p inpost-returns-sandbox
	$(PHP_ENV) phpunit -c bindings/php/phpunit.xml.dist

bench-php: php-deps lib
	$(PHP_ENV) php bindings/php/bench/report.php

check-header:
	$(CARGO) test -p inpost-quick-returns-c --test header

# ---- release artifacts (dist/) ------------------------------------------------------------------
# `make dist` writes dist/: the PHP package archive inpost-quick-returns-php-<version>.zip with a
# prebuilt library per platform in lib/<platform>/, the WooCommerce plugin
# inpost-quick-returns-woocommerce-<version>.zip built from that archive, the npm tarball, the C
# header, BUILDINFO and SHA256SUMS (scripts/dist/, toolchains pinned in scripts/dist/toolchains.sh).
# Same commit, same tools: same bytes (`make dist-reproducible` rebuilds from a fresh clone and
# compares). `make test-dist` tests every artifact (README "Release artifacts"); `make test` runs
# the host's part: `make test-dist-host` builds the archive and the plugin zip with the
# linux-x86_64-gnu library only (in target/dist-host/) and runs PHPUnit against the archive
# unpacked, with no cargo on PATH, including the Composer install, the php-fpm upgrade test and the
# plugin zip's contents and loading (PluginArchiveTest).
.PHONY: dist dist-host dist-deps test-dist test-dist-host dist-reproducible test-php-lib
DIST_PLATFORMS := linux-x86_64-gnu linux-aarch64-gnu linux-x86_64-musl linux-aarch64-musl macos-x86_64 macos-arm64 windows-x86_64
DIST_HOST_DIR := $(PHP_TARGET_DIR)/dist-host

dist-deps:
	. scripts/dist/toolchains.sh && dist_apt composer unzip php8.2-zip php8.2-fpm python3 gettext

dist: pkg dist-deps
	scripts/dist/dist.sh dist --npm $(DIST_PLATFORMS)

dist-host: dist-deps
	scripts/dist/dist.sh $(DIST_HOST_DIR) linux-x86_64-gnu

test-dist-host: php-deps dist-host
	$(CARGO) build -p inpost-returns-sandbox
	cd bindings/php && composer validate --strict
	INPOST_SANDBOX_BIN=$(PHP_SANDBOX_BIN) scripts/dist/test-archive.sh $(DIST_HOST_DIR)

test-dist: php-deps dist
	$(CARGO) build -p inpost-returns-sandbox
	cd bindings/php && composer validate --strict
	INPOST_SANDBOX_BIN=$(PHP_SANDBOX_BIN) INPOST_QUICK_RETURNS_DIST_PLATFORMS="$(DIST_PLATFORMS)" \
		scripts/dist/test-archive.sh dist
	INPOST_SANDBOX_BIN=$(PHP_SANDBOX_BIN) scripts/dist/test-cross.sh dist

dist-reproducible: dist
	scripts/dist/reproducible.sh dist

# `make php-lib` must install a new file (a new inode), never overwrite the one php-fpm maps.
test-php-lib: php-lib
	@f=bindings/php/lib/$$(php scripts/dist/platform.php)/libinpost_quick_returns.so; \
	before=$$(stat -c %i $$f); $(MAKE) --no-print-directory php-lib >/dev/null; after=$$(stat -c %i $$f); \
	if [ "$$before" = "$$after" ]; then echo "test-php-lib: make php-lib rewrote $$f in place (inode $$before)"; exit 1; fi; \
	echo "test-php-lib: make php-lib installed a new file (inode $$before -> $$after)"

# ---- WooCommerce plugin (bindings/woocommerce/) -------------------------------------------------
# `make woocommerce-zip` builds the plugin zip for wp-admin → Plugins → Upload Plugin:
# target/woocommerce/inpost-quick-returns.zip, with its translations and the PHP package (from
# WOO_PHP_PACKAGE, default bindings/php, with every native library in its lib/: after
# `make php-lib`, this machine's). The release zip with every platform's library is `make dist`'s.
# `make test-woocommerce` runs bindings/woocommerce/tests/run.mjs: a throwaway WordPress +
# WooCommerce (the fixture in ../shared, or INPOST_QR_WORDPRESS) with a private MariaDB and the
# sandbox, PHPUnit in both order storages, then Chromium under nginx + php-fpm (library preloaded).
# `make woocommerce-pot` refreshes the .pot and merges it into the translations.
.PHONY: woocommerce-deps woocommerce-zip woocommerce-pot test-woocommerce
WOO_DIR := bindings/woocommerce
WOO_ZIP := $(PHP_TARGET_DIR)/woocommerce/inpost-quick-returns.zip
WOO_PHP_PACKAGE ?= bindings/php
WOO_DEBS := php8.2-cli php8.2-fpm php8.2-curl php8.2-mysql php8.2-xml php8.2-mbstring php8.2-intl php8.2-zip \
	mariadb-server mariadb-client nginx chromium gettext phpunit
WOO_NODE_MODULES := $(WOO_DIR)/tests/node_modules/.package-lock.json

# Installs what is missing; waits for (and retries after) another apt-get holding the lock.
woocommerce-deps:
	@missing=""; for deb in $(WOO_DEBS); do \
		dpkg-query -W -f='$${Status}' $$deb 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$deb"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		echo "woocommerce-deps: installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		for attempt in 1 2 3 4; do \
			$$sudo apt-get install -y -q -o DPkg::Lock::Timeout=600 $$missing </dev/null && break; \
			[ $$attempt -lt 4 ] || exit 1; \
			sleep 15; $$sudo apt-get update -q -o DPkg::Lock::Timeout=600 </dev/null || true; \
		done; \
	fi

$(WOO_NODE_MODULES): $(WOO_DIR)/tests/package.json $(WOO_DIR)/tests/package-lock.json
	cd $(WOO_DIR)/tests && npm ci --no-audit --no-fund

woocommerce-zip: woocommerce-deps
	$(if $(filter bindings/php,$(WOO_PHP_PACKAGE)),$(MAKE) php-lib)
	php $(WOO_DIR)/bin/build-zip.php --php-package $(WOO_PHP_PACKAGE) --out $(WOO_ZIP)

woocommerce-pot:
	$(WOO_DIR)/bin/make-pot.sh

test-woocommerce: woocommerce-zip $(WOO_NODE_MODULES)
	$(CARGO) build -p inpost-returns-sandbox
	INPOST_QR_PLUGIN_ZIP=$(WOO_ZIP) INPOST_SANDBOX_BIN=$(PHP_SANDBOX_BIN) node $(WOO_DIR)/tests/run.mjs

# ---- local sandbox (sandbox/) -----------------------------------------------------------------
# `make sandbox` runs the local InPost Quick Returns sandbox (sandbox/README.md) on
# http://127.0.0.1:8787/ with the demo account demo@example.com / demo-password; Ctrl-C stops it.
# Extra flags: `make sandbox SANDBOX_ARGS="--listen 127.0.0.1:0 --fail-rate 0.2 --seed 1"`.
# The recipe is silent so that the first stdout line stays `listening on http://…/`.
.PHONY: sandbox
SANDBOX_ARGS ?=
sandbox:
	@$(CARGO) run -q -p inpost-returns-sandbox -- $(SANDBOX_ARGS)

# ---- the demo and the fuzz targets ---------------------------------------------------------------
# `make demo` starts the sandbox on a free port and runs the PHP, Node and Rust quickstarts
# against it (examples/demo.sh); `make test` runs it too, so the quickstarts cannot rot.
demo: lib pkg php-deps
	$(CARGO) build -p inpost-returns-sandbox
	$(CARGO) build --example quickstart
	examples/with-sandbox.sh examples/demo.sh

# README.md's PHP and JavaScript blocks, run as written against the sandbox.
test-readme: lib pkg php-deps
	$(CARGO) build -p inpost-returns-sandbox
	examples/with-sandbox.sh examples/readme-snippets.sh

# The fuzz crate (fuzz/, its own workspace) must keep building; `make fuzz` runs the three targets
# (FUZZ_SECONDS each, default 60; an input taking over 10 s fails) with cargo-fuzz, installed once
# into the cache folder. cargo-fuzz needs nightly flags: RUSTC_BOOTSTRAP=1 lets the stable
# compiler accept them.
fuzz-build:
	cd fuzz && $(CARGO) build --quiet

FUZZ_SECONDS ?= 60
CARGO_FUZZ_ROOT := $(HOME)/.cache/inpost-quick-returns/cargo-fuzz
fuzz:
	@test -x $(CARGO_FUZZ_ROOT)/bin/cargo-fuzz || $(CARGO) install cargo-fuzz --root $(CARGO_FUZZ_ROOT)
	mkdir -p fuzz/corpus/parse_response && cp tests/fixtures/* fuzz/corpus/parse_response/
	mkdir -p fuzz/corpus/parse_hostile && cp fuzz/seeds/parse_hostile/* fuzz/corpus/parse_hostile/
	cd fuzz && for target in parse_response parse_hostile build_request; do \
		PATH=$(CARGO_FUZZ_ROOT)/bin:$$PATH RUSTC_BOOTSTRAP=1 cargo fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS) -timeout=10 || exit 1; \
	done
