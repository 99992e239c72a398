// Splitting a window's events across shards and merging gives the same statistics as one accumulator
// (counts exactly, sums up to float reassociation).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TrafficAccumulator } from "../../src/signals/traffic-accumulator.js";

const event = fc.oneof(
  fc.record({
    kind: fc.constant("request" as const),
    isl: fc.integer({ min: 1, max: 100_000 }),
    osl: fc.integer({ min: 1, max: 4000 }),
    ttftMs: fc.double({ min: 0, max: 5000, noNaN: true }),
    itlMs: fc.double({ min: 0, max: 200, noNaN: true }),
    measured: fc.boolean(),
    shard: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    kind: fc.constant("admission" as const),
    islBlocks: fc.integer({ min: 0, max: 200 }),
    overlapFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    shard: fc.integer({ min: 0, max: 3 }),
  }),
);

describe("TrafficAccumulator merge", () => {
  it("equals a single accumulator over all events", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const whole = new TrafficAccumulator(0);
        const shards = [0, 1, 2, 3].map(() => new TrafficAccumulator(0));
        for (const e of events) {
          for (const acc of [whole, shards[e.shard]!]) {
            if (e.kind === "request") {
              acc.onRequest(e.isl, e.osl, e.measured ? { ttftMs: e.ttftMs, meanItlMs: e.itlMs } : null);
            } else {
              acc.onAdmission(Math.floor(e.overlapFraction * e.islBlocks), e.islBlocks);
            }
          }
        }
        const merged = TrafficAccumulator.fromFloat64Array(shards[0]!.toFloat64Array());
        for (const s of shards.slice(1)) merged.mergeFrom(s);
        const a = whole.drain(60_000);
        const b = merged.drain(60_000);
        expect(b.numReq).toBe(a.numReq);
        expect(b.hitRateCount).toBe(a.hitRateCount);
        expect(b.durationS).toBe(a.durationS);
        for (const key of [
          "avgIsl",
          "avgOsl",
          "avgTtftMs",
          "avgItlMs",
          "avgKvHitRate",
          "hitRateSum",
        ] as const) {
          expect(b[key]).toBeCloseTo(a[key], 9);
        }
        expect(b.avgKvHitRate).toBeGreaterThanOrEqual(0);
        expect(b.avgKvHitRate).toBeLessThanOrEqual(1);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
