import { describe, expect, it } from "vitest";
import { workerLogit } from "../../src/sim/router/selector.js";
import { makeRequests, makeRouter, storedEvent, takeAdmissions } from "../support/router-kit.js";

// Request A: 1000 tokens at block size 64 → 15 complete blocks (ids 1..15) + a partial one; isl_blocks = 16.
// Request B: 400 unrelated tokens → 6 complete blocks. Worker 0 holds A's first 5 blocks.
const BS = 64;
const A = 0;
const B = 1;
const ids = Array.from({ length: 15 }, (_, j) => j + 1);

function setup(weight: number, bOnWorker0: "none" | "prefilling" | "decoding") {
  const requests = makeRequests(
    [
      { isl: 1000, ids },
      { isl: 400, ids: [900, 901, 902, 903, 904, 905] },
    ],
    BS,
  );
  const router = makeRouter(requests, { config: { overlap_score_weight: weight }, workers: 1 });
  router.applyKvEvents(0, storedEvent(requests.blockHashes(A), 0, 5));
  if (bOnWorker0 !== "none") {
    router.onRequestArrival(B, 0); // the only worker
    if (bOnWorker0 === "decoding") router.onPrefillCompleted(B, 0);
  }
  router.addWorker(1, 0);
  takeAdmissions(router);
  router.onRequestArrival(A, 0);
  return { router, admitted: takeAdmissions(router) };
}

describe("cost = overlap_score_weight · prefill_tokens/block_size + decode_blocks (docs/design.md#router-cost)", () => {
  it("computes the logit of the worked example", () => {
    // prefill_delta = 1000 − 5·64 = 680 tokens → potential_prefill_block = 680/64 = 10.625; 15 new blocks.
    expect(workerLogit(1, 680, 64, 15)).toBe(25.625);
    expect(workerLogit(0.5, 1000, 64, 6)).toBe(13.8125); // 0.5 · 15.625 + 6
  });

  it("idle workers: the cached prefix wins (25.625 < 30.625) and is reported as overlap", () => {
    // w0: 680/64 + 15 = 25.625; w1: 1000/64 + 15 = 30.625.
    const { router, admitted } = setup(1, "none");
    expect(admitted).toEqual([[A, 0, 5, 16]]);
    // The chosen worker now carries A's uncached prompt as prefill load and its 15 blocks as active.
    expect(router.activeTokens(0, 0)).toBe(680);
    expect(router.activeBlocks.activeBlocks(0)).toBe(15);
  });

  it("prefill load on the cached worker pushes the request away (37.875 > 30.625)", () => {
    // w0: (680 + 400 active tokens)/64 + (15 new + 6 active blocks) = 16.875 + 21 = 37.875; w1: 30.625.
    const { admitted } = setup(1, "prefilling");
    expect(admitted).toEqual([[A, 1, 0, 16]]);
  });

  it("decode load alone still outweighs the prefix at weight 1 (31.625 > 30.625) but not at weight 2", () => {
    // Weight 1: w0 = 680/64 + 21 = 31.625, w1 = 30.625 → w1.
    expect(setup(1, "decoding").admitted).toEqual([[A, 1, 0, 16]]);
    // Weight 2: w0 = 2·10.625 + 21 = 42.25, w1 = 2·15.625 + 15 = 46.25 → w0.
    expect(setup(2, "decoding").admitted).toEqual([[A, 0, 5, 16]]);
  });
});
