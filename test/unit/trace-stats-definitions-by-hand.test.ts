import { describe, expect, it } from "vitest";
import { parseTraceJsonl } from "../../src/trace/read-jsonl.js";
import { computeTraceStats, nearestRank, traceStatsToJson } from "../../src/trace/stats.js";

// Block size 4. Worked by hand, in arrival order, with an infinite cache:
//   r1 in 10 (k=3) ids [1,2,3]  nothing seen                       → r=0, reused tokens 0
//   r2 in  9 (k=3) ids [1,2,4]  1,2 seen, 4 new                    → r=2, min(2·4, 9) = 8
//   r3 in  6 (k=2) ids [1,2]    all seen: the last block is 6−4=2  → r=2, min(2·4, 6) = 6
//   r4 in  4 (k=1) ids [5]      new                                → r=0
//   r5 in 12 (k=3) ids [9,2,3]  9 new ends the prefix (2,3 seen)   → r=0
// blocks 4/12; per request (0 + 2/3 + 1 + 0 + 0)/5 = 1/3; tokens 14/41; unique {1,2,3,4,5,9} = 6.
const rows: [number, number, number, number[]][] = [
  [1000, 10, 1, [1, 2, 3]],
  [1000, 9, 2, [1, 2, 4]],
  [2500, 6, 3, [1, 2]],
  [4000, 4, 4, [5]],
  [5000, 12, 100, [9, 2, 3]],
];
const text = rows
  .map(([ts, input, output, ids]) =>
    JSON.stringify({ timestamp: ts, input_length: input, output_length: output, hash_ids: ids }),
  )
  .join("\n");

describe("trace stats definitions, checked on a trace worked by hand", () => {
  const stats = computeTraceStats(parseTraceJsonl(text, "h.jsonl", { traceBlockSize: 4 }).columns);

  it("prefix reuse: blocks, per-request mean, tokens", () => {
    expect(stats.reuse.blocks).toBeCloseTo(4 / 12, 15);
    expect(stats.reuse.perRequestMean).toBeCloseTo(1 / 3, 15);
    expect(stats.reuse.tokens).toBeCloseTo(14 / 41, 15);
    expect(stats.uniqueHashIds).toBe(6);
  });

  it("span, rate and nearest-rank percentiles", () => {
    // span (5000 − 1000) ms = 4 s; 5 requests / 4 s
    expect(stats.spanS).toBe(4);
    expect(stats.rateRps).toBe(1.25);
    // ISL sorted [4, 6, 9, 10, 12]: indices round(4·p/100): p50 → 2, p90 → round(3.6) = 4, p99 → round(3.96) = 4
    expect(stats.isl).toEqual({ mean: 41 / 5, p50: 9, p90: 12, p99: 12, max: 12 });
    // OSL sorted [1, 2, 3, 4, 100]
    expect(stats.osl).toEqual({ mean: 22, p50: 3, p90: 100, p99: 100, max: 100 });
  });

  it("a half rank rounds away from zero", () => {
    // n = 2: (n − 1)·50/100 = 0.5 → index 1
    expect(nearestRank([10, 20], 50)).toBe(20);
    // n = 4: 3·50/100 = 1.5 → index 2
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(3);
  });

  it("a trace arriving at one instant has no rate", () => {
    const one = computeTraceStats(
      parseTraceJsonl(
        rows
          .slice(0, 2)
          .map(() => '{"timestamp": 7, "input_length": 1, "output_length": 1, "hash_ids": [0]}')
          .join("\n"),
        "o.jsonl",
      ).columns,
    );
    expect(one.spanS).toBe(0);
    expect(one.rateRps).toBeNull();
  });

  it("the JSON shape has exactly the documented keys", () => {
    const json = traceStatsToJson(stats);
    expect(Object.keys(json)).toEqual([
      "requests",
      "span_s",
      "rate_rps",
      "isl",
      "osl",
      "unique_hash_ids",
      "reuse",
    ]);
    expect(Object.keys(json.isl)).toEqual(["mean", "p50", "p90", "p99", "max"]);
    expect(Object.keys(json.reuse)).toEqual(["blocks", "per_request_mean", "tokens"]);
  });
});
