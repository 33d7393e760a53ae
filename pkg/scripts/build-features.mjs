// WebAssembly features the wasm32-unknown-unknown target of current Rust emits by default (LLVM's
// "generic" CPU), for wasm-opt; Node >= 18, workerd and current browsers support all of them.
export const WASM_FEATURES = [
  "--enable-bulk-memory",
  "--enable-bulk-memory-opt",
  "--enable-mutable-globals",
  "--enable-multivalue",
  "--enable-nontrapping-float-to-int",
  "--enable-reference-types",
  "--enable-sign-ext",
  "--enable-call-indirect-overlong",
];
