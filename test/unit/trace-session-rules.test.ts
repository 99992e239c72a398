import { describe, expect, it } from "vitest";
import { parseTraceJsonl } from "../../src/trace/read-jsonl.js";

// docs/design.md#workload-driver: rows are grouped by session_id in file order; a non-zero delay on a
// session's first turn is an error; a row without session_id is a session of its own.
const row = (ts: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ timestamp: ts, input_length: 8, output_length: 1, hash_ids: [ts], ...extra });

describe("session rules", () => {
  it("names sessions in first-appearance order; an integer id is kept as its decimal text", () => {
    const text = [
      row(0, { session_id: "b" }),
      row(1, { session_id: 7 }),
      row(2, { session_id: 7, delay: 100 }),
      row(3),
      row(4, { session_id: "b", delay: 0.5 }),
      row(5, { session_id: null }),
    ].join("\n");
    const { columns: t } = parseTraceJsonl(text, "s.jsonl");
    expect(t.sessionNames).toEqual(["b", "7"]);
    expect(Array.from(t.sessionIndex)).toEqual([0, 1, 1, -1, 0, -1]);
    expect(Array.from(t.delayMs)).toEqual([Number.NaN, Number.NaN, 100, Number.NaN, 0.5, Number.NaN]);
  });

  it("a non-zero delay on a session's first turn is an error; 0 is allowed", () => {
    expect(() =>
      parseTraceJsonl(
        [row(0, { session_id: "a", delay: 0 }), row(1, { session_id: "b", delay: 5 })].join("\n"),
        "s.jsonl",
      ),
    ).toThrow('s.jsonl:2: field "delay": must be absent or 0 on the first turn of session "b" (got 5)');
  });

  it("a row without session_id is its own session, so its delay must be 0", () => {
    expect(() => parseTraceJsonl(row(0, { delay: 3 }), "s.jsonl")).toThrow(
      's.jsonl:1: field "delay": must be absent or 0 on the first turn of a row without session_id (its own session) (got 3)',
    );
  });

  it("delay_ms is read when delay is absent (Dynamo's alias); delay wins when both are present", () => {
    const text = [
      row(0, { session_id: "a" }),
      row(1, { session_id: "a", delay_ms: 7 }),
      row(2, { session_id: "a", delay: 1, delay_ms: 9 }),
    ];
    expect(Array.from(parseTraceJsonl(text.join("\n"), "s.jsonl").columns.delayMs)).toEqual([
      Number.NaN,
      7,
      1,
    ]);
  });

  it("--lenient: when a session's first line is dropped, its next line becomes the first turn", () => {
    const text = [
      row(0, { session_id: "a", input_length: 0 }), // bad: zero
      row(1, { session_id: "a", delay: 50 }), // now the first turn of "a" with a delay: dropped too
      row(2, { session_id: "a" }), // first turn of "a"
      row(3, { session_id: "a", delay: 50 }), // a later turn: kept
    ].join("\n");
    const { columns: t, skipped } = parseTraceJsonl(text, "s.jsonl", { lenient: true });
    expect(Array.from(t.sourceLine)).toEqual([3, 4]);
    expect(t.sessionNames).toEqual(["a"]);
    expect(skipped?.byRule).toEqual([
      { rule: "zero", count: 1 },
      { rule: "first-turn-delay", count: 1 },
    ]);
  });
});
