import { describe, expect, it } from "vitest";
import { cloneGraph, collectShared } from "../../src/util/graph-clone.js";

class Counter {
  count = 0;
  readonly log: number[] = [];
  bump(): number {
    this.log.push(this.count);
    return ++this.count;
  }
}

class Node2 {
  next: Node2 | null = null;
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

describe("cloneGraph", () => {
  it("keeps prototypes: a copied instance runs its class's methods on its own state", () => {
    const c = new Counter();
    c.bump();
    const copy = cloneGraph(c);
    expect(copy).toBeInstanceOf(Counter);
    expect(copy.bump()).toBe(2);
    expect(c.count).toBe(1);
    expect(c.log).toEqual([0]);
    expect(copy.log).toEqual([0, 1]);
  });

  it("keeps cycles and aliasing: an object reached twice is copied once", () => {
    const a = new Node2(1);
    const b = new Node2(2);
    a.next = b;
    b.next = a;
    const root = { a, b, again: a };
    const copy = cloneGraph(root);
    expect(copy.a).not.toBe(a);
    expect(copy.again).toBe(copy.a);
    expect(copy.a.next).toBe(copy.b);
    expect(copy.b.next).toBe(copy.a);
  });

  it("copies typed arrays with their views: two views of one buffer stay one buffer", () => {
    const f = new Float64Array([1.5, 2.5]);
    const words = new Uint32Array(f.buffer);
    const tail = f.subarray(1);
    const copy = cloneGraph({ f, words, tail });
    expect(copy.words.buffer).toBe(copy.f.buffer);
    expect(copy.tail.buffer).toBe(copy.f.buffer);
    expect(copy.tail.byteOffset).toBe(8);
    copy.f[1] = 9;
    expect(copy.tail[0]).toBe(9);
    expect(f[1]).toBe(2.5);
  });

  it("keeps Map and Set insertion order and array holes", () => {
    const m = new Map<string | number, number>([
      ["z", 1],
      [3, 2],
      ["a", 3],
    ]);
    const s = new Set([5, 1, 3]);
    // biome-ignore lint/suspicious/noSparseArray: a hole is the point of this test
    const holey = [1, , 3];
    const copy = cloneGraph({ m, s, holey });
    expect([...copy.m.keys()]).toEqual(["z", 3, "a"]);
    expect([...copy.s]).toEqual([5, 1, 3]);
    expect(1 in copy.holey).toBe(false);
    expect(copy.holey.length).toBe(3);
  });

  it("shares registered data and functions, and refuses what it cannot copy", () => {
    const table = { rows: new Float64Array([1, 2, 3]) };
    const fn = (x: number): number => x + 1;
    const root = { table, fn, own: { n: 1 } };
    const copy = cloneGraph(root, collectShared([table]));
    expect(copy.table).toBe(table);
    expect(copy.fn).toBe(fn);
    expect(copy.own).not.toBe(root.own);
    expect(() => cloneGraph({ w: new WeakMap() })).toThrow(/WeakMap/);
  });

  it("keeps frozen objects frozen", () => {
    const copy = cloneGraph({ settings: Object.freeze({ a: 1 }) });
    expect(Object.isFrozen(copy.settings)).toBe(true);
  });

  it("recycles an old copy's memory and still gives an exact, independent copy", () => {
    const make = (n: number) => ({
      counter: Object.assign(new Counter(), { count: n }),
      cells: new Int32Array([n, n + 1, n + 2]),
      byKey: new Map([["k", new Float64Array([n])]]),
      list: [new Node2(n), new Node2(n + 1)],
    });
    const source = make(10);
    const old = cloneGraph(make(0));
    const oldCells = old.cells;
    const oldCounter = old.counter;
    const copy = cloneGraph(source, new Set(), old);
    // The same memory, now holding the source's values.
    expect(copy.cells).toBe(oldCells);
    expect(copy.counter).toBe(oldCounter);
    expect(Array.from(copy.cells)).toEqual([10, 11, 12]);
    expect(copy.counter.count).toBe(10);
    expect(copy.byKey.get("k")?.[0]).toBe(10);
    expect(copy.list.map((x) => x.value)).toEqual([10, 11]);
    // Independent of the source.
    copy.cells[0] = -1;
    copy.counter.bump();
    expect(source.cells[0]).toBe(10);
    expect(source.counter.count).toBe(10);
  });

  it("never lets one recycled buffer take two sources' contents", () => {
    const shared = new Float64Array(2);
    const old = { a: shared, b: shared };
    const source = { a: new Float64Array([1, 2]), b: new Float64Array([3, 4]) };
    const copy = cloneGraph(source, new Set(), old as typeof source);
    expect(copy.a.buffer).not.toBe(copy.b.buffer);
    expect(Array.from(copy.a)).toEqual([1, 2]);
    expect(Array.from(copy.b)).toEqual([3, 4]);
  });
});
