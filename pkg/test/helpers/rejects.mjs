// Runs `fn`, which must throw a QuickReturnsError (a real Error) with the `expected` members and
// without any of `secrets` in its message or its util.inspect output; returns the error.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { QuickReturnsError } from "inpost-quick-returns";

export function rejects(fn, expected, secrets = []) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof QuickReturnsError, `expected a QuickReturnsError, got ${error}`);
  assert.ok(error instanceof Error);
  for (const [name, value] of Object.entries(expected)) assert.equal(error[name], value, `error.${name}`);
  for (const secret of secrets) {
    assert.ok(!error.message.includes(secret), `credential in message: ${error.message}`);
    assert.ok(!inspect(error).includes(secret), "credential in inspect(error)");
  }
  return error;
}
