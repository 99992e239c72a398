import { describe, expect, it } from "vitest";
import { enginesFor, runScenario, type Scenario } from "../support/engine-kit.js";

// A decode step that cannot get its new block preempts a victim (docs/design.md#engine-pass, step 6): LIFO
// takes the newest running request, FIFO the oldest. Victims free their blocks tail-first, keep their
// generated tokens, and return to the front of the waiting queue; re-admission reuses whatever of their
// prefix is still cached.
// Block size 16, num_gpu_blocks 5, no budget limit. Perf: prefill = B·(isl − prefix) ms, decode 5 ms.
// A, B, C: isl 16 (one full block each, distinct), osl 2, all at 0.
// Pass 1 @0: all admitted, prefill(3, 16, 0) = 48 → ready at 48. Each first token starts a new block:
//   A and B take the 4th and 5th block; C finds the pool full with nothing inactive.
const scenario = (mode: "lifo" | "fifo"): Scenario => ({
  args: { num_gpu_blocks: 5, max_num_batched_tokens: null, preemption_mode: mode },
  requests: [
    { isl: 16, osl: 2, hashIds: [1] },
    { isl: 16, osl: 2, hashIds: [2] },
    { isl: 16, osl: 2, hashIds: [3] },
  ],
});

describe.each(["fast", "reference"] as const)("decode-step preemption (%s engine)", (name) => {
  it("LIFO: the newest request (C itself) is the victim; it is re-admitted from cache and finishes last", () => {
    // Pass 1: C preempted (its own victim) → tokens A, B at 53; C's block h3 goes inactive.
    // Pass 2 @53: C re-admitted, prompt cached (reused 16, no prefill); A, B complete (their blocks go
    //   inactive), so C's fresh partial evicts the least recently freed block → tokens A, B, C at 58.
    // Pass 3 @58: C's 2nd token → 63.
    const s = scenario("lifo");
    const e = enginesFor(s).find((x) => x.name === name)!;
    const out = runScenario(s, e);
    expect(out.requests.map((r) => r.tokenTimesMs)).toEqual([
      [53, 58],
      [53, 58],
      [58, 63],
    ]);
    expect(out.requests.map((r) => r.preemptions)).toEqual([0, 0, 1]);
    expect(out.requests[2]?.admissions).toEqual([
      { atMs: 0, reusedTokens: 0 },
      { atMs: 53, reusedTokens: 16 },
    ]);
  });

  it("FIFO: the oldest request (A, after its first token) is the victim; its re-admission preempts B", () => {
    // Pass 1: A preempted after emitting → C gets A's freed block; tokens A, B, C at 53.
    // Pass 2 @53: A re-admitted: h1 cached (reused 16), recompute its 1 generated token; its partial block was
    //   evicted and the pool is full → victim = oldest running = B. No prompt tokens → no prefill time;
    //   C and A complete at 58.
    // Pass 3 @58: B re-admitted (reused 16) → its 2nd token at 63.
    const s = scenario("fifo");
    const e = enginesFor(s).find((x) => x.name === name)!;
    const out = runScenario(s, e);
    expect(out.requests.map((r) => r.tokenTimesMs)).toEqual([
      [53, 58],
      [53, 63],
      [53, 58],
    ]);
    expect(out.requests.map((r) => r.preemptions)).toEqual([1, 1, 0]);
    expect(out.requests.map((r) => r.admissions.map((a) => [a.atMs, a.reusedTokens]))).toEqual([
      [
        [0, 0],
        [53, 16],
      ],
      [
        [0, 0],
        [58, 16],
      ],
      [[0, 0]],
    ]);
    expect(out.passes.map((p) => [p.startMs, p.endMs])).toEqual([
      [0, 53],
      [53, 58],
      [58, 63],
    ]);
  });
});
