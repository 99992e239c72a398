import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ClusterScenario, clusterScenarioArb, runScenario } from "../support/cluster-scenario-kit.js";

// Host and disk tiers on random small clusters (agg/disagg, kv/round robin, sessions, scaling, tiny pools), engine
// invariants checked after every pass (tier/GPU exclusivity, refcounts, capacities). What must hold: a scenario the
// cluster finishes without tiers it also finishes with them — onboarding holders give their blocks back, so tiers
// add no dead end and no livelock — and every request gets all its tokens.
const tiersArb = fc.record({
  hostBlocks: fc.constantFrom(0, 1, 3, 12, 64),
  hostGbPerS: fc.constantFrom(0.001, 0.05, 2, 1e6),
  diskBlocks: fc.constantFrom(0, 0, 2, 30),
  diskGbPerS: fc.constantFrom(0.001, 0.3, 1e6),
});

type TierSizes = typeof tiersArb extends fc.Arbitrary<infer T> ? T : never;

function withTiers(s: ClusterScenario, t: TierSizes): ClusterScenario {
  const tiers = {
    kv_bytes_per_token: 5e5,
    host_kv_blocks: t.hostBlocks,
    host_kv_bandwidth: t.hostGbPerS,
    disk_kv_blocks: t.diskBlocks,
    disk_kv_bandwidth: t.diskGbPerS,
  };
  const input = s.input;
  const engine = input.engineArgs as Record<string, unknown>;
  const prefill = input.prefillEngineArgs as Record<string, unknown>;
  // A tier needs prefix caching; the scenarios sometimes turn it off (then tiers are refused: not this test's case).
  if (engine.enable_prefix_caching === false) return s;
  return {
    ...s,
    input: { ...input, engineArgs: { ...engine, ...tiers }, prefillEngineArgs: { ...prefill, ...tiers } },
  };
}

function tiersKeepLiveness(s: ClusterScenario, t: TierSizes): void {
  const plain = runScenario(s, false);
  fc.pre(plain.error === null);
  const tiered = runScenario(withTiers(s, t), false);
  expect(tiered.error).toBeNull();
  const osl = s.requests.map((r) => r.osl);
  expect(tiered.requests.map((r) => r.tokenTimesMs.length)).toEqual(osl);
}

describe("KV tiers on random clusters", () => {
  it("finish whatever finishes without tiers, with every invariant holding after every pass", () => {
    fc.assert(fc.property(clusterScenarioArb(false), tiersArb, tiersKeepLiveness), {
      seed: 15,
      numRuns: 120,
    });
  });

  it("the same on crowded traces (chunked prefill, small budgets, pools just big enough)", () => {
    fc.assert(fc.property(clusterScenarioArb(true), tiersArb, tiersKeepLiveness), { seed: 15, numRuns: 100 });
  });
});
