import { describe, expect, it } from "vitest";
import { FPM_LAYOUT as F, fpmToMetrics } from "../../src/signals/fpm-layout.js";
import { enginesFor, passAt } from "../support/engine-kit.js";

// Forward-pass snapshot (docs/design.md#forward-pass-metrics): scheduled prefills (entries with prompt
// tokens), scheduled decodes (the rest), queued prefills (waiting, never preempted) and queued decodes
// (waiting after preemption), with population variances.
// Block size 16, budget 40. Perf: prefill = B·(isl − prefix), decode 5.
//   A isl 30, B isl 20, C isl 50, D isl 10 (osl 5 each), all at 0.
//   Pass 1 @0: A 30 tokens (budget 10), B 10 of 20 (budget 0), C blocked.
//     sched prefill: n 2, tokens 30 + 10 = 40, var{30, 20} = 25, kv 0;  sched decode: none
//     queued prefill: C, D → n 2, Σ 60, var{50, 10} = 400
//     prefill(2, ⌊40/2⌋ = 20, 0) = 40, A ready → 45 ms.
//   Pass 2 @45: A decodes (len 31, budget 39), B 10..20 (budget 29), C 0..29 (budget 0), D blocked.
//     sched prefill: B, C → n 2, tokens 10 + 29 = 39, var{20, 50} = 225, kv 10 + 0 = 10
//     sched decode: A → n 1, Σ 31, var 0;  queued prefill: D → 1, 10, 0
//     prefill(2, ⌊(20 + 29)/2⌋ = 24, ⌊10/2⌋ = 5) = 38 → 45 + 38 + 5 = 88 → wall 0.043 s.
const requests = [
  { isl: 30, osl: 5, hashIds: [1, 2] },
  { isl: 20, osl: 5, hashIds: [3, 4] },
  { isl: 50, osl: 5, hashIds: [5, 6, 7, 8] },
  { isl: 10, osl: 5, hashIds: [9] },
];

describe.each(["fast", "reference"] as const)("forward-pass snapshot (%s engine)", (name) => {
  it("summarises scheduled and queued work with Welford population variances", () => {
    const e = enginesFor({ args: { max_num_batched_tokens: 40 }, requests }).find((x) => x.name === name)!;
    const p1 = passAt(e, 0, [0, 1, 2, 3]);
    const expected1 = [0.045, 2, 40, 25, 0, 0, 0, 0, 2, 60, 400, 0, 0, 0];
    expect(p1.fpm).toEqual(expected1);
    const p2 = passAt(e, 45);
    expect(p2.endMs).toBe(88);
    expect(p2.fpm[F.WALL_TIME_S]).toBeCloseTo(0.043, 12);
    expect(p2.fpm.slice(1)).toEqual([2, 39, 225, 10, 1, 31, 0, 1, 10, 0, 0, 0, 0]);
  });

  it("counts preempted waiting requests as queued decodes and drops a decode-step victim's entry", () => {
    // LIFO decode-victim case (3 × isl 16, osl 2, 5 blocks): in pass 1 C is preempted at its decode step,
    // so its prefill entry leaves the scheduled set and C waits as a queued decode of length 16.
    const e = enginesFor({
      args: { num_gpu_blocks: 5, preemption_mode: "lifo" },
      requests: [
        { isl: 16, osl: 2, hashIds: [1] },
        { isl: 16, osl: 2, hashIds: [2] },
        { isl: 16, osl: 2, hashIds: [3] },
      ],
    }).find((x) => x.name === name)!;
    const p1 = passAt(e, 0, [0, 1, 2]);
    expect(p1.preempted).toEqual([2]);
    expect(p1.fpm).toEqual([0.053, 2, 32, 0, 0, 0, 0, 0, 0, 0, 0, 1, 16, 0]);
  });
});

describe("fpmToMetrics", () => {
  it("maps a snapshot row to the planner's ForwardPassMetrics", () => {
    const row = new Float64Array(F.FIELD_COUNT + 2);
    for (let f = 0; f < F.FIELD_COUNT; f++) row[2 + f] = f + 0.5;
    const m = fpmToMetrics(row, 2, "w3", 17);
    expect(m).toEqual({
      workerId: "w3",
      dpRank: 0,
      counterId: 17,
      wallTime: 0.5,
      scheduled: {
        numPrefillRequests: 1.5,
        sumPrefillTokens: 2.5,
        varPrefillLength: 3.5,
        sumPrefillKvTokens: 4.5,
        numDecodeRequests: 5.5,
        sumDecodeKvTokens: 6.5,
        varDecodeKvTokens: 7.5,
      },
      queued: {
        numPrefillRequests: 8.5,
        sumPrefillTokens: 9.5,
        varPrefillLength: 10.5,
        numDecodeRequests: 11.5,
        sumDecodeKvTokens: 12.5,
        varDecodeKvTokens: 13.5,
      },
    });
  });
});
