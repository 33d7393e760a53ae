// Run by worker.test.mjs in `node --conditions=workerd --import wasm-as-module.mjs`: calls the
// example Worker's fetch handler the way workerd does and prints what it answered.
import worker from "../../worker.mjs";

const env = { INPOST_BASE_URL: process.env.SANDBOX_URL, INPOST_EMAIL: "demo@example.com", INPOST_PASSWORD: "demo-password" };
const post = (order) => new Request("https://shop.example/returns", { method: "POST", body: JSON.stringify(order) });
const results = [];
for (const order of [
  { orderId: 1042, phone: "+48 600 100 200", email: "jan.kowalski@example.pl", size: "B" },
  { orderId: 1043, phone: "600-100", email: "jan.kowalski@example.pl" },
]) {
  const response = await worker.fetch(post(order), env);
  results.push({ status: response.status, body: await response.json() });
}
console.log(JSON.stringify(results));
