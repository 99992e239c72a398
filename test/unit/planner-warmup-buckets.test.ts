import { describe, expect, it } from "vitest";
import { extractWarmupObservations, warmupTrafficObservations } from "../../src/planner/warmup.js";
import type { TraceColumns } from "../../src/trace/columns.js";

function trace(rows: readonly [arrivalMs: number, isl: number, osl: number][]): TraceColumns {
  const n = rows.length;
  return {
    count: n,
    traceBlockSize: 512,
    arrivalMs: Float64Array.from(rows.map((r) => r[0])),
    inputTokens: Uint32Array.from(rows.map((r) => r[1])),
    outputTokens: Uint32Array.from(rows.map((r) => r[2])),
    hashOffsets: new Uint32Array(n + 1),
    hashIds: new Float64Array(0),
    sessionIndex: new Int32Array(n).fill(-1),
    sessionNames: [],
    delayMs: new Float64Array(n).fill(Number.NaN),
    sourceLine: Uint32Array.from(rows.map((_, i) => i + 1)),
    sourceChecksum: "test",
  };
}

describe("warm-up observations from a trace", () => {
  it("buckets by floor(seconds / interval)·interval, sorted, skipping empty buckets", () => {
    // 60 s buckets: 1 s → 0, 59 s → 0, 61 s → 60, 200 s → 180, 65 s → 60; bucket 120 is empty
    const obs = extractWarmupObservations(
      trace([
        [1000, 100, 10],
        [59000, 300, 30],
        [61000, 1000, 5],
        [200000, 7, 70],
        [65000, 2000, 15],
      ]),
      60,
    );
    expect(obs).toEqual([
      { bucketStartS: 0, requestCount: 2, avgIsl: 200, avgOsl: 20 },
      { bucketStartS: 60, requestCount: 2, avgIsl: 1500, avgOsl: 10 },
      { bucketStartS: 180, requestCount: 1, avgIsl: 7, avgOsl: 70 },
    ]);
  });

  it("uses timestamps as they are (no shift to 0) and non-integer intervals", () => {
    // 2.5 s buckets: 1 000 000 ms = 1000 s → 1000; 1 003 000 ms → floor(401.2)·2.5 = 1002.5
    const obs = extractWarmupObservations(
      trace([
        [1_000_000, 10, 1],
        [1_003_000, 20, 2],
      ]),
      2.5,
    );
    expect(obs.map((o) => o.bucketStartS)).toEqual([1000, 1002.5]);
  });

  it("returns nothing for an empty trace and rejects a non-positive interval", () => {
    expect(extractWarmupObservations(trace([]), 60)).toEqual([]);
    expect(() => extractWarmupObservations(trace([[0, 1, 1]]), 0)).toThrow(RangeError);
  });

  it("turns observations into interval-long traffic windows without a hit rate", () => {
    expect(
      warmupTrafficObservations([{ bucketStartS: 60, requestCount: 4, avgIsl: 300, avgOsl: 25 }], 60),
    ).toEqual([{ durationS: 60, numReq: 4, isl: 300, osl: 25, kvHitRate: null }]);
  });
});
