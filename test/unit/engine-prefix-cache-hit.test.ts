import { describe, expect, it } from "vitest";
import { enginesFor, type RecordingPassTime, runScenario, type Scenario } from "../support/engine-kit.js";

// Prefix-cache hit (docs/design.md#prefix-caching): the contiguous run of the prompt's blocks present in
// active ∪ inactive, from the first block, in tokens: cached = min(run·bs, isl); a trailing partial block
// never matches.
// Block size 16 (= trace block size, so one hash id per engine block). Perf: prefill = B·(isl − prefix), decode 5.
//   R0 @0:   isl 40 ids [1,2,3]: 2 full blocks + an 8-token partial. No hit. prefill(1,40,0) = 40 → token 45.
//   R1 @45:  isl 48 ids [1,2,3]: blocks 0,1 match R0's (inactive now); block 2 is new (R0 had only a partial).
//            cached 32 → prefill(1, 48, 32) = 16 → token at 45 + 16 + 5 = 66.
//   R2 @66:  isl 48 ids [9,2,3]: block 0 differs, and chained hashes make every later block differ → no hit.
//            prefill(1, 48, 0) = 48 → 66 + 48 + 5 = 119.
//   R3 @119: isl 40 ids [1,2,4]: blocks 0,1 match; block 2 is a partial (never matched) → cached 32.
//            prefill(1, 40, 32) = 8 → 119 + 8 + 5 = 132.
const scenario: Scenario = {
  args: { num_gpu_blocks: 100 },
  requests: [
    { isl: 40, osl: 1, hashIds: [1, 2, 3], arrivalMs: 0 },
    { isl: 48, osl: 1, hashIds: [1, 2, 3], arrivalMs: 45 },
    { isl: 48, osl: 1, hashIds: [9, 2, 3], arrivalMs: 66 },
    { isl: 40, osl: 1, hashIds: [1, 2, 4], arrivalMs: 119 },
  ],
};

describe.each(["fast", "reference"] as const)("prefix-cache hits (%s engine)", (name) => {
  it("reuse the contiguous cached run of full blocks, capped at the prompt, and skip its prefill", () => {
    const e = enginesFor(scenario).find((x) => x.name === name)!;
    const out = runScenario(scenario, e);
    expect(out.requests.map((r) => r.admissions[0]?.reusedTokens)).toEqual([0, 32, 0, 32]);
    expect(out.requests.map((r) => r.tokenTimesMs)).toEqual([[45], [66], [119], [132]]);
    expect((e.passTime as RecordingPassTime).prefillCalls).toEqual([
      [1, 40, 0],
      [1, 48, 32],
      [1, 48, 0],
      [1, 40, 32],
    ]);
  });

  it("publish one Stored event per allocation: new full blocks only, chained under the last cached block", () => {
    const e = enginesFor(scenario).find((x) => x.name === name)!;
    const out = runScenario(scenario, e);
    const h = (id: number): number[] => Array.from(e.requests.materialize(id));
    const [r0b0, r0b1] = h(0) as [number, number];
    const r1 = h(1);
    expect(out.passes.map((p) => p.events)).toEqual([
      [{ kind: "stored", parent: null, hashes: [r0b0, r0b1] }],
      [{ kind: "stored", parent: r0b1, hashes: [r1[2]] }],
      [{ kind: "stored", parent: null, hashes: h(2) }],
      [],
    ]);
    expect(r1.slice(0, 2)).toEqual([r0b0, r0b1]);
  });
});
