import { describe, expect, it } from "vitest";
import {
  enginesFor,
  ids,
  type RecordingPassTime,
  runScenario,
  type Scenario,
} from "../support/engine-kit.js";

// Chunked prefill shares max_num_batched_tokens = 32 per pass: running requests first, then admissions.
// Perf (test kit): prefill = B·(meanIsl − meanPrefix) ms, decode step = 5 ms. Block size 16.
//   R0: isl 80, osl 2.  R1: isl 20, osl 1. Both arrive at 0.
// Pass 1 @0:   R0 admitted, chunk 32 (budget 0); R1 blocked (desired 0).    prefill(1, 32, 0) = 32  → end 32
// Pass 2 @32:  R0 chunk 32..64 (budget 0); R1 blocked.                      prefill(1, 64, 32) = 32 → end 64
// Pass 3 @64:  R0 chunk 64..80 (budget 16); R1 admitted, chunk 0..16.
//              B = 2, ΣISL = 80 + 16 = 96 → 48, ΣPRE = 64 + 0 → 32:       prefill(2, 48, 32) = 32 → 96
//              R0 completes its prompt → first token after one decode step: 96 + 5 = 101
// Pass 4 @101: R0 decode (1 token), R1 chunk 16..20: prefill(1, 20, 16) = 4 → 105; both ready → 110
//              R0's 2nd token completes it; R1's first token completes it.
const scenario: Scenario = {
  args: { max_num_batched_tokens: 32, num_gpu_blocks: 100 },
  requests: [
    { isl: 80, osl: 2, hashIds: ids(1, 5) },
    { isl: 20, osl: 1, hashIds: ids(11, 2) },
  ],
};

describe.each(["fast", "reference"] as const)(
  "chunked prefill within the token budget (%s engine)",
  (name) => {
    it("splits prompts into budget-sized chunks, running requests first, and times each pass", () => {
      const e = enginesFor(scenario).find((x) => x.name === name)!;
      const out = runScenario(scenario, e);
      expect(out.passes.map((p) => [p.startMs, p.endMs])).toEqual([
        [0, 32],
        [32, 64],
        [64, 101],
        [101, 110],
      ]);
      expect(out.requests[0]?.tokenTimesMs).toEqual([101, 110]);
      expect(out.requests[1]?.tokenTimesMs).toEqual([110]);
      expect(out.requests[0]?.admissions).toEqual([{ atMs: 0, reusedTokens: 0 }]);
      expect(out.requests[1]?.admissions).toEqual([{ atMs: 64, reusedTokens: 0 }]);
      expect((e.passTime as RecordingPassTime).prefillCalls).toEqual([
        [1, 32, 0],
        [1, 64, 32],
        [2, 48, 32],
        [1, 20, 16],
      ]);
      // Decode batches: pass 3 = {R0} with ctx 80; pass 4 = {R0 (81), R1 (20)} → ctx ⌊101 / 2⌋ = 50.
      expect((e.passTime as RecordingPassTime).decodeCalls.map((c) => [c[0], c[2]])).toEqual([
        [1, 80],
        [2, 50],
      ]);
    });
  },
);
