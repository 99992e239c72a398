import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValueCounter } from "../../native-free-kernels/value-counter.js";

/** Exact identity of a double, telling −0 from 0 (the counter keys on IEEE bits). */
function keyOf(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

// Values from a small pool so that repeats are common, plus arbitrary doubles; counts are small integers.
const valueArb = fc.oneof(
  fc.constantFrom(0, -0, 1, 0.1, 0.2, 0.30000000000000004, 0.3, 7.239809354828352, 1e-300, 5e-324, 1e300),
  fc.double({ noNaN: true }),
  fc.integer({ min: -5, max: 5 }).map((k) => k / 8),
);

describe("ValueCounter counts each distinct double like a Map keyed on the exact value", () => {
  it("after any sequence of adds (and clears), the multiset matches the oracle", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.tuple(valueArb, fc.integer({ min: 1, max: 9 })), fc.constant(null)), {
          maxLength: 400,
        }),
        (ops) => {
          const counter = new ValueCounter(2); // tiny, so it grows many times
          const oracle = new Map<string, number>();
          for (const op of ops) {
            if (op === null) {
              if (ops.length % 7 === 0) {
                counter.clear();
                oracle.clear();
              }
              continue;
            }
            const [v, times] = op;
            counter.add(v, times);
            oracle.set(keyOf(v), (oracle.get(keyOf(v)) ?? 0) + times);
          }
          const seen = new Map<string, number>();
          for (let i = 0; i < counter.capacity; i++) {
            const c = counter.countAt(i);
            if (c > 0) seen.set(keyOf(counter.valueAt(i)), c);
          }
          expect(counter.size).toBe(oracle.size);
          expect(seen).toEqual(oracle);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
