import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/report/summary.js";
import { RequestCollector } from "../../src/sim/collector.js";

/**
 * Five trace rows (input, requested output):
 *   A (1024, 4): arrives 0, admitted with 512 cached, preempted, re-admitted with 256 cached → reused max 512;
 *                tokens 10, 20, 30, 40
 *   B (600, 3):  arrives 5, admitted with 0 cached; tokens 30, 35, 50
 *   C (100, 5):  arrives 7, admitted with 64 cached; ONE token at 45 (completed: requested OSL 5 still counts)
 *   D (50, 7):   arrives 9, admitted, no token yet → not completed
 *   E (70, 2):   never arrives → not counted at all
 * num_requests = 4 (A–D arrived); completed = 3 (A, B, C)
 * total_input = 1024 + 600 + 100 = 1724; total_output (requested) = 4 + 3 + 5 = 12
 * duration_ms = max last token = 50 → 0.05 s
 *   request_throughput_rps = 3 / 0.05 = 60; input 1724 / 0.05 = 34480; output 12 / 0.05 = 240;
 *   total 1736 / 0.05 = 34720
 * processed_tokens = 1736; wall 2000 ms → processed_tokens_per_s = 868, processed_output_tokens_per_s = 6
 * prefix_cache_reused_ratio = (512 + 0 + 64) / 1724 = 576 / 1724
 */
describe("report counts, throughputs and prefix reuse", () => {
  const c = new RequestCollector(5);
  c.onArrival(0, 0);
  c.onAdmit(0, 1, 512);
  c.onPreempt(0);
  c.onAdmit(0, 3, 256);
  for (const t of [10, 20, 30, 40]) c.onToken(0, t);
  c.onArrival(1, 5);
  c.onAdmit(1, 5, 0);
  for (const t of [30, 35, 50]) c.onToken(1, t);
  c.onArrival(2, 7);
  c.onAdmit(2, 8, 64);
  c.onToken(2, 45);
  c.onArrival(3, 9);
  c.onAdmit(3, 9, 10);
  const trace = {
    inputTokens: new Uint32Array([1024, 600, 100, 50, 70]),
    outputTokens: new Uint32Array([4, 3, 5, 7, 2]),
  };
  const r = buildReport(c, trace, 2000);

  it("counts arrived vs completed requests and sums requested lengths of completed ones", () => {
    expect(r.num_requests).toBe(4);
    expect(r.completed_requests).toBe(3);
    expect(r.total_input_tokens).toBe(1724);
    expect(r.total_output_tokens).toBe(12);
    expect(r.processed_tokens).toBe(1736);
  });

  it("divides virtual throughputs by the max last-token time", () => {
    expect(r.duration_ms).toBe(50);
    expect(r.request_throughput_rps).toBeCloseTo(60, 9);
    expect(r.input_throughput_tok_s).toBeCloseTo(34480, 6);
    expect(r.output_throughput_tok_s).toBeCloseTo(240, 9);
    expect(r.total_throughput_tok_s).toBeCloseTo(34720, 6);
  });

  it("divides processed-token rates by wall time", () => {
    expect(r.wall_time_ms).toBe(2000);
    expect(r.processed_tokens_per_s).toBe(868);
    expect(r.processed_output_tokens_per_s).toBe(6);
  });

  it("reports Σ reused / Σ input over completed requests, reused = max over admissions", () => {
    expect(c.reusedTokens[0]).toBe(512);
    expect(r.prefix_cache_reused_ratio).toBeCloseTo(576 / 1724, 15);
  });

  it("gives zero throughputs and ratio for a replay where nothing completed (1e-9 s floor, 0/0 → 0)", () => {
    const none = new RequestCollector(1);
    none.onArrival(0, 3);
    const empty = buildReport(
      none,
      { inputTokens: new Uint32Array([5]), outputTokens: new Uint32Array([5]) },
      0,
    );
    expect(empty.num_requests).toBe(1);
    expect(empty.completed_requests).toBe(0);
    expect(empty.duration_ms).toBe(0);
    expect([
      empty.request_throughput_rps,
      empty.total_throughput_tok_s,
      empty.prefix_cache_reused_ratio,
    ]).toEqual([0, 0, 0]);
  });

  it("refuses a trace whose length differs from the collector's", () => {
    expect(() =>
      buildReport(c, { inputTokens: new Uint32Array(2), outputTokens: new Uint32Array(2) }, 0),
    ).toThrow(RangeError);
  });
});
