// WebAssembly features the .wasm uses, for wasm-opt: those the wasm32-unknown-unknown target of
// current Rust emits by default (LLVM's "generic" CPU) and SIMD (simd128); Node >= 18, workerd
// and current browsers support all of them.
export const WASM_FEATURES = [
  "--enable-bulk-memory",
  "--enable-bulk-memory-opt",
  "--enable-mutable-globals",
  "--enable-multivalue",
  "--enable-nontrapping-float-to-int",
  "--enable-reference-types",
  "--enable-sign-ext",
  "--enable-call-indirect-overlong",
  // simd128, enabled for the Rust build in the Makefile (WASM_RUSTFLAGS)
  "--enable-simd",
];
