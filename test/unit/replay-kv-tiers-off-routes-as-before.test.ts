import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { runReplay } from "../../src/replay/run-replay.js";
import { omitWallTime } from "../../src/report/json-stable.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";

// Tier-aware routing and planning change nothing without tiers, and nothing a router cannot change:
// - capacity-0 tiers (tiers off) replay exactly like no tiers, planner section included;
// - with one worker the router has no choice, so the tier weights cannot change a tiered replay.
// Multi-turn sessions on a small GPU cache, so prefixes are evicted and come back from the tiers when they exist.
const trace = synthesizeTrace(
  { requests: 120, turns: { kind: "uniform", min: 2, max: 3 }, seed: 7 },
  "shared-prefix",
);
const SMALL_GPU = { num_gpu_blocks: 1200 };
const planner = {
  config: parsePlannerConfig({
    mode: "agg",
    optimization_target: "sla",
    scaling_policy: "kvsim",
    max_gpu_budget: 3,
    ttft: 1500,
    itl: 40,
  }),
};

function plain(report: unknown): unknown {
  return omitWallTime(report as Parameters<typeof omitWallTime>[0]);
}

describe("KV tiers off: routing, planning and every report figure as before the tier-aware router", () => {
  it("capacity-0 host and disk tiers replay exactly like no tiers (with the planner in the loop)", () => {
    const none = runReplay(trace, { numWorkers: 2, engineArgs: SMALL_GPU }, { planner });
    const zero = runReplay(
      trace,
      {
        numWorkers: 2,
        engineArgs: { ...SMALL_GPU, host_kv_blocks: 0, disk_kv_blocks: 0, kv_bytes_per_token: 131072 },
      },
      { planner },
    );
    expect(plain(zero.report)).toEqual(plain(none.report));
    expect(JSON.stringify(zero.planner?.diagnostics)).toBe(JSON.stringify(none.planner?.diagnostics));
    expect(JSON.stringify(zero.planner?.diagnostics)).not.toContain("kv_tiers");
  });

  it("one worker: the tier weights cannot change a tiered replay", () => {
    const tiers = { ...SMALL_GPU, host_kv_blocks: 4000, host_kv_bandwidth: 50, kv_bytes_per_token: 131072 };
    const weighted = runReplay(trace, { numWorkers: 1, engineArgs: tiers });
    const ignored = runReplay(trace, {
      numWorkers: 1,
      engineArgs: tiers,
      routerConfig: { kv_host_overlap_weight: 0, kv_disk_overlap_weight: 0 },
    });
    expect(weighted.kvTiers?.reused_ratio_g2).toBeGreaterThan(0);
    expect(plain(weighted.report)).toEqual(plain(ignored.report));
  });
});
