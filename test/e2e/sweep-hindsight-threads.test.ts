import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kvsim, withoutWallTime } from "../support/sweep-cli-kit.js";

// A sweep with a `scaling_policy: hindsight` planner axis: the same rows for 1 and 2 threads (determinism), and
// hindsight points independent of the grid's initial worker count (the schedule chooses its own initial sizes).
const GRID = `traces:
  - synthetic: {input_tokens: 3000, output_tokens: 100, request_count: 200, arrival_interval_ms: 50}
    name: syn
workers: [1, 2]
planner_configs:
  hs: {mode: agg, optimization_target: sla, scaling_policy: hindsight, ttft: 300, itl: 30, load_adjustment_interval: 5, throughput_adjustment_interval: 60}
  dyn: {mode: agg, optimization_target: sla, ttft: 300, itl: 30, load_adjustment_interval: 5, throughput_adjustment_interval: 60}
`;

describe("kvsim sweep with a hindsight planner axis", () => {
  it("writes the same rows whatever the thread count", () => {
    const dir = mkdtempSync(join(tmpdir(), "kvsim-sweep-hindsight-"));
    const grid = join(dir, "grid.yaml");
    writeFileSync(grid, GRID);
    const one = kvsim(["sweep", "--grid", grid, "--out", join(dir, "t1"), "--threads", "1", "--quiet"]);
    const two = kvsim(["sweep", "--grid", grid, "--out", join(dir, "t2"), "--threads", "2", "--quiet"]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const rows1 = withoutWallTime(readFileSync(join(dir, "t1", "rows.jsonl"), "utf8"));
    const rows2 = withoutWallTime(readFileSync(join(dir, "t2", "rows.jsonl"), "utf8"));
    expect(rows2).toBe(rows1);
    const rows = rows1
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(4);
    const hs = rows.filter((r) => JSON.stringify(r).includes("pc:hs"));
    expect(hs).toHaveLength(2);
    const strip = (r: Record<string, unknown>) =>
      JSON.stringify(
        Object.fromEntries(Object.entries(r).filter(([k]) => !/^(index|id|num_workers)$/.test(k))),
      );
    expect(strip(hs[0] as Record<string, unknown>)).toBe(strip(hs[1] as Record<string, unknown>));
  });
});
