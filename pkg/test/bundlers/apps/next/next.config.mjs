// The Next.js app of `make test-bundlers`: defaults, except the project root, which Next.js would
// otherwise guess from the lockfiles above (the package's own, two folders up). Nothing about wasm.
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export default { outputFileTracingRoot: root, turbopack: { root } };
