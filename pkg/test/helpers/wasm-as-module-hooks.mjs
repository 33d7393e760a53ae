export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".wasm")) {
    return {
      format: "module",
      shortCircuit: true,
      source:
        `import { readFileSync } from "node:fs";\n` +
        `export default new WebAssembly.Module(readFileSync(new URL(${JSON.stringify(url)})));\n`,
    };
  }
  return nextLoad(url, context);
}
