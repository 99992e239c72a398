// Every predictor returns a finite forecast for any finite or NaN input stream and never throws; all but raw
// Kalman (unclamped by design) forecast ≥ 0 for non-negative data.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PREDICTOR_OPTIONS } from "../../src/planner/predictors/base.js";
import { createPredictor, PREDICTOR_NAMES } from "../../src/planner/predictors/factory.js";

const value = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 0, max: 1e5, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
);

describe("load predictors", () => {
  it("forecast finite, non-negative values without throwing", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), fc.boolean(), (values, log1p) => {
        for (const name of PREDICTOR_NAMES) {
          const p = createPredictor(name, { ...DEFAULT_PREDICTOR_OPTIONS, log1p, windowSize: 20 });
          for (const v of values) {
            p.addDataPoint(v);
            const f = p.predictNext();
            expect(Number.isFinite(f)).toBe(true);
            if (name !== "kalman" || log1p) expect(f).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { seed: 42, numRuns: 40 },
    );
  });
});
