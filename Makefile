# inpost-quick-returns — the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs (Debian packages, the wasm target, the wasm-bindgen CLI),
# so a fresh clone on a bare machine works.

CARGO ?= cargo
SHELL := /bin/bash

.PHONY: all test test-rust lint fmt-check clippy header bench demo
all: test

# ---- core (Rust) -----------------------------------------------------------------------------
test: lint test-rust test-c test-php

lint: fmt-check clippy

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace

# Regenerate the committed C header (the header test fails when it is stale).
header:
	UPDATE_HEADER=1 $(CARGO) test --test header

bench:
	$(CARGO) bench --bench core

# ---- C ABI and PHP (include/, tests/c/, bindings/php/, examples/php/) ---------------------------
# `make lib` builds the release library that the C test, the PHP tests and the benchmark load;
# `make php-lib` also copies it (with the header and a preload header) into bindings/php/lib/.
# `make php-deps` installs from Debian whatever is missing: php8.2-cli, php8.2-curl, php8.2-xml
# (SimpleXML, for the benchmark), phpunit, valgrind, and Guzzle (for the PSR-18 transport test).
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
	test -f /usr/share/php/GuzzleHttp/autoload.php || missing="$$missing php-guzzlehttp-guzzle"; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		echo "php-deps: installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$$sudo apt-get install -y -q $$missing </dev/null \
			|| { $$sudo apt-get update -q </dev/null && $$sudo apt-get install -y -q $$missing </dev/null; }; \
	fi

lib:
	$(CARGO) build --release -p inpost-quick-returns

php-lib: lib
	mkdir -p bindings/php/lib
	cp $(PHP_LIB) include/inpost_quick_returns.h bindings/php/lib/
	php bindings/php/bin/preload-header.php --lib $(CURDIR)/bindings/php/lib/libinpost_quick_returns.so \
		--out bindings/php/lib/inpost_quick_returns.preload.h

# The C test links the release cdylib and runs under valgrind: leaks and bad reads fail it.
test-c: php-deps lib
	mkdir -p $(PHP_TARGET_DIR)/c
	$(CC) -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude tests/c/test_ffi.c \
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
	$(CARGO) test --test header

# ---- local sandbox (sandbox/) -----------------------------------------------------------------
# `make sandbox` runs the local InPost Quick Returns sandbox (sandbox/README.md) on
# http://127.0.0.1:8787/ with the demo account demo@example.com / demo-password; Ctrl-C stops it.
# Extra flags: `make sandbox SANDBOX_ARGS="--listen 127.0.0.1:0 --fail-rate 0.2 --seed 1"`.
# The recipe is silent so that the first stdout line stays `listening on http://…/`.
.PHONY: sandbox
SANDBOX_ARGS ?=
sandbox:
	@$(CARGO) run -q -p inpost-returns-sandbox -- $(SANDBOX_ARGS)
