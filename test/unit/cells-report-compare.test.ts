import { describe, expect, it } from "vitest";
import {
  appendCellsSection,
  cellsSection,
  cellsSummaryLines,
  compareWithUnsharded,
  runGpuHours,
} from "../../src/parallel/cells/cells-report.js";
import type { PlannerSection } from "../../src/report/planner-result.js";
import type { ReplayReport } from "../../src/report/summary.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";

function report(p50: number, p99: number, durationMs: number): ReplayReport {
  return { median_ttft_ms: p50, p99_ttft_ms: p99, duration_ms: durationMs } as unknown as ReplayReport;
}

function planner(total: number): PlannerSection {
  return { gpu_hours: { prefill: 0, decode: total, total } } as unknown as PlannerSection;
}

describe("the error of K cells against the unsharded replay", () => {
  it("is (sharded − unsharded) / unsharded for TTFT p50, p99 and GPU-hours", () => {
    const options = resolveClusterOptions({ numWorkers: 8 }, 512);
    // Without a planner GPU-hours = 8 workers × duration: 8 × 3,600,000 ms = 8 h unsharded, 8 × 3,780,000 = 8.4 h.
    const c = compareWithUnsharded(
      { report: report(210, 1500, 3_780_000), planner: null },
      { report: report(200, 1600, 3_600_000), planner: null },
      options,
    );
    expect(c.ttft_p50_ms).toEqual({ unsharded: 200, sharded: 210, relative_error: 0.05 });
    expect(c.ttft_p99_ms).toEqual({ unsharded: 1600, sharded: 1500, relative_error: -0.0625 });
    expect(c.gpu_hours.unsharded).toBe(8);
    expect(c.gpu_hours.sharded).toBeCloseTo(8.4, 12);
    expect(c.gpu_hours.relative_error).toBeCloseTo(0.05, 12);
  });

  it("uses the planner's exact GPU-hours when a planner ran, and null error against a zero", () => {
    const options = resolveClusterOptions({ mode: "disagg", numPrefillWorkers: 2, numDecodeWorkers: 2 }, 512);
    expect(runGpuHours({ report: report(1, 1, 7_200_000), planner: null }, options)).toBe(8); // 4 workers × 2 h
    expect(runGpuHours({ report: report(1, 1, 7_200_000), planner: planner(3.5) }, options)).toBe(3.5);
    const c = compareWithUnsharded(
      { report: report(5, 5, 1), planner: planner(2) },
      { report: report(0, 5, 1), planner: planner(2) },
      options,
    );
    expect(c.ttft_p50_ms.relative_error).toBeNull();
    expect(c.gpu_hours.relative_error).toBe(0);
  });
});

describe("the cells section of the report", () => {
  const section = cellsSection(
    {
      count: 2,
      shardKey: { kind: "block", depthBlocks: 2 },
      groupCount: 7,
      requests: [6, 4],
      tokens: [600, 400],
      workers: { agg: [2, 1] },
    },
    [1000, 900],
    null,
  );

  it("is appended as the last key: the text before it is the unsharded report's, and the whole parses", () => {
    const base = '{\n  "num_requests": 10,\n  "planner": {\n    "ticks": 3\n  }\n}\n';
    const text = appendCellsSection(base, section);
    expect(
      text.startsWith('{\n  "num_requests": 10,\n  "planner": {\n    "ticks": 3\n  },\n  "cells": {\n'),
    ).toBe(true);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["num_requests", "planner", "cells"]);
    expect(parsed.cells).toEqual({
      count: 2,
      shard_key: "block:2",
      groups: 7,
      requests: [6, 4],
      tokens: [600, 400],
      workers: { agg: [2, 1] },
      end_ms: [1000, 900],
      compare_unsharded: null,
    });
  });

  it("prints the split and, when measured, the errors with signs", () => {
    expect(cellsSummaryLines(section)).toEqual([
      "Cells: 2 (shard key block:2, 7 groups); requests per cell 6 / 4 (max/mean 1.200)",
      "Error vs unsharded: not measured (--no-compare-unsharded)",
    ]);
    const measured = {
      ...section,
      compare_unsharded: {
        ttft_p50_ms: { unsharded: 200, sharded: 210, relative_error: 0.05 },
        ttft_p99_ms: { unsharded: 1600, sharded: 1500, relative_error: -0.0625 },
        gpu_hours: { unsharded: 8, sharded: 8, relative_error: 0 },
      },
    };
    expect(cellsSummaryLines(measured)[1]).toBe(
      "Error vs unsharded (K=1): TTFT p50 210.00 ms vs 200.00 ms (+5.00%); TTFT p99 1,500.00 ms vs 1,600.00 ms (-6.25%); " +
        "GPU-hours 8.0000 vs 8.0000 (+0.00%)",
    );
  });
});
