import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expandSweepGrid, pointClusterInput } from "../../src/parallel/sweep/expand.js";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import { rowsToJsonl } from "../../src/parallel/sweep/row.js";
import { runSweep } from "../../src/parallel/sweep/run-sweep.js";
import { readSweepTraces } from "../../src/parallel/sweep/sweep-traces.js";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { PLANNER_ROW_KEYS, ROW_METRIC_KEYS } from "../../src/report/capacity/row-keys.js";
import { buildReport } from "../../src/report/summary.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { runPlannerReplay } from "../support/planner-replay-kit.js";

// 300 conversation requests overload one worker, so an easy-mode planner scales up.
const TRACE = {
  name: "conv",
  path: fileURLToPath(new URL("../fixtures/replay/conversation-300.jsonl", import.meta.url)),
};
const SCALER = {
  mode: "agg",
  optimization_target: "throughput",
  load_adjustment_interval: 5,
  enable_throughput_scaling: false,
  max_gpu_budget: 8,
};

describe("a sweep point with a planner config", () => {
  it("holds the planner replay's GPU figures and SLA attainment (GPUs per worker from the grid)", async () => {
    const grid = sweepGridFromObject({
      traces: [TRACE],
      workers: [1],
      planner_configs: { none: null, scaler: SCALER },
      gpus_per_worker: 2,
    });
    const traces = await readSweepTraces(grid);
    const trace = traces[0];
    if (trace === undefined) throw new Error("no trace");
    const result = await runSweep({ grid, traces, threads: 2 });
    const [plain, planned] = result.rows;
    if (plain === undefined || planned === undefined) throw new Error("missing rows");
    expect(plain.plannerMetrics).toBeNull();
    expect(plain.gpuCount).toBe(2); // 1 worker × 2 GPUs

    // Oracle: the same point replayed directly with the planner in the loop; the grid's gpus_per_worker
    // becomes the planner's decode_engine_num_gpu (the config leaves it unset).
    const point = expandSweepGrid(grid)[1];
    if (point === undefined) throw new Error("no point");
    const config = { ...parsePlannerConfig(SCALER), decodeEngineNumGpu: 2 };
    const run = runPlannerReplay(
      trace,
      resolveClusterOptions(pointClusterInput(point), trace.traceBlockSize),
      {
        config,
        traceName: "conv",
      },
    );
    const p = run.planner;
    const agg = p.replicas.agg;
    if (agg === undefined) throw new Error("no agg replicas");
    expect(agg.peak).toBeGreaterThan(1); // the planner did scale up
    const expected: Record<string, number> = {
      planner_gpu_hours_tick_sampled: p.gpu_hours_tick_sampled,
      planner_peak_gpus: agg.peak * 2,
      planner_mean_gpus: agg.time_weighted_mean * 2,
      planner_scaling_events: p.scaling_events.length,
      planner_replica_transitions: p.replica_transitions,
      planner_ttft_sla_attainment: p.sla_attainment.ttft_fraction,
      planner_itl_sla_attainment: p.sla_attainment.itl_fraction,
    };
    expect(Object.fromEntries(PLANNER_ROW_KEYS.map((k, i) => [k, planned.plannerMetrics?.[i]]))).toEqual(
      expected,
    );
    expect(planned.gpuCount).toBe(agg.peak * 2);
    expect(planned.gpuHours).toBe(p.gpu_hours.total);
    const report = buildReport(run.simulation.collector, trace, 1);
    ROW_METRIC_KEYS.forEach((key, k) => {
      expect(planned.metrics[k], key).toBe(report[key]);
    });
    // Planner columns appear in the rows (null for the point without a planner).
    const lines = rowsToJsonl(result.rows, { withPlanner: true }).trim().split("\n");
    expect(JSON.parse(lines[0] as string).planner_peak_gpus).toBeNull();
    expect(JSON.parse(lines[1] as string).planner_peak_gpus).toBe(agg.peak * 2);
  });
});
