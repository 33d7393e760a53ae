// The Vite app's entry: the shared browser app.
import "../src/browser.js";
