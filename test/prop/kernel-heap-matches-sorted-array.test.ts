import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventHeap } from "../../native-free-kernels/heap.js";

interface Event {
  readonly time: number;
  readonly seq: number;
  readonly kind: number;
  readonly arg: number;
}

/** Oracle: an array kept sorted by (time, seq) with a linear insertion; the front is the next event. */
class SortedArrayQueue {
  readonly items: Event[] = [];
  private seq = 0;
  push(time: number, kind: number, arg: number): void {
    const e = { time, seq: this.seq++, kind, arg };
    // Insert after every event with time ≤ the new one: equal times stay in insertion order.
    let i = 0;
    while (i < this.items.length && (this.items[i] as Event).time <= time) i++;
    this.items.splice(i, 0, e);
  }
  shift(): Event | undefined {
    return this.items.shift();
  }
  clear(): void {
    this.items.length = 0;
    this.seq = 0;
  }
}

type Op =
  | { readonly op: "push"; readonly time: number; readonly kind: number; readonly arg: number }
  | { readonly op: "pop" }
  | { readonly op: "clear" };

// Few distinct times (many ties), plus arbitrary doubles including ±0, ±Infinity and negatives.
const timeArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 5 }), weight: 6 },
  { arbitrary: fc.constantFrom(-0, 0, -1.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), weight: 1 },
  { arbitrary: fc.double({ noNaN: true }), weight: 2 },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant("push" as const),
      time: timeArb,
      kind: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      arg: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    }),
    weight: 60,
  },
  { arbitrary: fc.record({ op: fc.constant("pop" as const) }), weight: 40 },
  { arbitrary: fc.record({ op: fc.constant("clear" as const) }), weight: 1 },
);

function checkTop(heap: EventHeap, oracle: SortedArrayQueue): void {
  const next = oracle.items[0];
  expect(heap.size).toBe(oracle.items.length);
  if (next === undefined) {
    expect(heap.peekTime()).toBe(Number.POSITIVE_INFINITY);
    return;
  }
  expect([heap.peekTime(), heap.peekSeq(), heap.peekKind(), heap.peekArg()]).toEqual([
    next.time,
    next.seq,
    next.kind,
    next.arg,
  ]);
}

describe("EventHeap pops in (time, insertion order), like a sorted array", () => {
  it("agrees with a sorted-array queue on random push/pop/clear interleavings with many equal times", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 500 }), fc.constantFrom(0, 1, 5, 64), (ops, cap) => {
        const heap = new EventHeap(cap);
        const oracle = new SortedArrayQueue();
        for (const o of ops) {
          if (o.op === "push") {
            heap.push(o.time, o.kind, o.arg);
            oracle.push(o.time, o.kind, o.arg);
          } else if (o.op === "pop") {
            if (oracle.shift() === undefined) expect(() => heap.pop()).toThrow(RangeError);
            else heap.pop();
          } else {
            heap.clear();
            oracle.clear();
          }
          checkTop(heap, oracle);
        }
        // Drain: the remaining events come out in exactly the oracle's order.
        while (oracle.items.length > 0) {
          checkTop(heap, oracle);
          heap.pop();
          oracle.shift();
        }
        checkTop(heap, oracle);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("keeps FIFO order among 10 000 events at the same time mixed with later ones", () => {
    const heap = new EventHeap(4);
    for (let i = 0; i < 10000; i++) heap.push(i % 3 === 0 ? 7 : 3, 0, i);
    // times 3 come first in insertion order (args not divisible by 3), then times 7 (args 0, 3, 6, ...).
    const expected = [
      ...Array.from({ length: 10000 }, (_, i) => i).filter((i) => i % 3 !== 0),
      ...Array.from({ length: 10000 }, (_, i) => i).filter((i) => i % 3 === 0),
    ];
    const popped: number[] = [];
    while (heap.size > 0) {
      popped.push(heap.peekArg());
      heap.pop();
    }
    expect(popped).toEqual(expected);
  });

  it("rejects NaN times and non-int32 kinds or args", () => {
    const heap = new EventHeap();
    expect(() => heap.push(Number.NaN, 0, 0)).toThrow(RangeError);
    expect(() => heap.push(1, 2 ** 31, 0)).toThrow(RangeError);
    expect(() => heap.push(1, 0, 0.5)).toThrow(RangeError);
    expect(heap.size).toBe(0);
    expect([heap.peekKind(), heap.peekArg()]).toEqual([-1, -1]);
  });
});
