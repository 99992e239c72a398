// Properties of the KV-hit-rate discount (docs/planner.md#the-kv-reuse-discount): the clamp is the documented
// one (stated here, not imported: a hit rate usable as a discount is 0 when absent or NaN, else clamped into
// [0, 0.95]), the planner's prefill sizing applies exactly that discount, the discount never increases estimated
// prefill work, and estimates are monotone in the hit rate.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clampKvHitRate } from "../../src/planner/kv-hit-rate.js";
import { AggRegressionModel } from "../../src/planner/perf-model/agg.js";
import { PrefillRegressionModel } from "../../src/planner/perf-model/prefill.js";
import { computePrefillReplicas } from "../../src/planner/throughput-scaling.js";
import { passFpm, prefillBenchmark, state } from "../support/planner-kit.js";

/** The documented cap: at most 95 % of prefill work is ever discounted. */
const CAP = 0.95;

/** The documented clamp, written out: null, undefined and NaN apply no discount; the rest lies in [0, CAP]. */
function expectedClamp(h: number | null | undefined): number {
  if (h === null || h === undefined || Number.isNaN(h)) return 0;
  if (h <= 0) return 0;
  return h > CAP ? CAP : h;
}

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
  it("the clamp is the documented one: 0 for no rate, else the rate within [0, 0.95]", () => {
    fc.assert(
      fc.property(hitRate, (h) => {
        expect(clampKvHitRate(h)).toBe(expectedClamp(h));
      }),
      { seed: 42, numRuns: 500 },
    );
    // The ends and just past them, whatever the random draws.
    for (const h of [0.95, 0.9500001, 0.97, 0.99, 1, -0.01]) expect(clampKvHitRate(h)).toBe(expectedClamp(h));
  });

  it("the planner's prefill sizing and load estimate price each request at ISL · (1 − clamp(hit))", () => {
    // The kit's prefill regression is wall = 0.001·x + 0.002 s on exact data; one request of x ≤ max_num_batched_
    // tokens tokens takes one pass, so an engine sustains 1 / (0.001·x + 0.002) requests/s at x = ISL·(1 − clamp).
    const s = state(
      { mode: "prefill", optimization_target: "sla", load_predictor: "constant" },
      { prefill: { maxNumBatchedTokens: 2048, numGpu: 1 } },
    );
    s.models?.prefill?.loadBenchmarkFpms(prefillBenchmark());
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2048 }), hitRate, (isl, h) => {
        const replicas = computePrefillReplicas(s, 10, isl, h ?? null);
        const rps = 1 / (0.001 * isl * (1 - expectedClamp(h)) + 0.002);
        expect(replicas).not.toBeNull();
        expect(s.diag.engineRpsPrefill as number).toBeCloseTo(rps, 6);
        expect(replicas).toBe(Math.max(Math.ceil(10 / (s.diag.engineRpsPrefill as number)), 1));
        // The load rule's TTFT estimate: nothing queued plus one average request (the kit's avg ISL is 1500),
        // discounted the same way: 0.001 · 1500 · (1 − clamp) + 0.002 s in one 2048-token pass.
        const ttft = s.models?.prefill?.estimateNextTtft(0, 2048, h) as number;
        expect(ttft).toBeCloseTo(0.001 * 1500 * (1 - expectedClamp(h)) + 0.002, 9);
      }),
      { seed: 42, numRuns: 300 },
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
