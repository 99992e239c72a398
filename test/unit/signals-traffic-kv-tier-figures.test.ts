import { describe, expect, it } from "vitest";
import {
  TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH,
  TRAFFIC_TIER_FIELDS,
  TrafficAccumulator,
} from "../../src/signals/traffic-accumulator.js";

// Router admissions (GPU overlap, isl blocks, host run, disk run):
//   (2, 10, 3, 1) → GPU 0.2, host 0.3, disk 0.1;   (0, 4, 2, 0) → host 0.5;   (5, 5, 0, 0) → GPU 1
//   hit rate (0.2 + 0 + 1) / 3 = 0.4; host (0.3 + 0.5) / 3 = 0.8 / 3; disk 0.1 / 3
// Engine admissions of the tiered first pool (reused, prompt; host, disk tokens, onboarding ms):
//   (640, 1000; 192, 64, 12) and (128, 256; 128, 0, 3) → host 320, disk 64 tokens, (12 + 3) / 2 = 7.5 ms per admit
function tiered(): TrafficAccumulator {
  const acc = new TrafficAccumulator(0);
  acc.onAdmission(2, 10, 3, 1);
  acc.onAdmission(0, 4, 2, 0);
  acc.onAdmission(5, 5);
  acc.onEngineAdmit(640, 1000);
  acc.onTieredEngineAdmit(192, 64, 12);
  acc.onEngineAdmit(128, 256);
  acc.onTieredEngineAdmit(128, 0, 3);
  return acc;
}

describe("the traffic window records the router's host / disk runs and the engines' onboarding", () => {
  it("gives per-request host and disk hit shares beside the GPU hit rate, and the onboarding per admit", () => {
    const stats = tiered().drain(1000);
    expect(stats.avgKvHitRate).toBeCloseTo(0.4, 15);
    expect(stats.kvTiers?.routerHostHitRate).toBeCloseTo(0.8 / 3, 15);
    expect(stats.kvTiers?.routerDiskHitRate).toBeCloseTo(0.1 / 3, 15);
    expect(stats.kvTiers).toMatchObject({
      engineHostTokens: 320,
      engineDiskTokens: 64,
      onboardMsPerAdmit: 7.5,
      admits: 2,
    });
    expect(stats.engineReusedTokens).toBe(768);
  });

  it("carries them through the export and merges shards by adding sums", () => {
    const a = tiered();
    const exported = a.toFloat64Array();
    expect(exported.length).toBe(TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH + TRAFFIC_TIER_FIELDS);
    const merged = TrafficAccumulator.fromFloat64Array(exported);
    merged.mergeFrom(tiered());
    const stats = merged.drain(1000);
    expect(stats.kvTiers?.routerHostHitRate).toBeCloseTo(0.8 / 3, 15);
    expect(stats.kvTiers).toMatchObject({ engineHostTokens: 640, onboardMsPerAdmit: 7.5, admits: 4 });
    // The next window starts empty.
    expect(merged.drain(2000).kvTiers).toBeUndefined();
  });

  it("without tiers: no kvTiers field and the export keeps its old length", () => {
    const acc = new TrafficAccumulator(0);
    acc.onAdmission(2, 10);
    acc.onEngineAdmit(640, 1000);
    expect(acc.toFloat64Array().length).toBe(TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH);
    expect("kvTiers" in acc.drain(1000)).toBe(false);
  });
});
