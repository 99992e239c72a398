import { describe, expect, it } from "vitest";
import { idlePrefillMs, percentileOf } from "../../src/studies/idle-prefill.js";
import type { TraceColumns } from "../../src/trace/columns.js";

/** A trace of one row per prompt length (block size 512, no sessions); only input lengths matter here. */
function promptsTrace(inputTokens: readonly number[]): TraceColumns {
  const n = inputTokens.length;
  const hashOffsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++)
    hashOffsets[i + 1] = (hashOffsets[i] as number) + Math.ceil((inputTokens[i] as number) / 512);
  const hashCount = hashOffsets[n] as number;
  return {
    count: n,
    traceBlockSize: 512,
    arrivalMs: new Float64Array(n),
    inputTokens: Uint32Array.from(inputTokens),
    outputTokens: new Uint32Array(n).fill(1),
    hashOffsets,
    hashIds: Float64Array.from({ length: hashCount }, (_, i) => i),
    sessionIndex: new Int32Array(n).fill(-1),
    sessionNames: [],
    delayMs: new Float64Array(n).fill(Number.NaN),
    sourceLine: Uint32Array.from({ length: n }, (_, i) => i + 1),
    sourceChecksum: "test",
  };
}

// The default polynomial prefill model (docs/design.md#perf-model):
// f(t) = 4.209989e-7·t² + 1.518344e-2·t + 16.50142 ms.
const f = (t: number): number => 4.209989e-7 * t * t + 1.518344e-2 * t + 16.50142;

describe("the idle, cache-less prefill bound behind the study's TTFT SLAs", () => {
  it("prices a prompt as its max_num_batched_tokens chunks, one pass each, divided by the prefill speedup", () => {
    // 10 000 tokens, default budget 8192: chunks 8192 + 1808.
    // f(8192) = 28.2527 + 124.3827 + 16.5014 = 169.1369 ms; f(1808) = 1.3762 + 27.4517 + 16.5014 = 45.3293 ms;
    // sum 214.4662 ms, speedup 0.25 → 857.86 ms. A 100-token prompt: f(100) = 18.0240 ms → 72.10 ms.
    const ms = idlePrefillMs(promptsTrace([10_000, 100]), { speedup_ratio: 0.25, decode_speedup_ratio: 4 });
    expect(ms[0]).toBeCloseTo(857.86, 1);
    expect(ms[0]).toBeCloseTo((f(8192) + f(1808)) / 0.25, 9);
    expect(ms[1]).toBeCloseTo(72.1, 1);
  });

  it("takes whole prompts in one pass when the token budget is unlimited", () => {
    const ms = idlePrefillMs(promptsTrace([10_000]), { max_num_batched_tokens: null });
    // One pass: f(10 000) = 42.0999 + 151.8344 + 16.5014 = 210.4357 ms (speedup 1).
    expect(ms[0]).toBeCloseTo(210.4357, 3);
  });

  it("reads the p99 by nearest rank: sorted index round((n − 1)·0.99)", () => {
    // n = 101 values 0..100 shuffled: index round(100·0.99) = 99 → value 99.
    const values = Float64Array.from({ length: 101 }, (_, i) => (i * 37) % 101);
    expect(percentileOf(values, 99)).toBe(99);
    expect(percentileOf(new Float64Array(0), 99)).toBe(0);
  });

  it("rounds a fractional rank half up, not down or up always (n = 100, 51, 10)", () => {
    // Values 10·k for k = 0..n−1, shuffled; the sorted index is round((n − 1)·p/100):
    //   n = 100, p50: 99·0.50 = 49.5  → 50 (floor 49)  → 500
    //   n = 100, p99: 99·0.99 = 98.01 → 98 (ceil 99)   → 980
    //   n = 100, p75: 99·0.75 = 74.25 → 74 (ceil 75)   → 740
    //   n = 51,  p99: 50·0.99 = 49.5  → 50 (floor 49)  → 500
    //   n = 10,  p95:  9·0.95 = 8.55  → 9  (floor 8)   → 90
    const tens = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => 10 * ((i * 37) % n));
    expect(percentileOf(tens(100), 50)).toBe(500);
    expect(percentileOf(tens(100), 99)).toBe(980);
    expect(percentileOf(tens(100), 75)).toBe(740);
    expect(percentileOf(tens(51), 99)).toBe(500);
    expect(percentileOf(tens(10), 95)).toBe(90);
  });
});
