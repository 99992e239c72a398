import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globalWorkerId } from "../../src/parallel/cells/cell-ids.js";
import { planCellOptions, spreadCount } from "../../src/parallel/cells/cell-plan.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { isInputError } from "../../src/util/errors.js";

describe("spreading a cluster over cells", () => {
  it("gives every cell floor(W/K) workers and the lowest W mod K cells one more", () => {
    // 10 over 4: floor 2, remainder 2 → cells 0 and 1 get 3.
    expect(Array.from(spreadCount(10, 4))).toEqual([3, 3, 2, 2]);
    expect(Array.from(spreadCount(8, 4))).toEqual([2, 2, 2, 2]);
    expect(Array.from(spreadCount(3, 4))).toEqual([1, 1, 1, 0]);
    expect(Array.from(spreadCount(5, 1))).toEqual([5]);
  });

  it("splits every pool, the concurrency cap and the seed per cell; cell 0 keeps the run's seed", () => {
    const agg = resolveClusterOptions({ numWorkers: 5, seed: 7, concurrency: 9 }, 512);
    const plan = planCellOptions(agg, 2);
    expect(plan.map((o) => o.numWorkers)).toEqual([3, 2]);
    expect(plan.map((o) => o.concurrency)).toEqual([5, 4]);
    expect(plan.map((o) => o.seed)).toEqual([7, 8]);
    const disagg = resolveClusterOptions({ mode: "disagg", numPrefillWorkers: 3, numDecodeWorkers: 4 }, 512);
    const d = planCellOptions(disagg, 3);
    expect(d.map((o) => o.numPrefillWorkers)).toEqual([1, 1, 1]);
    expect(d.map((o) => o.numDecodeWorkers)).toEqual([2, 1, 1]);
    expect(planCellOptions(resolveClusterOptions({ seed: 0xffffffff, numWorkers: 2 }, 512), 2)[1]?.seed).toBe(
      0,
    );
  });

  it("refuses a cell without a worker, naming the flag and the cell", () => {
    const agg = resolveClusterOptions({ numWorkers: 2 }, 512);
    try {
      planCellOptions(agg, 3);
      throw new Error("accepted");
    } catch (error) {
      expect(isInputError(error)).toBe(true);
      expect((error as Error).message).toBe(
        "--cells 3: --num-workers 2 leaves cell 2 without a worker (every cell needs at least one; give --num-workers >= 3 or use fewer cells)",
      );
    }
    const disagg = resolveClusterOptions({ mode: "disagg", numPrefillWorkers: 4, numDecodeWorkers: 1 }, 512);
    expect(() => planCellOptions(disagg, 2)).toThrow(
      /--num-decode-workers 1 leaves cell 1 without a decode worker/,
    );
  });

  it("numbers workers so that a target T keeps global ids 0..T-1 and T -> T-1 drops the highest id", () => {
    // Reference: with compact local ids, cell k holds locals 0..share_k-1; map each to local*K + k.
    const liveIds = (target: number, cells: number): number[] => {
      const shares = spreadCount(target, cells);
      const ids: number[] = [];
      for (let k = 0; k < cells; k++)
        for (let local = 0; local < (shares[k] as number); local++) ids.push(globalWorkerId(local, k, cells));
      return ids.sort((a, b) => a - b);
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 60 }), (cells, target) => {
        expect(liveIds(target, cells)).toEqual(Array.from({ length: target }, (_, i) => i));
        if (target > 1) {
          const before = liveIds(target, cells);
          const after = new Set(liveIds(target - 1, cells));
          expect(before.filter((id) => !after.has(id))).toEqual([target - 1]);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
