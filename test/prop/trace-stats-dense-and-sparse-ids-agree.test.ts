import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTraceJsonl } from "../../src/trace/read-jsonl.js";
import { computeTraceStats, traceStatsToJson } from "../../src/trace/stats.js";
import { referenceRows, referenceStats } from "../oracles/trace-reference.js";

// Reuse is counted with a bitmap when ids are small and dense (Mooncake's case) and with a hash set otherwise.
// Both must match the slow reference; relabelling ids to huge sparse values must not change any figure.
const BLOCK = 8;
const rowArb = fc.record({
  dt: fc.nat(50),
  input: fc.integer({ min: 1, max: 40 }),
  output: fc.integer({ min: 1, max: 9 }),
  // ids from a small pool so that prefixes repeat; duplicates inside a request are allowed too
  ids: fc.array(fc.nat(12), { minLength: 5, maxLength: 5 }),
});

function text(
  rows: { dt: number; input: number; output: number; ids: number[] }[],
  relabel: (id: number) => number,
) {
  let ts = 0;
  return rows
    .map((r) => {
      ts += r.dt;
      const k = Math.ceil(r.input / BLOCK);
      return JSON.stringify({
        timestamp: ts,
        input_length: r.input,
        output_length: r.output,
        hash_ids: r.ids.slice(0, k).map(relabel),
      });
    })
    .join("\n");
}

describe("trace stats: dense and sparse hash ids", () => {
  it("both paths equal the reference and each other (fixed seed)", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 30 }), (rows) => {
        const dense = text(rows, (id) => id);
        const sparse = text(rows, (id) => id * 2 ** 40 + 977); // far beyond any bitmap
        const a = traceStatsToJson(
          computeTraceStats(parseTraceJsonl(dense, "d", { traceBlockSize: BLOCK }).columns),
        );
        const b = traceStatsToJson(
          computeTraceStats(parseTraceJsonl(sparse, "s", { traceBlockSize: BLOCK }).columns),
        );
        expect(b).toEqual(a);
        expect(a).toEqual(referenceStats(referenceRows(dense, BLOCK), BLOCK));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
