import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ClusterScenario, clusterScenarioArb, runScenario } from "../support/cluster-scenario-kit.js";

// The fast cluster (EngineWorker, KvRouter / RoundRobinRouter, silent-pass shortcut) and a cluster built on the
// slow references (ReferenceEngine, ReferenceRouter / ReferenceRoundRobinRouter, one pass at a time) replay the
// same random small trace: every request's arrival, first admission, every token time, worker, reused tokens
// and preemptions must be identical, as must the pooled ITL / per-user-rate accumulators, the advanceTo results
// and any error. Both run with checkInvariants on, so the engines' invariants and the router-view invariant
// (the prefix index attributes to a worker only blocks its engine holds) are checked after every pass.
function sameOutcome(s: ClusterScenario): void {
  const fast = runScenario(s, false);
  const reference = runScenario(s, true);
  expect(fast.error).toBe(reference.error);
  expect(fast.requests).toEqual(reference.requests);
  expect(fast.advances).toEqual(reference.advances);
  expect(fast.itl).toEqual(reference.itl);
  expect(fast.rate).toEqual(reference.rate);
}

describe("fast cluster vs reference cluster", () => {
  it("agree exactly on mixed random traces (agg/disagg, kv/round robin, sessions, scaling, tiny pools)", () => {
    fc.assert(fc.property(clusterScenarioArb(false), sameOutcome), { seed: 42, numRuns: 140 });
  });

  it("agree exactly on crowded traces (chunked prefill, small budgets, pools just big enough)", () => {
    fc.assert(fc.property(clusterScenarioArb(true), sameOutcome), { seed: 42, numRuns: 100 });
  });
});
