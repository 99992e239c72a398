import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";
import { softmaxProbabilities, softmaxSample } from "../../src/sim/router/selector.js";
import { makeRequests, makeRouter, storedEvent, takeAdmissions } from "../support/router-kit.js";

function probs(logits: number[], temperature: number): number[] {
  const out = new Float64Array(logits.length);
  softmaxProbabilities(Float64Array.from(logits), logits.length, temperature, out);
  return Array.from(out);
}

/** |observed − n·p| within 4.5 binomial standard deviations. */
function expectBinomial(observed: number, n: number, p: number): void {
  expect(Math.abs(observed - n * p)).toBeLessThan(4.5 * Math.sqrt(n * p * (1 - p)));
}

describe("temperature > 0: p_i ∝ exp(−(l_i − l_min)/((l_max − l_min)·T)), one uniform draw (docs/design.md#router-cost)", () => {
  it("computes the probabilities of a logit vector", () => {
    // Logits 1, 2, 3; range 2. T = 1: weights e^0, e^−0.5, e^−1 = 1, 0.60653, 0.36788; sum 1.97441.
    const t1 = probs([1, 2, 3], 1);
    for (const [i, p] of [0.506480391, 0.307195886, 0.186323723].entries()) expect(t1[i]).toBeCloseTo(p, 8);
    // T = 0.5: weights e^0, e^−1, e^−2 = 1, 0.36788, 0.13534; sum 1.50321.
    const t05 = probs([1, 2, 3], 0.5);
    for (const [i, p] of [0.665240956, 0.244728471, 0.090030573].entries()) expect(t05[i]).toBeCloseTo(p, 8);
    // All equal: uniform.
    expect(probs([7, 7, 7, 7], 2)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it("samples with the expected frequencies", () => {
    const rng = new Prng(42);
    const logits = Float64Array.from([1, 2, 3]);
    const scratch = new Float64Array(3);
    const n = 30000;
    const counts = new Int32Array(3);
    for (let i = 0; i < n; i++) counts[softmaxSample(logits, 3, 1, rng, scratch)]! += 1;
    expectBinomial(counts[0] as number, n, 0.506480391);
    expectBinomial(counts[1] as number, n, 0.307195886);
    expectBinomial(counts[2] as number, n, 0.186323723);
  });

  it("the router samples its worker from the softmax of the hand-computed logits", () => {
    // A: 64 tokens at block size 16 (4 blocks); worker 0 caches 2 of them.
    // w0: (64 − 32)/16 + 4 = 6; w1: 64/16 + 4 = 8. T = 1: p0 = 1/(1 + e^−1) = 0.731058579.
    const requests = makeRequests([{ isl: 64, ids: [1, 2, 3, 4] }], 16);
    const p0 = 0.731058579;
    const runs = 2000;
    let onWorker0 = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const router = makeRouter(requests, { config: { router_temperature: 1 }, seed });
      router.applyKvEvents(0, storedEvent(requests.blockHashes(0), 0, 2));
      router.onRequestArrival(0, 0);
      const [admitted] = takeAdmissions(router);
      // The router's one draw r picks worker 0 iff r < p0.
      expect(admitted?.[1]).toBe(new Prng(seed).nextFloat() < p0 ? 0 : 1);
      if (admitted?.[1] === 0) onWorker0++;
    }
    expectBinomial(onWorker0, runs, p0);
  });
});
