import { describe, expect, it } from "vitest";
import { allButLastPerWorker, FpmCache } from "../../src/replay/fpm-cache.js";
import { fpm } from "../support/fake-simulation-kit.js";

describe("FPM last-seen cache (docs/design.md#fpm-caches)", () => {
  it("keeps the latest snapshot per worker and prunes to the active count by dropping the highest worker ids", () => {
    const cache = new FpmCache();
    // Worker ids 2, 10, 0, 9 in that order; numerically the highest are 10 then 9 (not "9" > "10" as strings).
    cache.update([fpm(2, { wallTime: 0.1 }), fpm(10, { wallTime: 0.2 }), fpm(0, { wallTime: 0.3 }), fpm(9)]);
    cache.update([fpm(2, { wallTime: 0.4 })]);
    expect(cache.size).toBe(4);
    cache.pruneTo(2);
    expect(cache.workerIds()).toEqual(["2", "0"]);
    // Worker 2's newer snapshot replaced the old one in place (first-insertion order is kept).
    expect([...(cache.observations()?.values() ?? [])].map((f) => f.wallTime)).toEqual([0.4, 0.3]);
    cache.pruneTo(5);
    expect(cache.size).toBe(2);
    cache.pruneTo(0);
    expect(cache.observations()).toBeNull();
  });

  it("keeps a draining low id and drops an active high id after scale-down then scale-up (as upstream)", () => {
    const cache = new FpmCache();
    // Workers 0, 1, 2 active; scale to 2 drains worker 2; scale to 3 adds worker 3. Worker 2 still reports passes.
    cache.update([fpm(0), fpm(1), fpm(2), fpm(3)]);
    cache.pruneTo(3);
    expect(cache.workerIds()).toEqual(["0", "1", "2"]);
  });

  it("hands the observations out as a copy the next update does not change", () => {
    const cache = new FpmCache();
    cache.update([fpm(0, { wallTime: 1 })]);
    const seen = cache.observations();
    cache.update([fpm(0, { wallTime: 2 }), fpm(1)]);
    expect(seen?.size).toBe(1);
    expect([...(seen?.values() ?? [])][0]?.wallTime).toBe(1);
  });

  it("all but the last snapshot of each worker train the regression directly, in pass order", () => {
    const passes = [
      fpm(0, { wallTime: 0.01 }),
      fpm(1, { wallTime: 0.02 }),
      fpm(0, { wallTime: 0.03 }),
      fpm(2, { wallTime: 0.04 }),
      fpm(0, { wallTime: 0.05 }),
      fpm(1, { wallTime: 0.06 }),
    ];
    // Last per worker: 0 → 0.05, 1 → 0.06, 2 → 0.04; the rest, in order: 0.01, 0.02, 0.03.
    expect(allButLastPerWorker(passes).map((f) => f.wallTime)).toEqual([0.01, 0.02, 0.03]);
    expect(allButLastPerWorker([])).toEqual([]);
  });
});
