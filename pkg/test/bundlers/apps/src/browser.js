// Browser entry of the test apps: runs the probe against the sandbox, reached through the page's
// own origin (the test's static server, or Vite's dev server, forwards /sandbox/ to it), and
// shows the result as JSON in <pre id="result"> for the test to read.
import { probe } from "./probe.js";

const show = (value) => {
  const out = document.getElementById("result");
  out.textContent = JSON.stringify(value);
  out.dataset.done = "true";
};
probe(new URL("/sandbox/", location.href).href).then(show, (error) => show({ error: String(error?.stack ?? error) }));
