import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LruList } from "../../native-free-kernels/lru.js";

type Op =
  | { readonly op: "push" | "remove" | "touch" | "has"; readonly node: number }
  | { readonly op: "pop" | "clear" };

const CAPACITY = 12;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("push" as const), node: fc.nat(CAPACITY - 1) }), weight: 40 },
  { arbitrary: fc.record({ op: fc.constant("remove" as const), node: fc.nat(CAPACITY - 1) }), weight: 20 },
  { arbitrary: fc.record({ op: fc.constant("touch" as const), node: fc.nat(CAPACITY - 1) }), weight: 15 },
  { arbitrary: fc.record({ op: fc.constant("has" as const), node: fc.nat(CAPACITY - 1) }), weight: 10 },
  { arbitrary: fc.record({ op: fc.constant("pop" as const) }), weight: 15 },
  { arbitrary: fc.record({ op: fc.constant("clear" as const) }), weight: 1 },
);

/** Walks the list least → most recent through the public API. */
function order(lru: LruList): number[] {
  const out: number[] = [];
  for (let n = lru.leastRecent(); n !== -1; n = lru.moreRecentThan(n)) out.push(n);
  return out;
}

describe("LruList keeps the same order as an array (index 0 = least recent)", () => {
  it("agrees with an array list on random push/remove/touch/pop/clear sequences", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const lru = new LruList(CAPACITY);
        const oracle: number[] = [];
        for (const o of ops) {
          switch (o.op) {
            case "push":
              if (oracle.includes(o.node)) expect(() => lru.pushMostRecent(o.node)).toThrow(RangeError);
              else {
                lru.pushMostRecent(o.node);
                oracle.push(o.node);
              }
              break;
            case "remove":
              if (!oracle.includes(o.node)) expect(() => lru.remove(o.node)).toThrow(RangeError);
              else {
                lru.remove(o.node);
                oracle.splice(oracle.indexOf(o.node), 1);
              }
              break;
            case "touch":
              if (oracle.includes(o.node)) {
                lru.touch(o.node);
                oracle.splice(oracle.indexOf(o.node), 1);
                oracle.push(o.node);
              }
              break;
            case "has":
              expect(lru.has(o.node)).toBe(oracle.includes(o.node));
              break;
            case "pop":
              expect(lru.popLeastRecent()).toBe(oracle.shift() ?? -1);
              break;
            case "clear":
              lru.clear();
              oracle.length = 0;
              break;
          }
          expect(lru.size).toBe(oracle.length);
          expect(lru.leastRecent()).toBe(oracle[0] ?? -1);
          expect(lru.mostRecent()).toBe(oracle[oracle.length - 1] ?? -1);
          expect(order(lru)).toEqual(oracle);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("rejects node ids outside 0 .. capacity−1", () => {
    const lru = new LruList(4);
    for (const bad of [-1, 4, 1.5, Number.NaN]) {
      expect(() => lru.pushMostRecent(bad)).toThrow(RangeError);
      expect(lru.has(bad)).toBe(false);
    }
    expect(new LruList(0).popLeastRecent()).toBe(-1);
  });
});
