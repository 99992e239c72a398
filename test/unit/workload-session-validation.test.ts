import { describe, expect, it } from "vitest";
import { WorkloadDriver } from "../../src/sim/workload/workload-driver.js";
import { InputError } from "../../src/util/errors.js";
import { rowsTrace, type TimingRow } from "../support/rows-trace-kit.js";

function errorOf(rows: TimingRow[], concurrency: number | null = null, ratio = 1): string {
  try {
    // Lines 11, 12, … so the messages' line numbers come from the column, not the row index.
    new WorkloadDriver(rowsTrace(rows, 11), {
      arrivalSpeedupRatio: ratio,
      concurrency,
      sourceName: "t.jsonl",
    });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("bad session data is refused with a one-line error naming file, line and field", () => {
  it("a first turn with a non-zero delay", () => {
    expect(errorOf([{ ts: 0 }, { ts: 5, session: "a", delay: 3 }])).toMatch(/^t\.jsonl:12: field "delay": /);
  });

  it("a negative or infinite delay on a later turn", () => {
    const rows = (delay: number): TimingRow[] => [
      { ts: 0, session: "a" },
      { ts: 0, session: "a", delay },
    ];
    expect(errorOf(rows(-1))).toMatch(
      /^t\.jsonl:12: field "delay": must be a finite number of ms >= 0, got -1/,
    );
    expect(errorOf(rows(Number.POSITIVE_INFINITY))).toMatch(/^t\.jsonl:12: field "delay"/);
  });

  it("a later turn whose timestamp goes back within its session", () => {
    expect(
      errorOf([
        { ts: 100, session: "a" },
        { ts: 40, session: "a" },
      ]),
    ).toMatch(/^t\.jsonl:12: field "timestamp": 40 is earlier than the previous turn's 100/);
  });

  it("a delay to infer from a missing previous timestamp", () => {
    expect(
      errorOf(
        [
          { ts: Number.NaN, session: "a" },
          { ts: 40, session: "a" },
        ],
        2,
      ),
    ).toMatch(/^t\.jsonl:12: field "delay": needed/);
  });

  it("a first turn without a timestamp in trace mode (fine in concurrency mode)", () => {
    expect(errorOf([{ ts: 0 }, { ts: Number.NaN }])).toMatch(/^t\.jsonl:12: field "timestamp": /);
    expect(
      () =>
        new WorkloadDriver(rowsTrace([{ ts: 0 }, { ts: Number.NaN }], 11), {
          arrivalSpeedupRatio: 1,
          concurrency: 1,
        }),
    ).not.toThrow();
  });

  it("an empty trace, a bad speedup ratio, a bad cap", () => {
    expect(errorOf([])).toBe("t.jsonl: the trace has no requests");
    expect(errorOf([{ ts: 0 }], null, 0)).toMatch(
      /--arrival-speedup-ratio: must be a finite number > 0, got 0/,
    );
    expect(errorOf([{ ts: 0 }], null, Number.NaN)).toMatch(/--arrival-speedup-ratio/);
    expect(errorOf([{ ts: 0 }], 0)).toMatch(/--replay-concurrency: must be an integer >= 1, got 0/);
    expect(errorOf([{ ts: 0 }], 1.5)).toMatch(/--replay-concurrency/);
  });

  it("a later turn without delay or timestamp waits 0 ms after the previous completes", () => {
    const d = new WorkloadDriver(
      rowsTrace(
        [
          { ts: 5, session: "a" },
          { ts: Number.NaN, session: "a" },
        ],
        11,
      ),
      { arrivalSpeedupRatio: 1, concurrency: null },
    );
    const ids = new Int32Array(4);
    const at = new Float64Array(4);
    expect(d.popReady(0, 0, ids, at)).toBe(1);
    d.onRequestCompleted(0, 17);
    expect(d.nextReadyTimeMs(0)).toBe(17);
  });

  it("completing a request that is not in flight is a bug, not a user error", () => {
    const d = new WorkloadDriver(rowsTrace([{ ts: 0 }], 11), { arrivalSpeedupRatio: 1, concurrency: null });
    expect(() => d.onRequestCompleted(0, 1)).toThrow(/not in flight/);
  });
});
