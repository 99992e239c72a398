import { describe, expect, it } from "vitest";
import { DecodeRegressionModel } from "../../src/planner/perf-model/decode.js";
import { PrefillRegressionModel } from "../../src/planner/perf-model/prefill.js";
import { passFpm } from "../support/planner-kit.js";

const fpm = (
  numPrefill: number,
  prefillTokens: number,
  numDecode: number,
  decodeKv: number,
  wallTime: number,
) => passFpm("w0", numPrefill, prefillTokens, numDecode, decodeKv, wallTime);

const prefillTokensOf = (m: PrefillRegressionModel) => m.storedSamples().map((s) => s.x[0]);

describe("bucketed sample retirement (1-D, 4 buckets, cap 4)", () => {
  // Walk-through (B = 4, bounds [min, max], key = trunc((x − min)/(max − min)·4) clamped to 3):
  // s1 x=0   → bounds [0,0], key 0                                   {0:[s1]}
  // s2 x=100 → bounds [0,100], rebuild; key 3                        {0:[s1], 3:[s2]}
  // s3 x=10  → key 0                                                 {0:[s1,s3], 3:[s2]}
  // s4 x=60  → key 2                                                 {0:[s1,s3], 3:[s2], 2:[s4]}
  // s5 x=20  → key 0; 5 > 4 → fullest bucket 0 loses its oldest s1   {0:[s3,s5], 3:[s2], 2:[s4]}
  // s6 x=90  → key 3; tie 0 vs 3 (2 each) → first bucket 0 loses s3 {0:[s5], 3:[s2,s6], 2:[s4]}
  // s7 x=70  → key 2; tie 3 vs 2 → bucket 3 loses s2                 {0:[s5], 3:[s6], 2:[s4,s7]}
  const model = () => new PrefillRegressionModel({ maxNumFpmSamples: 4, minObservations: 1, bucketCount: 4 });
  const feed = (m: PrefillRegressionModel, xs: readonly number[]) => {
    for (const [i, x] of xs.entries()) m.addObservation(fpm(1, x, 0, 0, 0.1 * (i + 1)));
  };

  it("retires the oldest sample of the fullest bucket", () => {
    const m = model();
    feed(m, [0, 100, 10, 60, 20]);
    expect(m.sampleCount).toBe(4);
    expect(prefillTokensOf(m)).toEqual([10, 20, 100, 60]);
  });

  it("breaks ties between equally full buckets by bucket insertion order", () => {
    const m = model();
    feed(m, [0, 100, 10, 60, 20, 90, 70]);
    expect(prefillTokensOf(m)).toEqual([20, 90, 60, 70]);
  });

  it("re-buckets stored samples oldest first when the bounds widen", () => {
    // s8 x=200 widens to [0,200]. Re-insertion in arrival order s4(60→1), s5(20→0), s6(90→1), s7(70→1)
    // gives {1:[s4,s6,s7], 0:[s5]}; s8 → key 3; 5 > 4 → bucket 1 loses s4 → [90, 70, 20, 200].
    // (Re-inserting in gathered bucket order s5, s6, s4, s7 would instead drop s6.)
    const m = model();
    feed(m, [0, 100, 10, 60, 20, 90, 70, 200]);
    expect(prefillTokensOf(m)).toEqual([90, 70, 20, 200]);
  });

  it("does not store idle heartbeats (wall time 0)", () => {
    const m = model();
    feed(m, [0, 100]);
    m.addObservation(fpm(1, 50, 0, 0, 0));
    expect(m.sampleCount).toBe(2);
    // …but the moving averages still see it: avg ISL of (0/1 skipped as leading zero), 100, 50 → 75.
    expect(m.avgIsl).toBe(75);
  });
});

describe("bucketed sample retirement (2-D uses isqrt(bucketCount) buckets per axis)", () => {
  it("keys each axis into 2 cells when bucketCount is 4", () => {
    // cap 3. s1 (n=1,kv=100) {0:[s1]}; s2 (3,300) widens → s1 (0,0)=0, s2 (1,1)=3  {0:[s1],3:[s2]}
    // s3 (1,300) → (0,1)=1 {0:[s1],3:[s2],1:[s3]}; s4 (3,110) → (1, trunc(10/200·2)=0)=2 → 4 > 3, all size 1
    // → bucket 0 loses s1; s5 (2,120) → (trunc(.5·2)=1, 0)=2 → bucket 2 holds s4,s5 → loses s4.
    // With 4 cells per axis s5 would land in cell (2,0) ≠ s4's (3,0) and s2 would be dropped instead.
    const m = new DecodeRegressionModel({ maxNumFpmSamples: 3, minObservations: 1, bucketCount: 4 });
    const points: [number, number][] = [
      [1, 100],
      [3, 300],
      [1, 300],
      [3, 110],
      [2, 120],
    ];
    for (const [i, [n, kv]] of points.entries()) m.addObservation(fpm(0, 0, n, kv, 0.01 * (i + 1)));
    expect(m.storedSamples().map((s) => [...s.x])).toEqual([
      [3, 300],
      [1, 300],
      [2, 120],
    ]);
  });
});
