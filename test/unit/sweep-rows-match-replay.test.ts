import { describe, expect, it } from "vitest";
import { expandSweepGrid, pointClusterInput } from "../../src/parallel/sweep/expand.js";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import { runSweep } from "../../src/parallel/sweep/run-sweep.js";
import { readSweepTraces } from "../../src/parallel/sweep/sweep-traces.js";
import { runReplay } from "../../src/replay/run-replay.js";
import { ROW_METRIC_KEYS } from "../../src/report/capacity/row-keys.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { smallGrid } from "../support/sweep-kit.js";

// Oracle: each point replayed directly on this thread with runReplay (what `kvsim replay` runs), no pool.
describe("a sweep row holds exactly its point's replay report", () => {
  it("matches runReplay key for key, with GPU-hours = GPUs × simulated duration and the SLA verdict", async () => {
    const grid = sweepGridFromObject(smallGrid({ question: { ttft_p99_ms: 400, itl_p99_ms: 30 } }));
    const traces = await readSweepTraces(grid);
    const trace = traces[0];
    if (trace === undefined) throw new Error("no trace");
    const result = await runSweep({ grid, traces, threads: 2 });
    const points = expandSweepGrid(grid);
    expect(result.rows.map((r) => r.index)).toEqual(points.map((p) => p.index));
    let passing = 0;
    for (const point of points) {
      const row = result.rows[point.index];
      if (row === undefined) throw new Error(`no row ${point.index}`);
      const report = runReplay(
        trace,
        resolveClusterOptions(pointClusterInput(point), trace.traceBlockSize),
      ).report;
      ROW_METRIC_KEYS.forEach((key, k) => {
        expect(row.metrics[k], `${point.id} ${key}`).toBe(report[key] ?? Number.NaN);
      });
      expect(row.gpuCount).toBe(point.gpuCount);
      expect(row.gpuHours).toBe((point.gpuCount * report.duration_ms) / 3_600_000);
      const meets =
        report.completed_requests === report.num_requests &&
        (report.p99_ttft_ms ?? 0) <= 400 &&
        (report.p99_itl_ms ?? 0) <= 30;
      expect(row.slaPass, point.id).toBe(meets);
      if (meets) passing++;
    }
    // The grid is chosen so the question separates points (some pass, some fail).
    expect(passing).toBeGreaterThan(0);
    expect(passing).toBeLessThan(points.length);
  });
});
