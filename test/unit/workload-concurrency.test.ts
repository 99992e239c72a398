import { describe, expect, it } from "vitest";
import { WorkloadDriver } from "../../src/sim/workload/workload-driver.js";
import { popReady, rowsTrace } from "../support/rows-trace-kit.js";

// Rows 0..3: session A = rows 0, 2; session B = rows 1, 3 (file order interleaves them).
const TWO_BY_TWO = rowsTrace([
  { ts: 0, session: "A" },
  { ts: 5, session: "B" },
  { ts: 10, session: "A", delay: 0 },
  { ts: 15, session: "B", delay: 0 },
]);

describe("concurrency mode: a closed loop capped at N in flight, depth-first per session", () => {
  it("cap 1: session A's turn 2 goes before session B starts", () => {
    const d = new WorkloadDriver(TWO_BY_TWO, { arrivalSpeedupRatio: 1, concurrency: 1 });
    expect(d.nextReadyTimeMs(0)).toBe(0);
    expect(popReady(d, 0, 0)).toEqual([[0, 0]]); // A1
    expect(d.nextReadyTimeMs(1)).toBe(Number.POSITIVE_INFINITY); // capped
    expect(popReady(d, 0, 1)).toEqual([]);
    d.onRequestCompleted(0, 30);
    expect(popReady(d, 30, 0)).toEqual([[2, 30]]); // A2, stamped at release
    d.onRequestCompleted(2, 70);
    expect(popReady(d, 70, 0)).toEqual([[1, 70]]); // B1
    d.onRequestCompleted(1, 90);
    expect(popReady(d, 90, 0)).toEqual([[3, 90]]); // B2
    expect(d.isDrained()).toBe(true);
  });

  it("ignores first-turn timestamps: every session is ready at 0", () => {
    const d = new WorkloadDriver(rowsTrace([{ ts: 1000 }, { ts: 5000 }]), {
      arrivalSpeedupRatio: 1,
      concurrency: 2,
    });
    expect(popReady(d, 0, 0)).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it("honours think time without the speedup ratio, filling the gap with a new session", () => {
    const d = new WorkloadDriver(
      rowsTrace([{ ts: 0, session: "A" }, { ts: 0, session: "A", delay: 100 }, { ts: 0 }]),
      { arrivalSpeedupRatio: 10, concurrency: 1 },
    );
    expect(popReady(d, 0, 0)).toEqual([[0, 0]]);
    d.onRequestCompleted(0, 30);
    // A2 is ready at 30 + 100 = 130 (the ratio 10 does not apply); the idle slot takes the next session.
    expect(popReady(d, 30, 0)).toEqual([[2, 30]]);
    d.onRequestCompleted(2, 50);
    expect(d.nextReadyTimeMs(0)).toBe(130);
    expect(popReady(d, 129, 0)).toEqual([]);
    expect(popReady(d, 130, 0)).toEqual([[1, 130]]);
  });

  it("releases only up to the cap, counting the caller's in-flight requests", () => {
    const d = new WorkloadDriver(rowsTrace([{ ts: 0 }, { ts: 0 }, { ts: 0 }, { ts: 0 }, { ts: 0 }]), {
      arrivalSpeedupRatio: 1,
      concurrency: 3,
    });
    expect(popReady(d, 0, 1).map(([id]) => id)).toEqual([0, 1]);
    expect(d.nextReadyTimeMs(3)).toBe(Number.POSITIVE_INFINITY);
    expect(popReady(d, 5, 2).map(([id]) => id)).toEqual([2]);
  });

  it("started sessions go first, by (ready time, session); unstarted sessions follow in file order", () => {
    const d = new WorkloadDriver(
      rowsTrace([
        { ts: 0, session: "A" },
        { ts: 0, session: "B" },
        { ts: 0, session: "C" },
        { ts: 0, session: "A", delay: 0 },
        { ts: 0, session: "B", delay: 0 },
      ]),
      { arrivalSpeedupRatio: 1, concurrency: 2 },
    );
    expect(popReady(d, 0, 0).map(([id]) => id)).toEqual([0, 1]); // A1, B1
    d.onRequestCompleted(1, 10);
    expect(popReady(d, 10, 1)).toEqual([[4, 10]]); // B2 before C1
    d.onRequestCompleted(0, 20);
    expect(popReady(d, 20, 1)).toEqual([[3, 20]]); // A2 before C1
    d.onRequestCompleted(4, 25);
    expect(popReady(d, 25, 1)).toEqual([[2, 25]]); // C1 at last
  });

  it("never reports a ready time earlier than the latest time it has seen", () => {
    const d = new WorkloadDriver(rowsTrace([{ ts: 0 }, { ts: 0 }, { ts: 0 }]), {
      arrivalSpeedupRatio: 1,
      concurrency: 1,
    });
    const one = new Int32Array(1);
    const oneStamp = new Float64Array(1);
    expect(d.popReady(0, 0, one, oneStamp)).toBe(1);
    d.onRequestCompleted(0, 40);
    // Unstarted sessions are ready "now" = 40, not at the 0 they were ready from.
    expect(d.nextReadyTimeMs(0)).toBe(40);
  });
});
