import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";
import { makeRequests, makeRouter, storedEvent, takeAdmissions } from "../support/router-kit.js";

// overlap_score_weight 0 and idle workers: every logit is 0·… + 4 new blocks = 4, so the tie-breaks decide.
const BS = 16;
const rows = [
  { isl: 64, ids: [1, 2, 3, 4] }, // A: the routed request
  { isl: 160, ids: [50, 51, 52, 53, 54, 55, 56, 57, 58, 59] }, // unrelated blocks, cached only
];

function route(
  seed: number,
  cache: (hashesA: Float64Array, hashesU: Float64Array) => [number, Float64Array, number, number][],
) {
  const requests = makeRequests(rows, BS);
  const router = makeRouter(requests, { config: { overlap_score_weight: 0 }, workers: 3, seed });
  for (const [w, hashes, from, to] of cache(requests.blockHashes(0), requests.blockHashes(1))) {
    router.applyKvEvents(w, storedEvent(hashes, from, to));
  }
  router.onRequestArrival(0, 0);
  return takeAdmissions(router)[0];
}

describe("temperature 0 ties: smallest tree size (no overlap counts as 0), then a seeded uniform draw (docs/design.md#router-cost)", () => {
  it("prefers a worker without matching cache even if it holds many other blocks", () => {
    // w0: overlap 3, tree 3. w1: no overlap (10 unrelated blocks → counts as 0). w2: overlap 2, tree 2.
    const admitted = route(1, (a, u) => [
      [0, a, 0, 3],
      [1, u, 0, 10],
      [2, a, 0, 2],
    ]);
    expect(admitted).toEqual([0, 1, 0, 4]);
  });

  it("among workers with overlap, the one with the smallest tree wins", () => {
    // w0: overlap 3, tree 3. w1: overlap 1, tree 1 + 10 = 11. w2: overlap 2, tree 2 → w2 (reports overlap 2).
    const admitted = route(1, (a, u) => [
      [0, a, 0, 3],
      [1, a, 0, 1],
      [1, u, 0, 10],
      [2, a, 0, 2],
    ]);
    expect(admitted).toEqual([0, 2, 2, 4]);
  });

  it("equal tree sizes: worker = tied[rng.nextBelow(#tied)] in id order, from the router's seed", () => {
    const counts = new Int32Array(3);
    const runs = 600;
    for (let seed = 1; seed <= runs; seed++) {
      const admitted = route(seed, () => []) as number[];
      const expected = new Prng(seed).nextBelow(3); // the router's first draw
      expect(admitted[1]).toBe(expected);
      counts[admitted[1] as number]! += 1;
    }
    // Uniform over 3: mean 200, sd = sqrt(600·(1/3)·(2/3)) ≈ 11.5; allow 4.5 sd.
    for (const c of counts) expect(Math.abs(c - 200)).toBeLessThan(52);
  });

  it("a tie between equal tree sizes only involves the workers with the minimum logit", () => {
    // Weight 1: w1 has the 3-block prefix (logit 1 + 4 = 5) while w0 and w2 sit at 4 + 4 = 8: no draw at all.
    const requests = makeRequests(rows, BS);
    const rng = new Prng(9);
    const router = makeRouter(requests, { workers: 3, seed: 9 });
    router.applyKvEvents(1, storedEvent(requests.blockHashes(0), 0, 3));
    router.onRequestArrival(0, 0);
    expect(takeAdmissions(router)).toEqual([[0, 1, 3, 4]]);
    // The router consumed nothing from its stream: its next tie draw equals a fresh stream's first.
    router.onRequestArrival(1, 0); // 10 unrelated blocks: w0, w2 at 160/16 + 10 = 20; w1 at (160 + 16)/16 + (10 + 4) = 25
    expect(takeAdmissions(router)[0]?.[1]).toBe([0, 2][rng.nextBelow(2)]);
  });
});
