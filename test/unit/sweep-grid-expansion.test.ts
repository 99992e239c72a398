import { describe, expect, it } from "vitest";
import { countSweepPoints, expandSweepGrid, pointClusterInput } from "../../src/parallel/sweep/expand.js";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { SMALL_SYNTHETIC } from "../support/sweep-kit.js";

// Expansion order (outermost first): trace → shape (workers as listed, then prefill_decode) → router mode →
// router config → engine args → [disagg: prefill args → decode args] → planner → speedup → concurrency → seed.
const grid = sweepGridFromObject({
  traces: [SMALL_SYNTHETIC],
  workers: [2, 1],
  prefill_decode: { prefill: [1], decode: [2, 3] },
  router_modes: ["kv", "round_robin"],
  engine_args: { small: { num_gpu_blocks: 512 }, big: { num_gpu_blocks: 4096 } },
  prefill_engine_args: [{}, { max_num_seqs: 8 }],
  seeds: [7, 9],
  gpus_per_worker: { agg: 2, prefill: 4, decode: 1 },
});

describe("grid expansion", () => {
  const points = expandSweepGrid(grid);

  it("has the product of the axes: agg shapes skip the disagg-only axes", () => {
    // agg: 2 shapes × 2 router modes × 2 engine args × 2 seeds = 16
    // disagg: 2 shapes × 2 router modes × 2 engine args × 2 prefill args × 1 decode args × 2 seeds = 32
    expect(points).toHaveLength(48);
    expect(countSweepPoints(grid)).toBe(48);
    expect(points.map((p) => p.index)).toEqual(Array.from({ length: 48 }, (_, k) => k));
  });

  it("orders points with the seed innermost and names them by every axis that varies", () => {
    expect(points.slice(0, 10).map((p) => p.id)).toEqual([
      "agg2/kv/ea:small/s7",
      "agg2/kv/ea:small/s9",
      "agg2/kv/ea:big/s7",
      "agg2/kv/ea:big/s9",
      "agg2/round_robin/ea:small/s7",
      "agg2/round_robin/ea:small/s9",
      "agg2/round_robin/ea:big/s7",
      "agg2/round_robin/ea:big/s9",
      "agg1/kv/ea:small/s7",
      "agg1/kv/ea:small/s9",
    ]);
    expect(points.slice(16, 21).map((p) => p.id)).toEqual([
      "p1d2/kv/ea:small/pe:pe0/s7",
      "p1d2/kv/ea:small/pe:pe0/s9",
      "p1d2/kv/ea:small/pe:pe1/s7",
      "p1d2/kv/ea:small/pe:pe1/s9",
      "p1d2/kv/ea:big/pe:pe0/s7",
    ]);
    expect(points[47]?.id).toBe("p1d3/round_robin/ea:big/pe:pe1/s9");
    expect(new Set(points.map((p) => p.id)).size).toBe(48);
  });

  it("counts GPUs per pool: workers × gpus_per_worker", () => {
    // agg2: 2 × 2 = 4; agg1: 1 × 2 = 2; p1d2: 1 × 4 + 2 × 1 = 6; p1d3: 1 × 4 + 3 × 1 = 7.
    expect(points[0]?.gpuCount).toBe(4);
    expect(points[8]?.gpuCount).toBe(2);
    expect(points[16]?.gpuCount).toBe(6);
    expect(points[47]?.gpuCount).toBe(7);
  });

  it("lays the prefill override over the shared engine args, and gives agg points only their own pool", () => {
    const input = pointClusterInput(points[18] as (typeof points)[number]); // p1d2/kv/ea:small/pe:pe1/s7
    expect(input).toMatchObject({ mode: "disagg", numPrefillWorkers: 1, numDecodeWorkers: 2, seed: 7 });
    expect(input.routerMode).toBe("kv");
    const disagg = resolveClusterOptions(input, 64);
    expect(disagg.prefillEngineArgs).toMatchObject({ num_gpu_blocks: 512, max_num_seqs: 8 });
    expect(disagg.decodeEngineArgs).toMatchObject({ num_gpu_blocks: 512, max_num_seqs: 256 });
    const agg = pointClusterInput(points[3] as (typeof points)[number]); // agg2/kv/ea:big/s9
    expect(agg).toMatchObject({ mode: "agg", numWorkers: 2, engineArgs: { num_gpu_blocks: 4096 }, seed: 9 });
    expect(agg.prefillEngineArgs).toBeUndefined();
    expect(resolveClusterOptions(agg, 64).engineArgs.num_gpu_blocks).toBe(4096);
  });

  it("pairs a planner config only with shapes of its mode; no planner runs everywhere", () => {
    const g = sweepGridFromObject({
      traces: [SMALL_SYNTHETIC],
      workers: [1, 2],
      prefill_decode: ["1:1"],
      planner_configs: { none: null, scaler: { mode: "agg", optimization_target: "throughput" } },
    });
    // agg1 × {none, scaler} + agg2 × {none, scaler} + p1d1 × {none} = 5
    expect(expandSweepGrid(g).map((p) => p.id)).toEqual([
      "agg1/pc:none",
      "agg1/pc:scaler",
      "agg2/pc:none",
      "agg2/pc:scaler",
      "p1d1/pc:none",
    ]);
    expect(countSweepPoints(g)).toBe(5);
  });

  it("defaults to one aggregated worker, the embedded trace, kv routing and seed 0", () => {
    const g = sweepGridFromObject({});
    const only = expandSweepGrid(g);
    expect(only).toHaveLength(1);
    expect(only[0]).toMatchObject({
      id: "agg1",
      traceLabel: "default",
      routerMode: "kv",
      seed: 0,
      gpuCount: 1,
    });
  });
});
