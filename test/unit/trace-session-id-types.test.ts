import { describe, expect, it } from "vitest";
import { assembleTrace } from "../../src/trace/assemble.js";
import { parseJsonlRange } from "../../src/trace/jsonl-range.js";
import { parseTraceJsonl } from "../../src/trace/read-jsonl.js";

// docs/traces.md#jsonl: kvsim keeps session ids as text, where 1 and "1" would be one session while a reader that
// keys ids by JSON value sees two; a trace that writes one id both ways is refused (strict) or loses the rows of
// the later spelling (--lenient), however the file is split between reader threads.
const row = (ts: number, session: unknown) =>
  JSON.stringify({ timestamp: ts, input_length: 8, output_length: 1, hash_ids: [ts], session_id: session });

const MIXED = [row(0, 1), row(1, "a"), row(2, "1"), row(3, 1), row(4, "1")].join("\n");

/** The bytes parsed as two ranges cut after `firstLines` lines (as two reader threads would). */
function twoRanges(text: string, firstLines: number, lenient: boolean) {
  const bytes = new TextEncoder().encode(text);
  let cut = 0;
  for (let k = 0; k < firstLines; k++) cut = bytes.indexOf(0x0a, cut) + 1;
  const options = { traceBlockSize: 512, lenient };
  const ranges = [
    parseJsonlRange({ kind: "bytes", bytes }, 0, cut, options),
    parseJsonlRange({ kind: "bytes", bytes }, cut, bytes.length, options),
  ];
  return assembleTrace(ranges, {
    displayName: "mixed.jsonl",
    traceBlockSize: 512,
    sort: false,
    lenient,
    sourceChecksum: "",
  });
}

const STRICT =
  'mixed.jsonl:3: field "session_id": names the session that line 1 names with the same id of the other JSON ' +
  'type (1 and "1"); write each session id one way, as a string or as an integer';

describe("session ids of both JSON types", () => {
  it('refuses 1 and "1" in one trace, naming the later line and the first one', () => {
    expect(() => parseTraceJsonl(MIXED, "mixed.jsonl")).toThrow(STRICT);
  });

  it("refuses them when the two spellings fall in different reader ranges", () => {
    expect(() => twoRanges(MIXED, 2, false)).toThrow(STRICT);
  });

  it("--lenient keeps the first spelling's rows and skips every row of the other", () => {
    for (const result of [
      parseTraceJsonl(MIXED, "mixed.jsonl", { lenient: true }),
      twoRanges(MIXED, 2, true),
    ]) {
      const t = result.columns;
      expect(Array.from(t.arrivalMs)).toEqual([0, 1, 3]);
      expect(t.sessionNames).toEqual(["1", "a"]);
      expect(Array.from(t.sessionIndex)).toEqual([0, 1, 0]);
      expect(result.skipped?.byRule).toEqual([{ rule: "mixed-session-id", count: 2 }]);
      expect(result.skipped?.firstLines).toEqual([3, 5]);
    }
  });

  it("accepts ids of both types that never name the same text", () => {
    const t = parseTraceJsonl([row(0, 1), row(1, "x1"), row(2, 1)].join("\n"), "ok.jsonl").columns;
    expect(t.sessionNames).toEqual(["1", "x1"]);
    expect(Array.from(t.sessionIndex)).toEqual([0, 1, 0]);
  });

  it("refuses an integer id of 2^53 or more, which a double cannot hold exactly", () => {
    expect(() => parseTraceJsonl(row(0, 9007199254740992), "big.jsonl")).toThrow(
      'big.jsonl:1: field "session_id": an integer id must be below 2^53 = 9007199254740992 in magnitude; ' +
        "write larger ids as strings (got 9007199254740992)",
    );
    expect(parseTraceJsonl(row(0, 9007199254740991), "ok.jsonl").columns.sessionNames).toEqual([
      "9007199254740991",
    ]);
  });
});
