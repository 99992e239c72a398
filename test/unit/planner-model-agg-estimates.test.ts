import { describe, expect, it } from "vitest";
import { aggPlaneModel } from "../support/planner-kit.js";

// The plane and its averages (ISL 1000, decode length 1250, prefill tokens per pass 1000) are worked out by
// hand at aggPlaneModel in test/fixtures/planner/builders.ts.
describe("agg model: fit, averages and per-tick estimates", () => {
  it("recovers the plane and the moving averages", () => {
    const m = aggPlaneModel();
    const fit = m.coefficients()!;
    expect(fit.coef[0]).toBeCloseTo(1e-4, 13);
    expect(fit.coef[1]).toBeCloseTo(1e-5, 14);
    expect(fit.intercept).toBeCloseTo(0.003, 12);
    expect(m.avgIsl).toBeCloseTo(1000, 9);
    expect(m.avgDecodeLen).toBeCloseTo(1250, 9);
    expect(m.avgPrefillTokens).toBeCloseTo(1000, 9);
  });

  it("estimates ITL with the usual prefill load riding along", () => {
    // f(1000, 8000 + 1000 + 1250) = 0.1 + 0.1025 + 0.003 = 0.2055 s
    expect(aggPlaneModel().estimateNextItl(8000, 1000)).toBeCloseTo(0.2055, 12);
  });

  it("estimates TTFT with each chunk paying for the resident decode KV", () => {
    const m = aggPlaneModel();
    // no hit: (3000 + 1000) = 4000 → 2048 + 1952: f(2048,10000) + f(1952,10000) = 0.3078 + 0.2982 = 0.606 s
    expect(m.estimateNextTtft(3000, 2048, 10000)).toBeCloseTo(0.606, 12);
    // hit 0.5: 2000 → one chunk f(2000, 10000) = 0.2 + 0.1 + 0.003 = 0.303 s
    expect(m.estimateNextTtft(3000, 2048, 10000, 0.5)).toBeCloseTo(0.303, 12);
    expect(m.estimateNextTtft(3000, 0, 10000)).toBeNull();
  });
});
