import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyGlobalBudget, applySingleBudget } from "../../src/planner/budget.js";

const count = fc.integer({ min: 0, max: 64 });
const gpus = fc.integer({ min: 1, max: 8 });
const budget = fc.integer({ min: 0, max: 128 });
const minEndpoint = fc.integer({ min: 0, max: 4 });

describe("GPU budget clamps (properties)", () => {
  it("single clamp never exceeds the budget, answers 0 or at least min_endpoint, never exceeds the request", () => {
    fc.assert(
      fc.property(count, gpus, budget, minEndpoint, (desired, g, maxGpuBudget, min) => {
        const out = applySingleBudget(desired, g, { maxGpuBudget, minEndpoint: min });
        expect(out * g).toBeLessThanOrEqual(maxGpuBudget);
        expect(out === 0 || out >= min).toBe(true);
        expect(out).toBeLessThanOrEqual(Math.max(desired, min));
        // A request that fits (after the floor) is kept as is.
        if (Math.max(desired, min) * g <= maxGpuBudget) expect(out).toBe(Math.max(desired, min));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("global clamp never exceeds the budget; fits are unchanged; unaffordable floors give (0,0); otherwise both ≥ min_endpoint", () => {
    fc.assert(
      fc.property(count, count, gpus, gpus, budget, minEndpoint, (p0, d0, gP, gD, maxGpuBudget, min) => {
        // Callers pass counts already raised to min_endpoint (disagg step 6, throughput sizing).
        const p = Math.max(p0, min);
        const d = Math.max(d0, min);
        const out = applyGlobalBudget(p, d, gP, gD, { maxGpuBudget, minEndpoint: min });
        expect(out.numPrefill * gP + out.numDecode * gD).toBeLessThanOrEqual(maxGpuBudget);
        if (p * gP + d * gD <= maxGpuBudget) {
          expect(out).toEqual({ numPrefill: p, numDecode: d });
        } else if (maxGpuBudget < min * gP + min * gD) {
          expect(out).toEqual({ numPrefill: 0, numDecode: 0 });
        } else {
          expect(out.numPrefill).toBeGreaterThanOrEqual(min);
          expect(out.numDecode).toBeGreaterThanOrEqual(min);
          // Prefill only ever shrinks; decode may grow (it receives every leftover GPU).
          expect(out.numPrefill).toBeLessThanOrEqual(p);
        }
      }),
      { seed: 42, numRuns: 3000 },
    );
  });
});
