import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ClusterScenario,
  clusterScenarioArb,
  type KvTierSizes,
  kvTierSizesArb,
  runScenario,
  withKvTiers,
} from "../support/cluster-scenario-kit.js";

// Host and disk tiers on random small clusters (agg/disagg, kv/round robin, sessions, scaling, tiny pools), engine
// invariants checked after every pass (tier/GPU exclusivity, refcounts, capacities). What must hold: a scenario the
// cluster finishes without tiers it also finishes with them — onboarding holders give their blocks back, so tiers
// add no dead end and no livelock — and every request gets all its tokens.
function tiersKeepLiveness(s: ClusterScenario, t: KvTierSizes): void {
  const plain = runScenario(s, false);
  fc.pre(plain.error === null);
  const tiered = runScenario(withKvTiers(s, t), false);
  expect(tiered.error).toBeNull();
  const osl = s.requests.map((r) => r.osl);
  expect(tiered.requests.map((r) => r.tokenTimesMs.length)).toEqual(osl);
}

describe("KV tiers on random clusters", () => {
  it("finish whatever finishes without tiers, with every invariant holding after every pass", () => {
    fc.assert(fc.property(clusterScenarioArb(false), kvTierSizesArb, tiersKeepLiveness), {
      seed: 15,
      numRuns: 120,
    });
  });

  it("the same on crowded traces (chunked prefill, small budgets, pools just big enough)", () => {
    fc.assert(fc.property(clusterScenarioArb(true), kvTierSizesArb, tiersKeepLiveness), {
      seed: 15,
      numRuns: 100,
    });
  });
});
