import { describe, expect, it } from "vitest";
import { kvTierDiscount } from "../../src/planner/kv-tier-discount.js";
import { tierDiscountsOf, trafficObservationOf } from "../../src/replay/tick-input.js";
import { TrafficAccumulator } from "../../src/signals/traffic-accumulator.js";

// effective = clamp(gpu + max(0, host + disk − onboard_ms / prefill_ms)), clamp to [0, 0.95].
// GPU 0.2, host 0.3, disk 0.2 of the prompt; an uncached prefill takes 400 ms.
const hits = { gpuHit: 0.2, hostHit: 0.3, diskHit: 0.2, prefillMs: 400 };

describe("the tier-aware KV-reuse discount (docs/planner.md#kv-tier-discount), worked by hand", () => {
  it("a fast onboarding (20 ms) deducts 0.05: 0.2 + 0.5 − 0.05 = 0.65", () => {
    const d = kvTierDiscount({ ...hits, onboardMs: 20 });
    expect(d.onboardDeduction).toBe(0.05);
    expect(d.effectiveHit).toBeCloseTo(0.65, 15);
  });

  it("a slow disk (140 ms) deducts 0.35 and saves less: 0.2 + 0.5 − 0.35 = 0.35", () => {
    const d = kvTierDiscount({ ...hits, onboardMs: 140 });
    expect(d.onboardDeduction).toBe(0.35);
    expect(d.effectiveHit).toBeCloseTo(0.35, 15);
    expect(d.effectiveHit).toBeLessThan(kvTierDiscount({ ...hits, onboardMs: 20 }).effectiveHit);
  });

  it("an onboarding slower than recomputing (1000 ms) leaves only the GPU hit, never less", () => {
    expect(kvTierDiscount({ ...hits, onboardMs: 1000 }).effectiveHit).toBe(0.2);
  });

  it("an unknown prefill time gives the lower tiers no credit; the result is clamped to 0.95", () => {
    expect(kvTierDiscount({ ...hits, onboardMs: 20, prefillMs: Number.NaN }).effectiveHit).toBe(0.2);
    expect(
      kvTierDiscount({ gpuHit: 0.9, hostHit: 0.1, diskHit: 0, onboardMs: 0, prefillMs: 1 }).effectiveHit,
    ).toBe(0.95);
  });

  it("a drained window: the router's and the engines' hit rates, at the mean prompt per admission", () => {
    // Router admissions (GPU, isl blocks, host, disk): (2, 10, 3, 1), (0, 4, 2, 0), (5, 5, 0, 0) → GPU 0.4,
    // host 0.8/3, disk 0.1/3. Engine admissions: reused 640 of 1000 (192 host, 64 disk, 12 ms) and 128 of 256
    // (128 host, 3 ms) → onboard 7.5 ms per admit, mean prompt 1256 / 2 = 628 tokens → prefill 628 ms at 1 ms per
    // token → deduction 7.5 / 628.
    //   router: 0.4 + (0.3 − 7.5/628);   engines: GPU 384/1256, lower 384/1256 → (768 − 15) / 1256 = 753/1256.
    const acc = new TrafficAccumulator(0);
    acc.onAdmission(2, 10, 3, 1);
    acc.onAdmission(0, 4, 2, 0);
    acc.onAdmission(5, 5);
    acc.onEngineAdmit(640, 1000);
    acc.onTieredEngineAdmit(192, 64, 12);
    acc.onEngineAdmit(128, 256);
    acc.onTieredEngineAdmit(128, 0, 3);
    const stats = acc.drain(10_000);
    const tiers = tierDiscountsOf(stats, (isl) => isl);
    expect(tiers?.router.prefillMs).toBe(628);
    expect(tiers?.router.effectiveHit).toBeCloseTo(0.7 - 7.5 / 628, 12);
    expect(tiers?.engine?.effectiveHit).toBeCloseTo(753 / 1256, 12);
    const obs = trafficObservationOf(stats, true, tiers ?? null);
    expect(obs?.kvHitRate).toBeCloseTo(0.7 - 7.5 / 628, 12);
    expect(obs?.engineReusedTokens).toBeCloseTo(753, 9);
    // Without tier figures the observation is today's.
    const plain = new TrafficAccumulator(0);
    plain.onAdmission(2, 10);
    const plainStats = plain.drain(10_000);
    expect(tierDiscountsOf(plainStats, (isl) => isl)).toBeNull();
    expect(trafficObservationOf(plainStats, true)?.kvHitRate).toBe(0.2);
  });
});
