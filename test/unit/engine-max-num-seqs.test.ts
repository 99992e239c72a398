import { describe, expect, it } from "vitest";
import { enginesFor, runScenario } from "../support/engine-kit.js";

// Admission stops when max_num_seqs requests are running (docs/design.md#engine-pass, step 3).
// max_num_seqs 2, block size 16. Three requests at 0: isl 16, osl 2 each.
//   Pass 1 @0: R0, R1 admitted: prefill(2, 16, 0) = 32 → tokens at 37.
//   Pass 2 @37: R0, R1 decode and complete at 42. R2 still waits (2 running at admission time).
//   Pass 3 @42: R2 admitted: prefill 16 → token at 63; pass 4 → 68.
describe.each(["fast", "reference"] as const)("max_num_seqs (%s engine)", (name) => {
  it("caps the running batch", () => {
    const s = {
      args: { max_num_seqs: 2 },
      requests: [
        { isl: 16, osl: 2, hashIds: [1] },
        { isl: 16, osl: 2, hashIds: [2] },
        { isl: 16, osl: 2, hashIds: [3] },
      ],
    };
    const e = enginesFor(s).find((x) => x.name === name)!;
    const out = runScenario(s, e);
    expect(out.requests.map((r) => r.tokenTimesMs)).toEqual([
      [37, 42],
      [37, 42],
      [63, 68],
    ]);
    expect(out.requests[2]?.admissions).toEqual([{ atMs: 42, reusedTokens: 0 }]);
  });
});
