import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { easyDecodeDecision, easyPrefillDecision } from "../../src/planner/easy-mode.js";
import { slaScaleDecision } from "../../src/planner/load-decision.js";
import { advanceLoad } from "../../src/planner/load-scaling.js";
import { engines, setWorkers, state } from "../support/planner-kit.js";

const workers = fc.integer({ min: 1, max: 12 });
const minEndpoint = fc.integer({ min: 0, max: 3 });

/** Obviously-correct restatement of docs/planner.md#sla-load-rule for comparison. */
function oracle(
  estimates: number[],
  sla: number,
  sensitivityPct: number,
  n: number,
  min: number,
): number | null {
  if (estimates.length === 0) return null;
  let allAbove = true;
  let allBelow = true;
  for (const e of estimates) {
    if (!(e > sla)) allAbove = false;
    if (!(e < (sla * sensitivityPct) / 100)) allBelow = false;
  }
  if (allAbove) return n + 1;
  if (n > 1 && allBelow) return Math.max(n - 1, min);
  return null;
}

describe("load rule step size (properties)", () => {
  it("the SLA rule matches its definition and moves at most ±1 when N ≥ min_endpoint", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 100 }),
        workers,
        minEndpoint,
        (estimates, sla, pct, n, min) => {
          const s = state({
            optimization_target: "sla",
            load_scaling_down_sensitivity: pct,
            min_endpoint: min,
          });
          const out = slaScaleDecision(s, estimates, sla, n);
          expect(out).toBe(oracle(estimates, sla, pct, n, min));
          if (out !== null && n >= min) expect(Math.abs(out - n)).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 42, numRuns: 1500 },
    );
  });

  it("easy prefill/decode rules move at most ±1 when N ≥ min_endpoint", () => {
    const caps = { prefill: { contextLength: 1000 }, decode: { maxKvTokens: 10_000 } };
    fc.assert(
      fc.property(
        fc.constantFrom("throughput", "latency"),
        workers,
        minEndpoint,
        fc.integer({ min: 0, max: 20_000 }),
        (target, n, min, load) => {
          const s = state({ optimization_target: target, min_endpoint: min }, caps);
          const fpms = engines(n, { queuedPrefillTokens: load, schedDecodeKv: load });
          for (const out of [easyPrefillDecision(s, fpms, n), easyDecodeDecision(s, fpms, n)]) {
            if (out !== null && n >= min) expect(Math.abs(out - n)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { seed: 42, numRuns: 800 },
    );
  });

  it("disagg decisions stay within the GPU budget and, without a budget, within ±1 of each current count", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 15_000 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: -1, max: 40 }),
        (np, nd, queued, kv, gP, gD, budget) => {
          const s = state(
            { mode: "disagg", max_gpu_budget: budget },
            { prefill: { contextLength: 1000, numGpu: gP }, decode: { maxKvTokens: 10_000, numGpu: gD } },
          );
          setWorkers(s, np, nd);
          const out = advanceLoad(s, {
            prefill: engines(np, { queuedPrefillTokens: queued }),
            decode: engines(nd, { schedDecodeKv: kv }),
          });
          if (out === null) return;
          const p = out.numPrefill ?? np;
          const d = out.numDecode ?? nd;
          if (budget >= 0) expect(p * gP + d * gD <= budget || (p === 0 && d === 0)).toBe(true);
          else {
            expect(Math.abs(p - np)).toBeLessThanOrEqual(1);
            expect(Math.abs(d - nd)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { seed: 42, numRuns: 1500 },
    );
  });
});
