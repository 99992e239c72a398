import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HashIdSet } from "../../src/trace/hash-id-set.js";

// The stats pass's open-addressing set agrees with JavaScript's Set on any sequence of adds and lookups,
// including ids that differ only in their high 32 bits and ids near 2^53.
const idArb = fc.oneof(
  fc.nat(50),
  fc.integer({ min: 0, max: 2 ** 53 - 1 }),
  fc.nat(3).map((k) => k * 2 ** 32 + 7),
  fc.constantFrom(2 ** 53 - 1, 2 ** 53 - 2, 2 ** 32, 2 ** 32 - 1),
);

describe("HashIdSet", () => {
  it("matches Set (fixed seed)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), idArb), { maxLength: 400 }), (ops) => {
        const mine = new HashIdSet(2); // tiny start: forces several regrowths
        const oracle = new Set<number>();
        for (const [add, id] of ops) {
          if (add) expect(mine.add(id)).toBe(!oracle.has(id));
          else expect(mine.has(id)).toBe(oracle.has(id));
          if (add) oracle.add(id);
          expect(mine.size).toBe(oracle.size);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
