import { describe, expect, it } from "vitest";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import { runSweep, type SweepStartInfo } from "../../src/parallel/sweep/run-sweep.js";
import { readSweepTraces } from "../../src/parallel/sweep/sweep-traces.js";
import { SMALL_SYNTHETIC } from "../support/sweep-kit.js";

describe("sweep progress", () => {
  it("is one shared counter slot per point that threads bump to the point's request count", async () => {
    const grid = sweepGridFromObject({ traces: [SMALL_SYNTHETIC], workers: [1, 2, 3], seeds: [0, 1] });
    const traces = await readSweepTraces(grid);
    let info: SweepStartInfo | null = null;
    await runSweep({
      grid,
      traces,
      threads: 2,
      shard: { index: 1, count: 2 },
      onStart: (i) => {
        info = i;
      },
    });
    const started = info as SweepStartInfo | null;
    if (started === null) throw new Error("onStart was not called");
    // Slice 1/2 of 6 points: 3 points × 120 requests (60 sessions × 2 turns).
    expect(started.points).toBe(3);
    expect(started.totalRequests).toBe(360);
    expect(started.counters.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(started.counters)).toEqual([120, 120, 120]);
  });
});
