import { describe, expect, it } from "vitest";
import { WorkloadDriver } from "../../src/sim/workload/workload-driver.js";
import type { TraceColumns } from "../../src/trace/columns.js";

interface R {
  ts: number;
  session?: string;
  delay?: number;
}

/** Trace columns for rows given only by timestamp, session and delay (lengths are irrelevant here). */
function trace(rows: R[]): TraceColumns {
  const n = rows.length;
  const names: string[] = [];
  const hashOffsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) hashOffsets[i + 1] = i + 1;
  return {
    count: n,
    traceBlockSize: 512,
    arrivalMs: Float64Array.from(rows, (r) => r.ts),
    inputTokens: new Uint32Array(n).fill(100),
    outputTokens: new Uint32Array(n).fill(10),
    hashOffsets,
    hashIds: Float64Array.from(rows, (_, i) => i),
    sessionIndex: Int32Array.from(rows, (r) => {
      if (r.session === undefined) return -1;
      if (!names.includes(r.session)) names.push(r.session);
      return names.indexOf(r.session);
    }),
    sessionNames: names,
    delayMs: Float64Array.from(rows, (r) => r.delay ?? Number.NaN),
    sourceLine: Uint32Array.from(rows, (_, i) => i + 1),
    sourceChecksum: "",
  };
}

const ids = new Int32Array(8);
const stamps = new Float64Array(8);

function pop(d: WorkloadDriver, now: number, inFlight = 0): [number, number][] {
  const n = d.popReady(now, inFlight, ids, stamps);
  return Array.from({ length: n }, (_, i) => [ids[i] as number, stamps[i] as number]);
}

describe("trace mode: arrivals from timestamps, later turns after completion + delay", () => {
  it("arrivals 100 and 200 with speedup 10 become 0 and 10", () => {
    const d = new WorkloadDriver(trace([{ ts: 100 }, { ts: 200 }]), {
      arrivalSpeedupRatio: 10,
      concurrency: null,
    });
    expect(d.totalRequests).toBe(2);
    expect(d.nextReadyTimeMs(0)).toBe(0);
    expect(pop(d, 0)).toEqual([[0, 0]]);
    // (200 − 100) / 10 = 10.
    expect(d.nextReadyTimeMs(1)).toBe(10);
    expect(pop(d, 9.99)).toEqual([]);
    expect(pop(d, 10, 1)).toEqual([[1, 10]]);
    expect(d.isDrained()).toBe(true);
    expect(d.nextReadyTimeMs(2)).toBe(Number.POSITIVE_INFINITY);
  });

  it("normalises to the earliest first arrival wherever it sits in the file", () => {
    // Session rows at 500 and 300: the second row is the earliest → 0, the first → 200.
    const d = new WorkloadDriver(trace([{ ts: 500 }, { ts: 300 }]), {
      arrivalSpeedupRatio: 1,
      concurrency: null,
    });
    expect(pop(d, 0)).toEqual([[1, 0]]);
    expect(pop(d, 200)).toEqual([[0, 200]]);
  });

  it("releases equal ready times in session (file) order, stamped with the scheduled time", () => {
    const d = new WorkloadDriver(trace([{ ts: 7 }, { ts: 7 }, { ts: 7 }, { ts: 9 }]), {
      arrivalSpeedupRatio: 1,
      concurrency: null,
    });
    // Released late (at 5 ms after normalisation the fourth is also due): stamps stay the scheduled ones.
    expect(pop(d, 5)).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 2],
    ]);
  });

  it("an explicit delay starts after completion and is scaled by the speedup", () => {
    const d = new WorkloadDriver(
      trace([
        { ts: 1000, session: "a" },
        { ts: 1000, session: "a", delay: 500 },
      ]),
      { arrivalSpeedupRatio: 2, concurrency: null },
    );
    expect(pop(d, 0)).toEqual([[0, 0]]);
    // Turn 2 waits for turn 1 to complete, although its timestamp (normalised 0) has passed.
    expect(d.nextReadyTimeMs(1)).toBe(Number.POSITIVE_INFINITY);
    expect(pop(d, 30, 1)).toEqual([]);
    d.onRequestCompleted(0, 40);
    // 40 + 500 / 2 = 290.
    expect(d.nextReadyTimeMs(0)).toBe(290);
    expect(pop(d, 290)).toEqual([[1, 290]]);
  });

  it("a missing delay is the timestamp gap, counted from completion (never before it)", () => {
    const d = new WorkloadDriver(
      trace([
        { ts: 0, session: "a" },
        { ts: 300, session: "a" },
      ]),
      { arrivalSpeedupRatio: 1, concurrency: null },
    );
    expect(pop(d, 0)).toEqual([[0, 0]]);
    d.onRequestCompleted(0, 1000);
    // Gap 300 − 0 = 300 after the completion at 1000, not at the trace's 300.
    expect(d.nextReadyTimeMs(0)).toBe(1300);
    expect(pop(d, 1300)).toEqual([[1, 1300]]);
  });

  it("interleaves sessions by ready time and reports turn and session of each request", () => {
    const d = new WorkloadDriver(
      trace([{ ts: 0, session: "a" }, { ts: 50 }, { ts: 100, session: "a", delay: 100 }]),
      { arrivalSpeedupRatio: 1, concurrency: null },
    );
    expect(pop(d, 0)).toEqual([[0, 0]]);
    expect(pop(d, 50, 1)).toEqual([[1, 50]]);
    d.onRequestCompleted(0, 80);
    expect(d.nextReadyTimeMs(1)).toBe(180);
    expect(pop(d, 180, 1)).toEqual([[2, 180]]);
    expect(d.sessionOfRequest(2)).toBe(0);
    expect(d.turnOfRequest(2)).toBe(1);
    expect(d.sessionOfRequest(1)).toBe(1);
  });

  it("stops at the caller's buffer size and continues on the next call", () => {
    const d = new WorkloadDriver(trace([{ ts: 0 }, { ts: 0 }, { ts: 0 }, { ts: 0 }, { ts: 0 }]), {
      arrivalSpeedupRatio: 1,
      concurrency: null,
    });
    const small = new Int32Array(2);
    const smallStamps = new Float64Array(2);
    expect(d.popReady(0, 0, small, smallStamps)).toBe(2);
    expect(d.popReady(0, 2, small, smallStamps)).toBe(2);
    expect(d.isDrained()).toBe(false);
    expect(d.popReady(0, 4, small, smallStamps)).toBe(1);
    expect(small[0]).toBe(4);
    expect(d.isDrained()).toBe(true);
  });
});
