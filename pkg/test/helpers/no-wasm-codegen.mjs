// `node --import ./no-wasm-codegen.mjs`: the package may not compile WebAssembly from bytes, as in
// workerd and Vercel Edge ("Wasm code generation disallowed by embedder"); instantiating a module
// that the host compiled stays allowed. Applies to calls from the installed package only (Node's
// own fetch compiles its HTTP parser). The host's compiler is kept for wasm-as-module-hooks.mjs.
const HostModule = WebAssembly.Module;
const { compile, compileStreaming, instantiate, instantiateStreaming } = WebAssembly;
const fromPackage = () => /[\\/]node_modules[\\/]inpost-quick-returns[\\/]/.test(new Error().stack);
const refuse = () => {
  throw new WebAssembly.CompileError("WebAssembly.Module(): Wasm code generation disallowed by embedder");
};
globalThis[Symbol.for("inpost-quick-returns.test.hostCompile")] = (bytes) => new HostModule(bytes);

function Module(bytes) {
  if (fromPackage()) refuse();
  return new HostModule(bytes);
}
Module.prototype = HostModule.prototype;
Object.assign(Module, { imports: HostModule.imports, exports: HostModule.exports, customSections: HostModule.customSections });
WebAssembly.Module = Module;
WebAssembly.compile = (...args) => (fromPackage() ? Promise.resolve().then(refuse) : compile(...args));
WebAssembly.compileStreaming = (...args) => (fromPackage() ? Promise.resolve().then(refuse) : compileStreaming(...args));
WebAssembly.instantiate = (source, ...rest) => (fromPackage() && !(source instanceof HostModule) ? Promise.resolve().then(refuse) : instantiate(source, ...rest));
WebAssembly.instantiateStreaming = (...args) => (fromPackage() ? Promise.resolve().then(refuse) : instantiateStreaming(...args));
