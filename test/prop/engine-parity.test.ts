import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  crowdedWorkloadArb,
  type EngineWorkload,
  engineWorkloadArb,
  runBoth,
} from "../support/engine-workload-kit.js";

// The fast engine (typed arrays) and the reference engine (objects, Maps) run the same random workload through
// the same driver; every per-request record (token times, admissions with reused tokens, preemptions), every
// pass (start, end, progress), every KV event and every forward-pass snapshot must be identical.
function sameOutcome(w: EngineWorkload): void {
  const { fast, reference } = runBoth(w);
  expect(fast.requests).toEqual(reference.requests);
  expect(fast.passes).toEqual(reference.passes);
  expect(fast.truncated).toBe(reference.truncated);
}

describe("fast engine vs reference engine", () => {
  it("agree exactly on mixed random workloads (all knobs, roles, tiny pools)", () => {
    fc.assert(fc.property(engineWorkloadArb, sameOutcome), { seed: 42, numRuns: 300 });
  });

  it("agree exactly on crowded workloads (chunked prefill, small budgets, preemption)", () => {
    fc.assert(fc.property(crowdedWorkloadArb, sameOutcome), { seed: 42, numRuns: 150 });
  });
});
