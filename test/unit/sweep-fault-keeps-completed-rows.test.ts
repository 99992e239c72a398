import { describe, expect, it } from "vitest";
import { expandSweepGrid } from "../../src/parallel/sweep/expand.js";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import { runSweep } from "../../src/parallel/sweep/run-sweep.js";
import { SweepFailedError } from "../../src/parallel/sweep/sweep-errors.js";
import { readSweepTraces } from "../../src/parallel/sweep/sweep-traces.js";
import { SMALL_SYNTHETIC } from "../support/sweep-kit.js";

// A config that passes every check on the main thread but throws inside the worker: an interpolated perf
// table whose file does not exist is read only when the point's engines are built.
const grid = sweepGridFromObject(
  {
    traces: [SMALL_SYNTHETIC],
    workers: [1, 2],
    engine_args: {
      ok: {},
      broken: { perf_model: { type: "interpolated", path: "no-such-perf-table.json" } },
    },
    seeds: [0, 1],
  },
  "/tmp/kvsim-sweep-fault",
);
// Points: agg1/ea:ok/s0, agg1/ea:ok/s1, agg1/ea:broken/s0, agg1/ea:broken/s1, agg2/ea:ok/s0, … (8 in all).
const points = expandSweepGrid(grid);

async function failure(run: Promise<unknown>): Promise<SweepFailedError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof SweepFailedError) return error;
    throw error;
  }
  throw new Error("the sweep did not fail");
}

describe("a failing point fails the sweep but keeps the other points' rows", () => {
  it("names the point's config and the error; with --keep-going every other point still has its row", async () => {
    const traces = await readSweepTraces(grid);
    const error = await failure(runSweep({ grid, traces, threads: 2, keepGoing: true }));
    expect(error.failures.map((f) => f.point.id)).toEqual([
      "agg1/ea:broken/s0",
      "agg1/ea:broken/s1",
      "agg2/ea:broken/s0",
      "agg2/ea:broken/s1",
    ]);
    const first = error.failures[0];
    expect(first?.inputError).toBe(true);
    expect(first?.threadDied).toBe(false);
    expect(error.isInputError).toBe(true);
    expect(error.message).toContain('point 2 "agg1/ea:broken/s0" (');
    expect(error.message).toContain(
      'engine_args={"perf_model":{"type":"interpolated","path":"no-such-perf-table.json"}}',
    );
    expect(error.message).toContain("no-such-perf-table.json: cannot read the perf-model table (ENOENT)");
    expect(error.message).toContain("(and 3 more failed point(s))");
    expect(error.completedRows.map((r) => r.id)).toEqual([
      "agg1/ea:ok/s0",
      "agg1/ea:ok/s1",
      "agg2/ea:ok/s0",
      "agg2/ea:ok/s1",
    ]);
    expect(error.notRun).toBe(0);
  });

  it("a thread that dies is reported as such; the pool replaces it and the other points finish", async () => {
    const traces = await readSweepTraces(grid);
    const okGrid = sweepGridFromObject({ traces: [SMALL_SYNTHETIC], workers: [1, 2], seeds: [0, 1, 2] });
    const error = await failure(
      runSweep({
        grid: okGrid,
        traces,
        threads: 2,
        keepGoing: true,
        testFault: { pointIndex: 4, kind: "exit" },
      }),
    );
    expect(error.failures).toHaveLength(1);
    expect(error.failures[0]?.threadDied).toBe(true);
    expect(error.failures[0]?.point.id).toBe("agg2/s1");
    expect(error.message).toMatch(/^point 4 "agg2\/s1" \(.*\) failed: its worker thread died: /);
    expect(error.isInputError).toBe(false);
    expect(error.completedRows.map((r) => r.index)).toEqual([0, 1, 2, 3, 5]);
  });

  it("by default stops at the first failure: every point is a row, a failure or not run — never two", async () => {
    const traces = await readSweepTraces(grid);
    const error = await failure(
      runSweep({ grid, traces, threads: 1, testFault: { pointIndex: 1, kind: "throw" } }),
    );
    expect(error.failures.map((f) => f.point.index)).toEqual([1]);
    expect(error.failures[0]?.message).toBe("injected fault in point 1");
    // One thread runs points in order: point 0 finished, point 1 threw, the other 6 never started.
    expect(error.completedRows.map((r) => r.index)).toEqual([0]);
    expect(error.notRun).toBe(points.length - 2);
  });
});
