// Properties of the KV-hit-rate discount (docs/planner.md#the-kv-reuse-discount): the clamp stays in
// [0, 0.95], the discount never increases estimated prefill work, and estimates are monotone in the hit rate.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clampKvHitRate, MAX_KV_HIT_RATE_DISCOUNT } from "../../src/planner/kv-hit-rate.js";
import { AggRegressionModel } from "../../src/planner/perf-model/agg.js";
import { PrefillRegressionModel } from "../../src/planner/perf-model/prefill.js";
import { passFpm } from "../support/planner-kit.js";

const fpm = (
  numPrefill: number,
  prefillTokens: number,
  numDecode: number,
  decodeKv: number,
  wallTime: number,
) => passFpm("w", numPrefill, prefillTokens, numDecode, decodeKv, wallTime);

const options = { maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 };

/** A fitted prefill model wall = slope·x + intercept (intercept may be negative: f floors at 1e-6). */
function prefillModel(slope: number, intercept: number): PrefillRegressionModel {
  const m = new PrefillRegressionModel(options);
  for (const x of [256, 512, 1024, 2048, 4096]) m.addObservation(fpm(1, x, 0, 0, slope * x + intercept));
  return m;
}

function aggModel(a: number, c: number, b: number): AggRegressionModel {
  const m = new AggRegressionModel(options);
  const passes: [number, number][] = [
    [1000, 0],
    [2000, 10000],
    [0, 20000],
    [500, 5000],
    [1500, 30000],
  ];
  for (const [p, d] of passes) m.addObservation(fpm(p > 0 ? 1 : 0, p, d > 0 ? 10 : 0, d, a * p + c * d + b));
  return m;
}

const hitRate = fc.oneof(
  fc.double({ min: -1, max: 2, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, undefined),
);
const slope = fc.double({ min: 1e-7, max: 1e-2, noNaN: true });
const intercept = fc.double({ min: -0.05, max: 0.05, noNaN: true });
const queued = fc.integer({ min: 0, max: 200_000 });
const mbt = fc.integer({ min: 1, max: 16384 });
const unitHit = fc.double({ min: 0, max: 1, noNaN: true });

describe("KV-hit-rate discount properties", () => {
  it("clamp output always lies in [0, 0.95]", () => {
    fc.assert(
      fc.property(hitRate, (h) => {
        const c = clampKvHitRate(h);
        return c >= 0 && c <= MAX_KV_HIT_RATE_DISCOUNT;
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it("the discount never increases estimated prefill TTFT", () => {
    fc.assert(
      fc.property(slope, intercept, queued, mbt, hitRate, (a, b, q, m, h) => {
        const model = prefillModel(a, b);
        const discounted = model.estimateNextTtft(q, m, h)!;
        const full = model.estimateNextTtft(q, m, null)!;
        expect(discounted).toBeLessThanOrEqual(full);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("prefill and agg TTFT estimates are non-increasing in the hit rate", () => {
    fc.assert(
      fc.property(
        slope,
        intercept,
        queued,
        mbt,
        unitHit,
        unitHit,
        fc.integer({ min: 0, max: 100_000 }),
        (a, b, q, m, h1, h2, kv) => {
          const [lo, hi] = h1 <= h2 ? [h1, h2] : [h2, h1];
          const p = prefillModel(a, b);
          expect(p.estimateNextTtft(q, m, hi)!).toBeLessThanOrEqual(p.estimateNextTtft(q, m, lo)!);
          const g = aggModel(a, a / 10, Math.abs(b));
          expect(g.estimateNextTtft(q, m, kv, hi)!).toBeLessThanOrEqual(g.estimateNextTtft(q, m, kv, lo)!);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("prefill engine capacity on the effective ISL is non-decreasing in the hit rate", () => {
    fc.assert(
      fc.property(
        slope,
        intercept,
        fc.integer({ min: 1, max: 100_000 }),
        mbt,
        unitHit,
        unitHit,
        (a, b, isl, m, h1, h2) => {
          const [lo, hi] = h1 <= h2 ? [h1, h2] : [h2, h1];
          const model = prefillModel(a, b);
          const rpsLo = model.findBestEnginePrefillRps(500, isl * (1 - clampKvHitRate(lo)), m).engineRps;
          const rpsHi = model.findBestEnginePrefillRps(500, isl * (1 - clampKvHitRate(hi)), m).engineRps;
          expect(rpsHi).toBeGreaterThanOrEqual(rpsLo * (1 - 1e-12));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("agg engine capacity is non-decreasing and its TTFT non-increasing in the hit rate", () => {
    fc.assert(
      fc.property(
        slope,
        fc.integer({ min: 100, max: 8000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 256, max: 8192 }),
        fc.double({ min: 10, max: 5000, noNaN: true }),
        fc.double({ min: 5, max: 500, noNaN: true }),
        unitHit,
        unitHit,
        (a, isl, osl, m, ttftSla, itlSla, h1, h2) => {
          const [lo, hi] = h1 <= h2 ? [h1, h2] : [h2, h1];
          const model = aggModel(a, a / 10, 0.003);
          const rLo = model.findBestEngineAggRps(isl, osl, m, ttftSla, itlSla, 2_000_000, 256, lo);
          const rHi = model.findBestEngineAggRps(isl, osl, m, ttftSla, itlSla, 2_000_000, 256, hi);
          expect(rHi.engineRps).toBeGreaterThanOrEqual(rLo.engineRps * (1 - 1e-12));
          // Same batch size → TTFT can only fall; a larger batch may raise it, so compare at bs = 1.
          const oneLo = model.estimateNextTtft(
            Math.trunc(Math.min(isl / osl, m)),
            m,
            Math.trunc(isl + osl / 2),
            lo,
          )!;
          const oneHi = model.estimateNextTtft(
            Math.trunc(Math.min(isl / osl, m)),
            m,
            Math.trunc(isl + osl / 2),
            hi,
          )!;
          expect(oneHi).toBeLessThanOrEqual(oneLo);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});
