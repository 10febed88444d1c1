// The live connection's retry delays: doubling to a cap, jittered over the upper half of each step.
import { test } from "node:test";
import assert from "node:assert/strict";

import { load } from "./load.mjs";

const { retryDelay } = await load("backoff.ts");

test("retries double from half a second up to the cap, each within the upper half of its step", () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    const step = Math.min(30_000, 500 * 2 ** attempt);
    assert.equal(retryDelay(attempt, () => 0), step);
    assert.equal(retryDelay(attempt, () => 0.999999), step - Math.floor((step / 2) * 0.999999));
    const d = retryDelay(attempt);
    assert.ok(d > step / 2 && d <= step, `attempt ${attempt}: ${d}`);
  }
  assert.equal(retryDelay(1000, () => 0), 30_000);  // never beyond the cap, whatever the count
});

test("tabs that lost the server together come back spread out", () => {
  const delays = new Set(Array.from({ length: 1000 }, () => retryDelay(6)));
  assert.ok(delays.size > 900, `${delays.size} distinct delays of 1000`);
});
