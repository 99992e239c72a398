import { describe, expect, it } from "vitest";
import { ReplicaTimeline, replicaStats } from "../../src/replay/replica-stats.js";

describe("replica statistics over simulated time", () => {
  it("integrates a hand-made scaling timeline: peak, time-weighted mean, initial and final", () => {
    // 2 workers for 0–10 s, 3 for 10–25 s, 5 for 25–30 s, 1 for 30–40 s:
    // ∫ = 2·10 + 3·15 + 5·5 + 1·10 = 20 + 45 + 25 + 10 = 100 replica-seconds over 40 s → mean 2.5.
    const stats = replicaStats(
      2,
      [
        { atS: 10, count: 3 },
        { atS: 25, count: 5 },
        { atS: 30, count: 1 },
      ],
      40,
    );
    expect(stats).toEqual({ peak: 5, timeWeightedMean: 2.5, initial: 2, final: 1 });
  });

  it("ignores changes after the end, and a zero-length run reports its initial count", () => {
    // 1 worker for 0–4 s, 4 workers for 4–6 s: (4 + 8)/6 = 2. The change at 7 s comes after the end.
    const stats = replicaStats(
      1,
      [
        { atS: 4, count: 4 },
        { atS: 7, count: 9 },
      ],
      6,
    );
    expect(stats).toEqual({ peak: 4, timeWeightedMean: 2, initial: 1, final: 4 });
    expect(replicaStats(3, [], 0)).toEqual({ peak: 3, timeWeightedMean: 3, initial: 3, final: 3 });
  });

  it("the timeline keeps only real changes", () => {
    const t = new ReplicaTimeline(2);
    t.observe(5, 2);
    t.observe(10, 4);
    t.observe(15, 4);
    t.observe(20, 3);
    expect(t.changes).toEqual([
      { atS: 10, count: 4 },
      { atS: 20, count: 3 },
    ]);
    // 2·10 + 4·10 + 3·20 = 120 over 40 s = 3.
    expect(t.stats(40).timeWeightedMean).toBe(3);
  });
});
