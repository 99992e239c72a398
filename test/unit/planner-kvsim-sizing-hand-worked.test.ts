import { describe, expect, it } from "vitest";
import { sizeDecode } from "../../src/planner/kvsim/decode-sizing.js";
import { chunkedPrefillSeconds, sizePrefill } from "../../src/planner/kvsim/prefill-sizing.js";
import { ScaleDownGate } from "../../src/planner/kvsim/scale-down-gate.js";

// Prefill pass: 10 ms + 10 µs per token. mbt 10 000 → a full pass 0.11 s → 90 909.09 tokens/s per engine.
const prefillPass = (t: number): number => 0.01 + t / 100_000;
const BASE = {
  passSeconds: prefillPass,
  maxBatchedTokens: 10_000,
  arrivalRatePerS: 10,
  uncachedTokensPerRequest: 5000,
  backlogUncachedTokens: 0,
  readyReplicas: 1,
  startupS: 0,
  ttftBudgetS: 0.3,
  quantile: 0.95,
  variability: 1,
  minReplicas: 1,
  maxReplicas: 64,
};

describe("kvsim prefill sizing", () => {
  it("chunks a prompt into max_num_batched_tokens passes", () => {
    expect(chunkedPrefillSeconds(25_000, 10_000, prefillPass)).toBeCloseTo(2 * 0.11 + 0.06, 12);
    expect(chunkedPrefillSeconds(0, 10_000, prefillPass)).toBe(0);
  });

  it("sizes the arrival stream by the M/M/c wait quantile left after a request's own prefill", () => {
    // Own prefill 0.06 s → wait budget 0.24 s. Service 90 909.09 / 5000 = 18.18 req/s per engine, a = 0.55.
    // c = 1: C = 0.55, p95 wait ln(0.55/0.05) / (18.18 − 10) = 0.293 s > 0.24.
    // c = 2: C = (0.55²/2 · 2/1.45) / (1.55 + that) = 0.1186, wait ln(2.372) / 26.36 = 0.033 s ≤ 0.24 → 2.
    const s = sizePrefill(BASE);
    expect(s.capacityTokensPerS).toBeCloseTo(10_000 / 0.11, 6);
    expect(s.ownPrefillS).toBeCloseTo(0.06, 12);
    expect(s.replicas).toBe(2);
    expect(s.bindingTerm).toBe("demand");
    // With a looser budget (1 s) one engine suffices: the floor.
    expect(sizePrefill({ ...BASE, ttftBudgetS: 1 }).bindingTerm).toBe("floor");
  });

  it("sizes for the arrivals plus the backlog drained within the wait budget, projected over the startup", () => {
    // 200 000 uncached tokens wait; no startup: the arrivals' 50 000 tokens/s plus 200 000 / 0.24 s, at
    // 90 909.09 tokens/s per engine: ceil((50 000 + 833 333.3) / 90 909.09) = ceil(9.72) = 10 engines.
    const now = sizePrefill({ ...BASE, backlogUncachedTokens: 200_000 });
    expect(now.replicas).toBe(10);
    expect(now.bindingTerm).toBe("backlog");
    expect(now.estimatedTtftS).toBeCloseTo(200_000 / (10_000 / 0.11) + 0.06, 9);
    // 10 s of startup: the ready engine drains (90 909 − 50 000 demand) · 10 s = 409 091 > 200 000 tokens first.
    const later = sizePrefill({ ...BASE, backlogUncachedTokens: 200_000, startupS: 10 });
    expect(later.projectedBacklogTokens).toBe(0);
    expect(later.replicas).toBe(2);
    // Two ready engines at 12 000 req·tokens/s more demand than they serve: the backlog grows over the startup.
    const growing = sizePrefill({ ...BASE, arrivalRatePerS: 40, readyReplicas: 1, startupS: 5 });
    // demand 200 000 tokens/s − 90 909.09 = 109 090.9 · 5 s = 545 454.5 tokens ahead when help arrives.
    expect(growing.projectedBacklogTokens).toBeCloseTo((200_000 - 10_000 / 0.11) * 5, 6);
    // Drained over the 5 s startup (longer than the 0.24 s budget): (200 000 + 545 454.5 / 5) / 90 909.09 =
    // 3.4 → 4 engines.
    expect(growing.replicas).toBe(4);
    expect(growing.bindingTerm).toBe("backlog");
  });
});

describe("kvsim decode sizing", () => {
  // Decode pass: 5 ms + 1 ms per sequence. ITL budget 20 ms → at most 15 sequences per engine.
  const DECODE = {
    passSeconds: (b: number) => 0.005 + 0.001 * b,
    maxBatch: 256,
    maxKvTokens: null,
    arrivalRatePerS: 2,
    isl: 1000,
    osl: 100,
    activeRequests: 0,
    itlBudgetS: 0.02,
    quantile: 0.95,
    arrivalVariability: 1,
    minReplicas: 1,
    maxReplicas: 64,
  };

  it("takes the largest batch within the ITL budget and sizes Little's law at the ITL it would see", () => {
    // λ = 40, osl 100: per engine b = 4000·(0.005 + 0.001·b)/n. n ≤ 4: no fixed point (b grows without bound);
    // n = 5: b = 4 + 0.8·b → 20 > 15; n = 6: b = 3.33 + 0.667·b → b = 10, 60 decoding in all, with the p95
    // spread 60 + 1.6449·√60 = 72.74 ≤ 6 · 15 = 90 → 6 engines.
    const s = sizeDecode({ ...DECODE, arrivalRatePerS: 40 });
    expect(s.batchPerEngine).toBe(15);
    expect(s.replicas).toBe(6);
    expect(s.meanConcurrency).toBeCloseTo(60, 6);
    expect(s.concurrencyWithHeadroom).toBeCloseTo(60 + 1.6448536 * Math.sqrt(60), 4);
    expect(s.bindingTerm).toBe("demand");
  });

  it("never sizes below the requests decoding or waiting now", () => {
    // 100 active / 15 per engine → 7.
    const s = sizeDecode({ ...DECODE, activeRequests: 100 });
    expect(s.replicas).toBe(7);
    expect(s.bindingTerm).toBe("active");
  });

  it("caps a batch by the KV it may fill (90 %)", () => {
    // ctx = 1000 + 50 = 1050 tokens; 0.9 · 10 000 / 1050 = 8.57 → 8 sequences per engine.
    expect(sizeDecode({ ...DECODE, maxKvTokens: 10_000 }).batchPerEngine).toBe(8);
  });
});

describe("kvsim hysteresis: scale up at the SLA, down at SLA × headroom after a cooldown", () => {
  it("scales up once the SLA itself would be missed, and then to the comfortable size", () => {
    const g = new ScaleDownGate(60);
    // 2 replicas: the SLA needs 3, headroom 4 → straight to 4.
    expect(g.decide(0, 2, 3, 4)).toEqual({ target: 4, reason: "scale_up" });
    // Within the band (SLA met by 2, comfort asks 3 ≤ 4 current … or equal): nothing moves.
    expect(g.decide(5, 4, 4, 4)).toEqual({ target: 4, reason: "no_change" });
    // Comfort needs more than there is but the SLA is still met: no scale-up yet (the band).
    expect(g.decide(10, 4, 4, 5)).toEqual({ target: 4, reason: "no_change" });
  });

  it("scales down only after the cooldown, to the most the comfortable size asked for meanwhile", () => {
    const g = new ScaleDownGate(60);
    expect(g.decide(0, 2, 4, 4)).toEqual({ target: 4, reason: "scale_up" });
    expect(g.decide(10, 4, 1, 2)).toEqual({ target: 4, reason: "hold_cooldown" });
    expect(g.decide(40, 4, 2, 3)).toEqual({ target: 4, reason: "hold_cooldown" });
    // 60 s since the scale-up but only 50 s since the need fell: hold.
    expect(g.decide(60, 4, 1, 2)).toEqual({ target: 4, reason: "hold_cooldown" });
    // 60 s low: down to 3, the most asked for while waiting (not 2).
    expect(g.decide(70, 4, 1, 2)).toEqual({ target: 3, reason: "scale_down" });
    expect(g.decide(75, 3, 2, 3)).toEqual({ target: 3, reason: "no_change" });
    // A need back at the current size resets the wait.
    expect(g.decide(80, 3, 1, 2)).toEqual({ target: 3, reason: "hold_cooldown" });
    expect(g.decide(100, 3, 2, 3)).toEqual({ target: 3, reason: "no_change" });
    expect(g.decide(150, 3, 1, 2)).toEqual({ target: 3, reason: "hold_cooldown" });
    expect(g.decide(210, 3, 1, 2)).toEqual({ target: 2, reason: "scale_down" });
  });

  it("lets transient capacity — the initial cluster's, or a backlog's — go after 30 s instead of the cooldown", () => {
    const g = new ScaleDownGate(120);
    // The initial 4 replicas were never ordered for demand: 30 s of lower need is enough.
    expect(g.decide(0, 4, 1, 2)).toEqual({ target: 4, reason: "hold_cooldown" });
    expect(g.decide(25, 4, 1, 2)).toEqual({ target: 4, reason: "hold_cooldown" });
    expect(g.decide(30, 4, 1, 2)).toEqual({ target: 2, reason: "scale_down" });
    // Bought for a backlog at t = 100 — one decision at most doubles a pool (2 → 4), the next tick goes on to 6 —
    // and down to the demand's size 30 s after it drained.
    expect(g.decide(100, 2, 5, 6, true)).toEqual({ target: 4, reason: "scale_up" });
    expect(g.decide(105, 4, 5, 6, true)).toEqual({ target: 6, reason: "scale_up" });
    expect(g.decide(110, 6, 2, 2)).toEqual({ target: 6, reason: "hold_cooldown" });
    expect(g.decide(140, 6, 2, 2)).toEqual({ target: 2, reason: "scale_down" });
    // Bought for demand at t = 200: the full 120 s cooldown applies.
    expect(g.decide(200, 2, 3, 3)).toEqual({ target: 3, reason: "scale_up" });
    expect(g.decide(205, 3, 2, 2)).toEqual({ target: 3, reason: "hold_cooldown" });
    expect(g.decide(300, 3, 2, 2)).toEqual({ target: 3, reason: "hold_cooldown" });
    expect(g.decide(325, 3, 2, 2)).toEqual({ target: 2, reason: "scale_down" });
  });
});
