// The decode batch binary search agrees with a linear scan (the obviously-correct oracle) on monotone models.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeRegressionModel } from "../../src/planner/perf-model/decode.js";
import { passFpm } from "../support/planner-kit.js";

const decodeFpm = (numDecode: number, decodeKv: number, wallTime: number) =>
  passFpm("d", 0, 0, numDecode, decodeKv, wallTime);

describe("findBestEngineDecodeRps", () => {
  it("matches a linear scan for the largest batch under the SLA", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e-3, noNaN: true }),
        fc.double({ min: 1e-8, max: 1e-4, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.02, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.integer({ min: 1, max: 20000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.option(fc.integer({ min: 1, max: 5_000_000 }), { nil: null }),
        fc.option(fc.integer({ min: 1, max: 512 }), { nil: null }),
        (a, c, b, itlSla, ctx, osl, maxKv, maxSeqs) => {
          const m = new DecodeRegressionModel({ maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 });
          const grid: [number, number][] = [
            [1, 1000],
            [2, 1000],
            [1, 3000],
            [4, 8000],
            [8, 4000],
          ];
          for (const [n, kv] of grid) m.addObservation(decodeFpm(n, kv, a * n + c * kv + b));
          const f = (n: number, kv: number) => {
            const fit = m.coefficients()!;
            return Math.max(1e-6, fit.coef[0]! * n + fit.coef[1]! * kv + fit.intercept);
          };
          const kvCap =
            maxKv !== null ? Math.max(1, Math.trunc(maxKv / ctx)) : Math.max(1, Math.trunc(8000 / ctx));
          const maxBatch = Math.max(1, Math.min(kvCap, maxSeqs ?? kvCap));
          let best = 1;
          if (f(1, ctx) * 1000 <= itlSla) {
            for (let bs = 1; bs <= maxBatch; bs++) if (f(bs, bs * ctx) * 1000 <= itlSla) best = bs;
          }
          const wt = f(best, best * ctx);
          const r = m.findBestEngineDecodeRps(itlSla, ctx, osl, maxKv, maxSeqs);
          expect(r.itlMs).toBeCloseTo(1000 * wt, 9);
          expect(r.engineRps).toBeCloseTo(best / (osl * wt), 9);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
