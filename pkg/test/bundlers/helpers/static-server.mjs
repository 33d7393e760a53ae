// A small static file server on a free loopback port for the built browser apps. It also forwards
// /sandbox/… to the local sandbox, so that the page calls the sandbox on its own origin (no CORS,
// no change to the sandbox), and it records every path it served.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".map": "application/json",
};

/** Serves `root` (a folder) until `close()`; `sandboxUrl` receives /sandbox/… with the prefix cut. */
export async function serveStatic(root, sandboxUrl) {
  const served = [];
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    served.push(path);
    try {
      if (path.startsWith("/sandbox/")) {
        await forward(request, response, new URL(request.url.slice("/sandbox".length), sandboxUrl));
        return;
      }
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error("outside"), { status: 403 });
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      await stat(file);
      response.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
      createReadStream(file).pipe(response);
    } catch (error) {
      response.writeHead(error.status ?? 404, { "Content-Type": "text/plain" });
      response.end(String(error.message));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    served,
    // The browser keeps its connections open; end them, or close() waits for them.
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

async function forward(request, response, target) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const headers = { ...request.headers };
  delete headers.host;
  delete headers.connection;
  const answer = await fetch(target, {
    method: request.method,
    headers,
    body: ["GET", "HEAD"].includes(request.method) ? undefined : Buffer.concat(chunks),
    redirect: "manual",
  });
  const body = Buffer.from(await answer.arrayBuffer());
  response.writeHead(answer.status, { "Content-Type": answer.headers.get("Content-Type") ?? "text/plain" });
  response.end(body);
}
