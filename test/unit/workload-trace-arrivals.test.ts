import { describe, expect, it } from "vitest";
import { WorkloadDriver } from "../../src/sim/workload/workload-driver.js";
import { popReady, rowsTrace } from "../support/rows-trace-kit.js";

describe("trace mode: arrivals from timestamps, later turns after completion + delay", () => {
  it("arrivals 100 and 200 with speedup 10 become 0 and 10", () => {
    const d = new WorkloadDriver(rowsTrace([{ ts: 100 }, { ts: 200 }]), {
      arrivalSpeedupRatio: 10,
      concurrency: null,
    });
    expect(d.totalRequests).toBe(2);
    expect(d.nextReadyTimeMs(0)).toBe(0);
    expect(popReady(d, 0)).toEqual([[0, 0]]);
    // (200 − 100) / 10 = 10.
    expect(d.nextReadyTimeMs(1)).toBe(10);
    expect(popReady(d, 9.99)).toEqual([]);
    expect(popReady(d, 10, 1)).toEqual([[1, 10]]);
    expect(d.isDrained()).toBe(true);
    expect(d.nextReadyTimeMs(2)).toBe(Number.POSITIVE_INFINITY);
  });

  it("normalises to the earliest first arrival wherever it sits in the file", () => {
    // Session rows at 500 and 300: the second row is the earliest → 0, the first → 200.
    const d = new WorkloadDriver(rowsTrace([{ ts: 500 }, { ts: 300 }]), {
      arrivalSpeedupRatio: 1,
      concurrency: null,
    });
    expect(popReady(d, 0)).toEqual([[1, 0]]);
    expect(popReady(d, 200)).toEqual([[0, 200]]);
  });

  it("releases equal ready times in session (file) order, stamped with the scheduled time", () => {
    const d = new WorkloadDriver(rowsTrace([{ ts: 7 }, { ts: 7 }, { ts: 7 }, { ts: 9 }]), {
      arrivalSpeedupRatio: 1,
      concurrency: null,
    });
    // Released late (at 5 ms after normalisation the fourth is also due): stamps stay the scheduled ones.
    expect(popReady(d, 5)).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 2],
    ]);
  });

  it("an explicit delay starts after completion and is scaled by the speedup", () => {
    const d = new WorkloadDriver(
      rowsTrace([
        { ts: 1000, session: "a" },
        { ts: 1000, session: "a", delay: 500 },
      ]),
      { arrivalSpeedupRatio: 2, concurrency: null },
    );
    expect(popReady(d, 0)).toEqual([[0, 0]]);
    // Turn 2 waits for turn 1 to complete, although its timestamp (normalised 0) has passed.
    expect(d.nextReadyTimeMs(1)).toBe(Number.POSITIVE_INFINITY);
    expect(popReady(d, 30, 1)).toEqual([]);
    d.onRequestCompleted(0, 40);
    // 40 + 500 / 2 = 290.
    expect(d.nextReadyTimeMs(0)).toBe(290);
    expect(popReady(d, 290)).toEqual([[1, 290]]);
  });

  it("a missing delay is the timestamp gap, counted from completion (never before it)", () => {
    const d = new WorkloadDriver(
      rowsTrace([
        { ts: 0, session: "a" },
        { ts: 300, session: "a" },
      ]),
      { arrivalSpeedupRatio: 1, concurrency: null },
    );
    expect(popReady(d, 0)).toEqual([[0, 0]]);
    d.onRequestCompleted(0, 1000);
    // Gap 300 − 0 = 300 after the completion at 1000, not at the trace's 300.
    expect(d.nextReadyTimeMs(0)).toBe(1300);
    expect(popReady(d, 1300)).toEqual([[1, 1300]]);
  });

  it("interleaves sessions by ready time and reports turn and session of each request", () => {
    const d = new WorkloadDriver(
      rowsTrace([{ ts: 0, session: "a" }, { ts: 50 }, { ts: 100, session: "a", delay: 100 }]),
      { arrivalSpeedupRatio: 1, concurrency: null },
    );
    expect(popReady(d, 0)).toEqual([[0, 0]]);
    expect(popReady(d, 50, 1)).toEqual([[1, 50]]);
    d.onRequestCompleted(0, 80);
    expect(d.nextReadyTimeMs(1)).toBe(180);
    expect(popReady(d, 180, 1)).toEqual([[2, 180]]);
    expect(d.sessionOfRequest(2)).toBe(0);
    expect(d.turnOfRequest(2)).toBe(1);
    expect(d.sessionOfRequest(1)).toBe(1);
  });

  it("stops at the caller's buffer size and continues on the next call", () => {
    const d = new WorkloadDriver(rowsTrace([{ ts: 0 }, { ts: 0 }, { ts: 0 }, { ts: 0 }, { ts: 0 }]), {
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
