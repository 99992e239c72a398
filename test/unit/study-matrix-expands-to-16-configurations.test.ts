import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { expandKvReuseMatrix } from "../../src/studies/kv-reuse/design.js";
import { studyClusterOptions } from "../../src/studies/kv-reuse/point-run.js";

// The matrix: 2 workloads × 2 cadences (mixed, load-only) × 2 modes (agg, disagg) × awareness on/off.
const WORKLOADS = ["shared-prefix", "mooncake"];
const MODES = ["agg", "disagg"];
const CADENCES = ["mixed", "load-only"];
const AWARENESS = [true, false];

describe("the KV-reuse study matrix", () => {
  const points = expandKvReuseMatrix();

  it("is exactly the 2 × 2 × 2 × 2 = 16 specified configurations, each once, indexed in order", () => {
    expect(points).toHaveLength(16);
    const want = new Set<string>();
    for (const w of WORKLOADS)
      for (const m of MODES)
        for (const c of CADENCES) for (const a of AWARENESS) want.add(`${w}|${m}|${c}|${a}`);
    const got = points.map((c) => `${c.workload}|${c.mode}|${c.cadence}|${c.awareness}`);
    expect(new Set(got)).toEqual(want);
    expect(new Set(points.map((c) => c.id)).size).toBe(16);
    expect(points.map((c) => c.index)).toEqual([...Array(16).keys()]);
  });

  it("gives every point an SLA-mode planner whose mode, cadence and awareness are the point's", () => {
    for (const point of points) {
      const config = parsePlannerConfig(point.plannerFile);
      expect(config.optimizationTarget).toBe("sla");
      expect(config.mode).toBe(point.mode);
      // mixed = throughput + load scaling; load-only = load scaling alone
      expect(config.enableLoadScaling).toBe(true);
      expect(config.enableThroughputScaling).toBe(point.cadence === "mixed");
      expect(config.kvHitRateAwareness).toBe(point.awareness);
      expect(studyClusterOptions(point, 512).mode).toBe(point.mode);
      expect(studyClusterOptions(point, 512).routerMode).toBe("kv");
    }
  });

  it("makes each awareness-on point differ from its off twin in kv_hit_rate_awareness alone", () => {
    for (const on of points.filter((c) => c.awareness)) {
      const off = points.find(
        (c) => !c.awareness && c.workload === on.workload && c.mode === on.mode && c.cadence === on.cadence,
      );
      expect(off).toBeDefined();
      expect({ ...off?.plannerFile, kv_hit_rate_awareness: true }).toEqual(on.plannerFile);
      expect(off?.plannerFile.kv_hit_rate_awareness).toBe(false);
    }
  });

  it("keeps one SLA and one GPU budget per workload across its 8 points", () => {
    for (const w of WORKLOADS) {
      const configs = points.filter((c) => c.workload === w).map((c) => parsePlannerConfig(c.plannerFile));
      expect(new Set(configs.map((c) => c.ttftMs)).size).toBe(1);
      expect(new Set(configs.map((c) => c.itlMs)).size).toBe(1);
      expect(new Set(configs.map((c) => c.maxGpuBudget)).size).toBe(1);
    }
  });
});
