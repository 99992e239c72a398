import { describe, expect, it } from "vitest";
import { tinyCluster } from "../support/cluster-kit.js";

const many = (n: number, gapMs: number) =>
  Array.from({ length: n }, (_, i) => ({
    isl: 128,
    osl: 50,
    hashIds: [10 * i + 1, 10 * i + 2],
    arrivalMs: i * gapMs,
  }));

describe("scaling a stage (docs/design.md#scaling-a-pool)", () => {
  it("adds workers with new ids that start taking work at once", () => {
    const sim = tinyCluster(many(6, 10), { numWorkers: 1, routerMode: "round_robin" });
    sim.advanceTo(0);
    sim.applyScaling(0, 3);
    expect(sim.counts(0)).toEqual({ active: 3, starting: 0, draining: 0 });
    sim.run();
    // Round robin over ids [0, 1, 2] after scaling at t=0: request 0 was already on worker 0 (counter → 1).
    expect(Array.from(sim.collector.workerId)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it("a startup delay keeps new workers out of the routing set until they are ready", () => {
    const sim = tinyCluster(many(4, 1000), {
      numWorkers: 1,
      routerMode: "round_robin",
      engineArgs: { startup_time: 2.5 },
    });
    sim.advanceTo(0);
    sim.applyScaling(0, 2);
    expect(sim.counts(0)).toEqual({ active: 1, starting: 1, draining: 0 });
    sim.advanceTo(2400);
    expect(sim.counts(0).starting).toBe(1);
    sim.advanceTo(2500);
    expect(sim.counts(0)).toEqual({ active: 2, starting: 0, draining: 0 });
    sim.run();
    // Requests at 0, 1000, 2000 find only worker 0; the one at 3000 is round-robined to worker 1.
    expect(Array.from(sim.collector.workerId)).toEqual([0, 0, 0, 1]);
  });

  it("scale-down cancels pending startups first, then drains the highest ids, which finish their work", () => {
    const sim = tinyCluster(many(3, 0), {
      numWorkers: 3,
      routerMode: "round_robin",
      engineArgs: { startup_time: 5 },
    });
    sim.advanceTo(0); // one request on each of workers 0, 1, 2
    sim.applyScaling(0, 5); // two starting: ids 3, 4
    expect(sim.counts(0)).toEqual({ active: 3, starting: 2, draining: 0 });
    sim.applyScaling(0, 2); // cancel 4 and 3, then drain 2
    expect(sim.counts(0)).toEqual({ active: 2, starting: 0, draining: 1 });
    sim.run();
    expect(sim.completed).toBe(3);
    expect(sim.counts(0)).toEqual({ active: 2, starting: 0, draining: 0 });
    expect(sim.collector.workerId[2]).toBe(2);
  });

  it("integrates provisioned workers over simulated time for worker-hours", () => {
    const sim = tinyCluster(many(1, 0), { numWorkers: 2, routerMode: "round_robin" });
    sim.advanceTo(3_600_000); // the lone request finishes long before; the clock moves to the tick
    expect(sim.workerHours(0)).toBeCloseTo(2, 12);
    sim.applyScaling(0, 1);
    sim.advanceTo(7_200_000);
    expect(sim.workerHours(0)).toBeCloseTo(3, 12);
  });
});
