import { describe, expect, it } from "vitest";
import { FPM_LAYOUT } from "../../src/signals/fpm-layout.js";
import { enginesFor, type RecordingPassTime, runScenario, type Scenario } from "../support/engine-kit.js";

// A prompt fully cached at a block boundary (docs/design.md#engine-pass): prompt_tokens = 0, so no prefill
// time, and the request is fully computed at admission — its first token comes at the end of that same pass.
// Block size 16. Perf: prefill = B·(isl − prefix), decode 5.
//   R0 @0:  isl 32 ids [1,2], osl 1: prefill(1,32,0) = 32 → token at 37; its blocks go inactive.
//   R1 @37: isl 32 ids [1,2], osl 2: cached 32 = isl → 0 prompt tokens, no prefill → first token at 42, then 47.
const scenario: Scenario = {
  args: { num_gpu_blocks: 100 },
  requests: [
    { isl: 32, osl: 1, hashIds: [1, 2], arrivalMs: 0 },
    { isl: 32, osl: 2, hashIds: [1, 2], arrivalMs: 37 },
  ],
};

describe.each(["fast", "reference"] as const)("fully cached prompt (%s engine)", (name) => {
  it("costs no prefill and emits its first token in the admitting pass", () => {
    const e = enginesFor(scenario).find((x) => x.name === name)!;
    const out = runScenario(scenario, e);
    expect(out.requests[1]?.admissions).toEqual([{ atMs: 37, reusedTokens: 32 }]);
    expect(out.requests[1]?.tokenTimesMs).toEqual([42, 47]);
    expect((e.passTime as RecordingPassTime).prefillCalls).toEqual([[1, 32, 0]]);
    // The admitting pass schedules R1 as a decode entry (no prompt tokens) of sequence length 32.
    const fpm = out.passes[1]?.fpm ?? [];
    expect(fpm[FPM_LAYOUT.SCHED_NUM_PREFILL]).toBe(0);
    expect(fpm[FPM_LAYOUT.SCHED_NUM_DECODE]).toBe(1);
    expect(fpm[FPM_LAYOUT.SCHED_SUM_DECODE_KV_TOKENS]).toBe(32);
  });
});
