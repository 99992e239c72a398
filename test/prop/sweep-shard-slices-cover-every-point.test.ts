import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inShard, parseShardSpec, shardPointIndexes } from "../../src/parallel/sweep/shard-spec.js";
import { InputError } from "../../src/util/errors.js";

describe("--shard i/N slices", () => {
  it("cover every point exactly once, each slice ascending and round-robin (index ≡ i mod N)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 24 }), (total, count) => {
        // Oracle: a tally of how often each index is handed out.
        const seen = new Array<number>(total).fill(0);
        for (let index = 0; index < count; index++) {
          const slice = shardPointIndexes(total, { index, count });
          for (let k = 1; k < slice.length; k++) expect(slice[k]).toBeGreaterThan(slice[k - 1] as number);
          for (const p of slice) {
            expect(p % count).toBe(index);
            expect(inShard(p, { index, count })).toBe(true);
            seen[p] = (seen[p] as number) + 1;
          }
          // Round-robin sizes differ by at most one: ⌈(total − index) / count⌉.
          expect(slice.length).toBe(Math.max(0, Math.ceil((total - index) / count)));
        }
        expect(seen.every((n) => n === 1)).toBe(true);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("parses i/N with 0 <= i < N and refuses anything else with a one-line error", () => {
    expect(parseShardSpec("0/3")).toEqual({ index: 0, count: 3 });
    expect(parseShardSpec(" 2 / 3 ")).toEqual({ index: 2, count: 3 });
    for (const bad of ["3/3", "1/0", "-1/3", "1", "a/b", "1/2/3", ""]) {
      expect(() => parseShardSpec(bad)).toThrow(InputError);
    }
    expect(() => parseShardSpec("3/3")).toThrow(
      '--shard: i must be in [0, N) — slices are 0-based (got "3/3")',
    );
  });
});
