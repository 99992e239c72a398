import { describe, expect, it } from "vitest";
import { fpmMatchesWorkerCount } from "../../src/planner/inventory.js";
import { fpm, fpmMap } from "../support/planner-kit.js";

// docs/planner.md#inventory: distinct workers must equal N, every worker must have the same number of dp
// ranks, and the entry count must be N × dp_size (dp_size = 1 for an empty map).
describe("FPM ↔ worker-count reconciliation", () => {
  it("matches one entry per worker at dp 1, and N workers × dp ranks", () => {
    expect(fpmMatchesWorkerCount(fpmMap(fpm("a"), fpm("b")), 2)).toBe(true);
    const dp2 = fpmMap(fpm("a"), fpm("a", { dpRank: 1 }), fpm("b"), fpm("b", { dpRank: 1 }));
    expect(fpmMatchesWorkerCount(dp2, 2)).toBe(true);
  });

  it("rejects a different number of distinct workers (ranks do not count as workers)", () => {
    expect(fpmMatchesWorkerCount(fpmMap(fpm("a"), fpm("a", { dpRank: 1 })), 2)).toBe(false);
    expect(fpmMatchesWorkerCount(fpmMap(fpm("a"), fpm("b")), 3)).toBe(false);
  });

  it("rejects workers with different dp-rank counts", () => {
    const uneven = fpmMap(fpm("a"), fpm("a", { dpRank: 1 }), fpm("b"));
    expect(fpmMatchesWorkerCount(uneven, 2)).toBe(false);
  });

  it("an empty map reconciles only with zero workers", () => {
    expect(fpmMatchesWorkerCount(fpmMap(), 0)).toBe(true);
    expect(fpmMatchesWorkerCount(fpmMap(), 1)).toBe(false);
  });
});
