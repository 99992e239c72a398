import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTraceJsonl } from "../../src/trace/read-jsonl.js";
import { computeTraceStats, traceStatsToJson } from "../../src/trace/stats.js";
import { referenceRows, referenceStats } from "../oracles/trace-reference.js";

// Expected values: (1) the slow reference (JSON.parse, JS Set, sorted arrays) computed here, and (2) the
// independently measured figures in ../shared/traces/SOURCES.md (next to the checkout), at the precision
// printed there.
const shared = (name: string) => fileURLToPath(new URL(`../../../shared/traces/${name}`, import.meta.url));

describe("trace stats on the two shared Mooncake traces", () => {
  it.each(["mooncake_conversation_trace.jsonl", "mooncake_synthetic_trace.jsonl"])(
    "%s equals the slow reference",
    (name) => {
      const path = shared(name);
      const got = traceStatsToJson(computeTraceStats(readTraceJsonl(path).columns));
      const want = referenceStats(referenceRows(readFileSync(path, "utf8")));
      expect(got).toEqual(want);
    },
  );

  it("conversation: the figures SOURCES.md lists", () => {
    const s = computeTraceStats(readTraceJsonl(shared("mooncake_conversation_trace.jsonl")).columns);
    expect(s.requests).toBe(12_031);
    expect(s.spanS.toFixed(1)).toBe("3537.0");
    expect(s.rateRps?.toFixed(2)).toBe("3.40");
    expect([Math.round(s.isl.mean), s.isl.p50, s.isl.p99, s.isl.max]).toEqual([
      12_035, 6_909, 85_401, 126_195,
    ]);
    expect([Math.round(s.osl.mean), s.osl.p50, s.osl.p99, s.osl.max]).toEqual([343, 350, 1_120, 2_000]);
    expect(s.uniqueHashIds).toBe(182_790);
    expect((s.reuse.tokens * 100).toFixed(1)).toBe("37.4");
  });

  it("synthetic: the figures SOURCES.md lists", () => {
    const s = computeTraceStats(readTraceJsonl(shared("mooncake_synthetic_trace.jsonl")).columns);
    expect(s.requests).toBe(3_993);
    expect(s.spanS.toFixed(1)).toBe("1022.0");
    expect(s.rateRps?.toFixed(2)).toBe("3.91");
    // SOURCES.md's p99 (66,458 and 769) is the classic nearest rank ceil(p·n/100); kvsim's is the sorted value at
    // round((n−1)·p/100) = round(3952.08) = 3952, one rank lower: 66,456 and 768 (the sorted values there).
    expect([Math.round(s.isl.mean), s.isl.p50, s.isl.p99, s.isl.max]).toEqual([
      15_325, 11_587, 66_456, 191_378,
    ]);
    expect([Math.round(s.osl.mean), s.osl.p50, s.osl.p99, s.osl.max]).toEqual([149, 69, 768, 893]);
    expect(s.uniqueHashIds).toBe(43_924);
    expect((s.reuse.tokens * 100).toFixed(1)).toBe("65.1");
  });
});
