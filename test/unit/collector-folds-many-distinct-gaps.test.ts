import { describe, expect, it } from "vitest";
import { LogLinearHistogram } from "../../native-free-kernels/histogram.js";
import { POOLED_HISTOGRAM_BITS, RequestCollector } from "../../src/sim/collector.js";
import { ExactMoments } from "../../src/sim/exact-moments.js";

// The collector counts equal gaps and folds the distinct ones into its pooled accumulators in batches (and
// whenever they are read). 10,000 tokens of one request with gaps 1 + k/4096 ms (all distinct, so several
// batches) plus 500 tokens with one repeated gap must pool exactly like adding every gap to fresh accumulators.
describe("the collector's pooled ITL and rate equal per-gap accumulation, over many distinct gaps", () => {
  it("10,500 gaps, 10,001 of them distinct", () => {
    const c = new RequestCollector(1);
    const itl = new ExactMoments();
    const rate = new ExactMoments();
    const itlHist = new LogLinearHistogram(POOLED_HISTOGRAM_BITS);
    c.onArrival(0, 0);
    c.onAdmit(0, 0, 0);
    let t = 0;
    c.onToken(0, t);
    const gaps: number[] = [];
    for (let k = 0; k < 10_000; k++) gaps.push(1 + k / 4096);
    for (let k = 0; k < 500; k++) gaps.push(0.75);
    for (const g of gaps) {
      const next = t + g;
      const gap = next - t; // what the collector sees (the time grid rounds it)
      c.onToken(0, next);
      itl.add(gap);
      itlHist.record(gap);
      rate.add(1000 / gap);
      t = next;
    }
    expect(c.itlMoments.count).toBe(10_500);
    expect(c.itlMoments.sum).toBe(itl.sum);
    expect(c.itlMoments.sumOfSquares).toBe(itl.sumOfSquares);
    expect(c.itlMoments.populationStd).toBe(itl.populationStd);
    expect([c.itlMoments.min, c.itlMoments.max]).toEqual([itl.min, itl.max]);
    expect(c.rateMoments.sum).toBe(rate.sum);
    expect(c.rateMoments.sumOfSquares).toBe(rate.sumOfSquares);
    for (const p of [0, 10, 50, 90, 99, 100])
      expect(c.itlHistogram.quantileNearestRank(p)).toBe(itlHist.quantileNearestRank(p));
  });
});
