import { describe, expect, it } from "vitest";
import {
  benchmarkFpmsFor,
  decodeBenchmarkFpms,
  prefillBenchmarkFpms,
} from "../../src/replay/bootstrap-fpms.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";

// The mock engine's polynomial pass-time model (docs/design.md#perf-model), written out apart from src/.
const prefillPolyMs = (t: number): number => 4.209989e-7 * (t * t) + 1.518344e-2 * t + 16.50142;
const decodePolyMs = (p: number): number => -25.74 * (p * p) + 54.01 * p + 5.74;

const args = (raw: object) => parseEngineArgs(raw, "test");

describe("regression bootstrap sweeps the engine's own perf model (docs/planner-in-the-loop.md#regression-bootstrap)", () => {
  it("prefill: ISL 100 .. 8192 in steps of ⌊(8192 − 100)/8⌋ = 1011, one request per pass, wall time in seconds", () => {
    const points = prefillBenchmarkFpms(args({}), 8);
    // 100 + 1011k ≤ 8192 for k = 0..8 (100 + 8·1011 = 8188; 9199 is past the budget).
    const isls = [100, 1111, 2122, 3133, 4144, 5155, 6166, 7177, 8188];
    expect(points.map((p) => p.scheduled.sumPrefillTokens)).toEqual(isls);
    for (const [i, p] of points.entries()) {
      expect(p.scheduled.numPrefillRequests).toBe(1);
      expect(p.scheduled.numDecodeRequests).toBe(0);
      expect(p.wallTime).toBeCloseTo(prefillPolyMs(isls[i] as number) / 1000, 15);
    }
    // e.g. ISL 100: (4.209989e-7·10⁴ + 1.518344 + 16.50142) ms = 18.0239740 ms.
    expect(points[0]?.wallTime).toBeCloseTo(0.018023974, 9);
  });

  it("prefill: an unlimited budget sweeps up to 8192, and speedup_ratio divides the time as the engine does", () => {
    const unlimited = prefillBenchmarkFpms(args({ max_num_batched_tokens: null, speedup_ratio: 4 }), 8);
    expect(unlimited.map((p) => p.scheduled.sumPrefillTokens).at(-1)).toBe(8188);
    expect(unlimited[1]?.wallTime).toBeCloseTo(prefillPolyMs(1111) / 4 / 1000, 15);
    // Budget 1100, granularity 4: step ⌊1000/4⌋ = 250 → 100, 350, 600, 850, 1100 (the end is included).
    const small = prefillBenchmarkFpms(args({ max_num_batched_tokens: 1100 }), 4);
    expect(small.map((p) => p.scheduled.sumPrefillTokens)).toEqual([100, 350, 600, 850, 1100]);
  });

  it("decode: ctx {500, 2000, 4000, 8000} × batch 1, 33, …, 225, stopping where batch·ctx passes max_kv_tokens", () => {
    const a = args({});
    const points = decodeBenchmarkFpms(a, 8);
    const maxKv = 16384 * 64; // 1 048 576 tokens
    // step ⌊256/8⌋ = 32 → batches 1, 33, …, 225 (8 of them). ctx 8000: 129·8000 = 1 032 000 fits, 161·8000 does not.
    const expected: [number, number][] = [];
    for (const ctx of [500, 2000, 4000, 8000]) {
      for (let bs = 1; bs <= 256; bs += 32) {
        if (bs * ctx > maxKv) break;
        expected.push([bs, bs * ctx]);
      }
    }
    expect(expected).toHaveLength(8 + 8 + 8 + 5);
    expect(points.map((p) => [p.scheduled.numDecodeRequests, p.scheduled.sumDecodeKvTokens])).toEqual(
      expected,
    );
    for (const p of points) {
      expect(p.scheduled.numPrefillRequests).toBe(0);
      expect(p.wallTime).toBeCloseTo(decodePolyMs(p.scheduled.sumDecodeKvTokens / maxKv) / 1000, 15);
    }
  });

  it("decode: speedup_ratio × decode_speedup_ratio divides the time; a small KV cache ends each context early", () => {
    // 100 blocks × 16 tokens = 1600 KV tokens; max_num_seqs 10, granularity 4 → step 2: batches 1, 3, 5, 7, 9.
    const a = args({
      num_gpu_blocks: 100,
      block_size: 16,
      max_num_seqs: 10,
      speedup_ratio: 2,
      decode_speedup_ratio: 3,
    });
    const points = decodeBenchmarkFpms(a, 4);
    // ctx 500: 1·500, 3·500 = 1500 fit, 5·500 = 2500 does not; ctx ≥ 2000: not even one sequence fits.
    expect(points.map((p) => p.scheduled.sumDecodeKvTokens)).toEqual([500, 1500]);
    expect(points[1]?.wallTime).toBeCloseTo(decodePolyMs(1500 / 1600) / 6 / 1000, 15);
  });

  it("agg takes both sweeps from the aggregated engine; disagg takes each from its own pool", () => {
    const agg = benchmarkFpmsFor(
      resolveClusterOptions({ mode: "agg", engineArgs: { max_num_seqs: 8 } }, 512),
      8,
    );
    expect(agg.prefill).toHaveLength(9);
    // max_num_seqs 8 → step 1 → batches 1..8 at every context (8·8000 = 64 000 fits).
    expect(agg.decode).toHaveLength(32);
    const disagg = benchmarkFpmsFor(
      resolveClusterOptions(
        {
          mode: "disagg",
          prefillEngineArgs: { max_num_batched_tokens: 1100 },
          decodeEngineArgs: { max_num_seqs: 4 },
        },
        512,
      ),
      4,
    );
    expect(disagg.prefill.map((p) => p.scheduled.sumPrefillTokens)).toEqual([100, 350, 600, 850, 1100]);
    expect(disagg.decode).toHaveLength(16);
  });
});
