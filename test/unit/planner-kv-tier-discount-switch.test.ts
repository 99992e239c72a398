import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { runReplay } from "../../src/replay/run-replay.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";

// `kv_tier_discount` (docs/planner.md#kv-tier-discount) on a tiered agg replay under the dynamo policy. Both runs
// are the same simulation until the planner first acts on a hit rate, so at the first tick with tier figures:
// - on: the hit rate the planner keeps (sticky) is the discount's effective hit, gpu + max(0, host + disk −
//   onboard_ms / prefill_ms), recomputed here from the tick's own figures;
// - off: it is the router's GPU overlap alone (the on run's gpu_hit: the same window), and no kv_tiers figures.
const trace = synthesizeTrace(
  { requests: 300, turns: { kind: "uniform", min: 2, max: 3 }, seed: 7 },
  "shared-prefix",
);
const TIERS = {
  num_gpu_blocks: 1200,
  host_kv_blocks: 8000,
  host_kv_bandwidth: 5,
  kv_bytes_per_token: 131072,
};

interface TierFigures {
  gpu_hit: number;
  host_hit: number;
  disk_hit: number;
  onboard_ms: number;
  prefill_ms: number;
  effective_hit: number;
}
interface Tick {
  timestamp_s: number;
  sticky_kv_hit_rate: number | null;
  kv_tiers?: TierFigures | null;
}

function plannerRun(discount: boolean, engineArgs: Record<string, unknown> = TIERS) {
  const config = parsePlannerConfig({
    mode: "agg",
    optimization_target: "sla",
    max_gpu_budget: 3,
    ttft: 1500,
    itl: 40,
    throughput_adjustment_interval: 20,
    kv_tier_discount: discount,
  });
  return runReplay(trace, { numWorkers: 2, engineArgs }, { planner: { config } }).planner;
}

function ticks(discount: boolean): Tick[] {
  return plannerRun(discount)?.diagnostics as unknown as Tick[];
}

describe("kv_tier_discount switches the tier discount on and off", () => {
  const on = ticks(true);
  const off = ticks(false);
  const at = on.findIndex((t) => t.kv_tiers !== null && t.kv_tiers !== undefined && t.kv_tiers.host_hit > 0);

  it("on: the planner keeps the discount's effective hit, worked from the tick's figures", () => {
    expect(at).toBeGreaterThanOrEqual(0);
    const f = on[at]?.kv_tiers as TierFigures;
    const effective = f.gpu_hit + Math.max(0, f.host_hit + f.disk_hit - f.onboard_ms / f.prefill_ms);
    expect(f.effective_hit).toBeCloseTo(effective, 12);
    expect(on[at]?.sticky_kv_hit_rate).toBeCloseTo(effective, 12);
    expect(effective).toBeGreaterThan(f.gpu_hit);
  });

  it("off: the router's GPU overlap alone, and no kv_tiers figures", () => {
    const f = on[at]?.kv_tiers as TierFigures;
    expect(off[at]?.timestamp_s).toBe(on[at]?.timestamp_s);
    expect(off[at]?.sticky_kv_hit_rate).toBeCloseTo(f.gpu_hit, 12);
    expect(off.some((t) => "kv_tiers" in t)).toBe(false);
  });

  it("the result's config shows the key only when the workers have a tier", () => {
    expect(plannerRun(false)?.config.kv_tier_discount).toBe(false);
    expect(plannerRun(true, { num_gpu_blocks: 1200 })?.config).not.toHaveProperty("kv_tier_discount");
  });
});
