import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/report/summary.js";
import { RequestCollector } from "../../src/sim/collector.js";

/**
 * Four requests, worked by hand (docs/replay.md#the-report):
 *   A: arrives 0, admitted 0, tokens at 10, 12, 15, 20
 *   B: arrives 5, admitted 6, tokens at 30, 30, 50
 *   C: arrives 7, admitted 8, one token at 40
 *   D: arrives 9, never admitted (not completed: contributes nothing below)
 *
 * TTFT = first − arrival: A 10, B 25, C 33          → sorted [10, 25, 33]
 * TTST = second − first:  A 2,  B 0                 → sorted [0, 2]
 * TPOT = (last − first)/(n − 1): A 10/3, B 20/2 = 10 → sorted [10/3, 10]
 * E2E  = last − arrival:  A 20, B 45, C 33          → sorted [20, 33, 45]
 * ITL gaps (pooled): A 2, 3, 5; B 0, 20             → sorted [0, 2, 3, 5, 20]
 *
 * Nearest rank: index round((n−1)·p/100), halves away from zero.
 *   n = 3: p50 → round(1) = 1; p75 → round(1.5) = 2; p90 → round(1.8) = 2; p95, p99 → 2
 *   n = 2: p50 → round(0.5) = 1 (the half rounds up); p75 → round(0.75) = 1; …
 *   n = 5: p50 → 2; p75 → round(3) = 3; p90 → round(3.6) = 4; p95, p99 → 4
 * Population std = √(n·Σx² − (Σx)²) / n:
 *   TTFT: Σx = 68, Σx² = 100 + 625 + 1089 = 1814 → 3·1814 − 68² = 5442 − 4624 = 818 → √818 / 3
 *   TTST: mean 1, deviations ±1 → 1
 *   TPOT: two values 10/3 and 10 → half their difference = 10/3
 *   E2E:  Σx = 98, Σx² = 400 + 1089 + 2025 = 3514 → 3·3514 − 98² = 10542 − 9604 = 938 → √938 / 3
 *   ITL:  Σx = 30, Σx² = 0 + 4 + 9 + 25 + 400 = 438 → 5·438 − 30² = 2190 − 900 = 1290 → √1290 / 5
 */
function fourRequests(): RequestCollector {
  const c = new RequestCollector(4);
  c.onArrival(0, 0);
  c.onAdmit(0, 0, 0);
  for (const t of [10, 12, 15, 20]) c.onToken(0, t);
  c.onArrival(1, 5);
  c.onAdmit(1, 6, 0);
  for (const t of [30, 30, 50]) c.onToken(1, t);
  c.onArrival(2, 7);
  c.onAdmit(2, 8, 0);
  c.onToken(2, 40);
  c.onArrival(3, 9);
  return c;
}

const trace = { inputTokens: new Uint32Array([10, 10, 10, 10]), outputTokens: new Uint32Array([4, 3, 1, 5]) };

describe("latency distributions of a hand-worked replay", () => {
  const r = buildReport(fourRequests(), trace, 1);

  it("TTFT: exact nearest-rank percentiles and population std", () => {
    expect(r.mean_ttft_ms).toBeCloseTo(68 / 3, 12);
    expect([r.min_ttft_ms, r.max_ttft_ms]).toEqual([10, 33]);
    expect([r.median_ttft_ms, r.p75_ttft_ms, r.p90_ttft_ms, r.p95_ttft_ms, r.p99_ttft_ms]).toEqual([
      25, 33, 33, 33, 33,
    ]);
    expect(r.std_ttft_ms).toBeCloseTo(Math.sqrt(818) / 3, 12);
  });

  it("TTST: the n = 2 median takes the upper element (0.5 rounds away from zero)", () => {
    expect([r.mean_ttst_ms, r.min_ttst_ms, r.max_ttst_ms, r.std_ttst_ms]).toEqual([1, 0, 2, 1]);
    expect([r.median_ttst_ms, r.p75_ttst_ms, r.p99_ttst_ms]).toEqual([2, 2, 2]);
  });

  it("TPOT: (last − first)/(n − 1) per request", () => {
    expect(r.min_tpot_ms).toBeCloseTo(10 / 3, 12);
    expect(r.max_tpot_ms).toBe(10);
    expect(r.mean_tpot_ms).toBeCloseTo(20 / 3, 12);
    expect(r.median_tpot_ms).toBe(10);
    expect(r.std_tpot_ms).toBeCloseTo(10 / 3, 12);
  });

  it("E2E: last token − arrival", () => {
    expect(r.mean_e2e_latency_ms).toBeCloseTo(98 / 3, 12);
    expect([r.min_e2e_latency_ms, r.max_e2e_latency_ms]).toEqual([20, 45]);
    expect([r.median_e2e_latency_ms, r.p75_e2e_latency_ms, r.p99_e2e_latency_ms]).toEqual([33, 45, 45]);
    expect(r.std_e2e_latency_ms).toBeCloseTo(Math.sqrt(938) / 3, 12);
  });

  it("ITL: exact mean/std/min/max; histogram percentiles within 2^−10 of the sorted gaps", () => {
    expect([r.mean_itl_ms, r.min_itl_ms, r.max_itl_ms]).toEqual([6, 0, 20]);
    expect(r.std_itl_ms).toBeCloseTo(Math.sqrt(1290) / 5, 12);
    const bound = 2 ** -10;
    expect(Math.abs((r.median_itl_ms as number) - 3)).toBeLessThanOrEqual(3 * bound);
    expect(Math.abs((r.p75_itl_ms as number) - 5)).toBeLessThanOrEqual(5 * bound);
    // Rank n−1 is the exact maximum.
    expect([r.p90_itl_ms, r.p95_itl_ms, r.p99_itl_ms]).toEqual([20, 20, 20]);
  });

  it("an empty replay reports every distribution as null (no sample), not zeros", () => {
    const empty = buildReport(
      new RequestCollector(0),
      { inputTokens: new Uint32Array(), outputTokens: new Uint32Array() },
      0,
    );
    for (const [key, value] of Object.entries(empty)) {
      if (/_(ttft|ttst|tpot|itl|e2e_latency)_ms$|_output_token_throughput_per_user$/.test(key))
        expect(value, key).toBeNull();
    }
  });
});
