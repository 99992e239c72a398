import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PendingQueue } from "../../src/sim/router/pending-queue.js";

interface Entry {
  readonly request: number;
  readonly key: number;
  readonly seq: number;
  readonly overlaps: readonly (readonly [number, number, number])[];
}

const opArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      key: fc.integer({ min: -5, max: 5 }).map((k) => k / 4),
      overlaps: fc.array(fc.tuple(fc.nat(40), fc.nat(300), fc.nat(5000)), { maxLength: 9 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant(null) },
);

describe("pending queue pops by (key desc, enqueue order) with the overlaps stored at enqueue", () => {
  it("matches a linear-scan oracle through heap growth and arena compaction", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 1500, size: "max" }), (ops) => {
        const q = new PendingQueue(ops.length);
        const oracle: Entry[] = [];
        let next = 0;
        for (const op of ops) {
          if (op !== null) {
            const r = next++;
            const w = Int32Array.from(op.overlaps.map((o) => o[0]));
            const b = Int32Array.from(op.overlaps.map((o) => o[1]));
            const t = Int32Array.from(op.overlaps.map((o) => o[2]));
            q.push(r, op.key, w, b, t, op.overlaps.length);
            oracle.push({ request: r, key: op.key, seq: r, overlaps: op.overlaps });
            continue;
          }
          if (oracle.length === 0) {
            expect(q.pop()).toBe(-1);
            continue;
          }
          let best = 0;
          for (let i = 1; i < oracle.length; i++) {
            const a = oracle[i] as Entry;
            const c = oracle[best] as Entry;
            if (a.key > c.key || (a.key === c.key && a.seq < c.seq)) best = i;
          }
          const want = oracle.splice(best, 1)[0] as Entry;
          expect(q.pop()).toBe(want.request);
          const got: [number, number, number][] = [];
          for (let i = 0; i < q.poppedCount; i++) {
            got.push([
              q.poppedWorker[i] as number,
              q.poppedBlocks[i] as number,
              q.poppedTreeSize[i] as number,
            ]);
          }
          expect(got).toEqual(want.overlaps);
          expect(q.size).toBe(oracle.length);
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});
