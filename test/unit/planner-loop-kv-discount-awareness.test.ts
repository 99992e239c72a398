import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { PlannerReplay, plannerReplaySetup } from "../../src/replay/planner-replay.js";
import type { PlannerSection } from "../../src/report/planner-result.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { FakeSimulation, fpm, traffic } from "../support/fake-simulation-kit.js";

/** Ordinary least squares y = a·x + b (the obviously correct two-sum formula). */
function ols(xs: number[], ys: number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    sxx += ((xs[i] as number) - mx) ** 2;
  }
  const a = sxy / sxx;
  return { a, b: my - a * mx };
}

const prefillPolyMs = (t: number): number => 4.209989e-7 * (t * t) + 1.518344e-2 * t + 16.50142;

/** One load-only SLA tick of a disagg planner: the prefill engine has 3000 tokens queued; the window's hit rate is 0.5. */
function runOnce(awareness: boolean): PlannerSection {
  const config = parsePlannerConfig({
    mode: "disagg",
    optimization_target: "sla",
    enable_load_scaling: true,
    enable_throughput_scaling: false,
    kv_hit_rate_awareness: awareness,
  });
  const setup = plannerReplaySetup(resolveClusterOptions({ mode: "disagg" }, 512), { config });
  const sim = new FakeSimulation({
    active: [1, 1],
    doneAtMs: 10_000,
    steps: [
      {
        snapshots: { 0: [fpm(0, { queuedPrefill: 3000 })], 1: [fpm(0)] },
        traffic: traffic({
          durationS: 5,
          numReq: 4,
          avgIsl: 1000,
          avgOsl: 100,
          avgKvHitRate: 0.5,
          hitRateCount: 4,
        }),
      },
    ],
  });
  return new PlannerReplay(sim, setup).run();
}

describe("KV-hit-rate awareness switch in a load-only SLA replay (docs/planner.md#sticky-kv-hit-rate)", () => {
  it("the observed hit rate discounts the TTFT estimate; with awareness off the planner sees none", () => {
    const aware = runOnce(true).diagnostics[0];
    const unaware = runOnce(false).diagnostics[0];

    // The prefill regression holds only the bootstrap sweep (heartbeats are not timing samples): ISL 100 + 1011k,
    // k = 0..8, wall = polynomial / 1000. Its moving-average ISL is the sweep's mean, 100 + 4·1011 = 4144.
    const isls = Array.from({ length: 9 }, (_, k) => 100 + 1011 * k);
    const { a, b } = ols(
      isls,
      isls.map((x) => prefillPolyMs(x) / 1000),
    );
    // TTFT estimate = f((queued + avg ISL)·(1 − hit)) in one chunk (≤ 8192 tokens): 7144 tokens unaware, 3572 aware.
    const unawareMs = 1000 * (a * 7144 + b);
    const awareMs = 1000 * (a * 3572 + b);
    expect(unaware?.estimated_ttft_ms).toBeCloseTo(unawareMs, 9);
    expect(aware?.estimated_ttft_ms).toBeCloseTo(awareMs, 9);
    expect(awareMs).toBeLessThan(unawareMs);

    // Load-only: the raw window value becomes the sticky hit rate; awareness off leaves it unset.
    expect(aware?.sticky_kv_hit_rate).toBe(0.5);
    expect(unaware?.sticky_kv_hit_rate).toBeNull();
    // Both runs show what the router observed; the effective ISL applies the planner's own hit rate.
    expect(aware?.observed_kv_hit_rate).toBe(0.5);
    expect(unaware?.observed_kv_hit_rate).toBe(0.5);
    expect(aware?.effective_isl).toBe(500);
    expect(unaware?.effective_isl).toBe(1000);
  });
});
