import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NOT_FOUND, NumberIntTable } from "../../native-free-kernels/table.js";

type Op =
  | { readonly op: "set" | "slotSet" | "inSet"; readonly key: number; readonly value: number }
  | {
      readonly op: "get" | "has" | "delete" | "slotGet" | "slotDelete" | "inGet" | "inDelete";
      readonly key: number;
    }
  | { readonly op: "clear" };

// Keys from a small pool so that sets, gets and deletes collide often; the pool mixes negatives, zero, −0,
// small integers, keys differing only in the high 32-bit lane, and values near ±2^53.
const keyPool = [
  0,
  -0,
  1,
  -1,
  2,
  7,
  8,
  16,
  1023,
  1024,
  -1024,
  2 ** 31,
  -(2 ** 31),
  2 ** 32,
  -(2 ** 32),
  2 ** 32 + 1,
  2 ** 33,
  3 * 2 ** 32,
  5 * 2 ** 40,
  2 ** 52,
  -(2 ** 52),
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  2 ** 53 - 2,
  123456789012345,
];
const keyArb = fc.oneof(
  fc.constantFrom(...keyPool),
  fc.integer({ min: -64, max: 64 }),
  fc.integer({ min: 0, max: 31 }).map((k) => k * 2 ** 32), // equal low lanes: only the high lane differs
  fc.maxSafeInteger(),
  fc.integer({ min: -(2 ** 53 - 1), max: -(2 ** 52) }),
);
const valueArb = fc.oneof(fc.nat(10), fc.constant(0), fc.constant(2 ** 31 - 1), fc.nat());
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("set" as const), key: keyArb, value: valueArb }), weight: 100 },
  { arbitrary: fc.record({ op: fc.constant("get" as const), key: keyArb }), weight: 60 },
  { arbitrary: fc.record({ op: fc.constant("has" as const), key: keyArb }), weight: 20 },
  { arbitrary: fc.record({ op: fc.constant("delete" as const), key: keyArb }), weight: 80 },
  { arbitrary: fc.record({ op: fc.constant("clear" as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("slotSet" as const), key: keyArb, value: valueArb }), weight: 60 },
  { arbitrary: fc.record({ op: fc.constant("slotGet" as const), key: keyArb }), weight: 30 },
  { arbitrary: fc.record({ op: fc.constant("slotDelete" as const), key: keyArb }), weight: 50 },
  { arbitrary: fc.record({ op: fc.constant("inSet" as const), key: keyArb, value: valueArb }), weight: 40 },
  { arbitrary: fc.record({ op: fc.constant("inGet" as const), key: keyArb }), weight: 30 },
  { arbitrary: fc.record({ op: fc.constant("inDelete" as const), key: keyArb }), weight: 40 },
);

/** Replays `ops` on the table and on a Map oracle, comparing every answer and the final contents. */
function replay(ops: readonly Op[], initialCapacity: number): void {
  const table = new NumberIntTable(initialCapacity);
  const oracle = new Map<number, number>(); // Map's SameValueZero treats −0 as 0, like the table
  for (const o of ops) {
    switch (o.op) {
      case "set":
        table.set(o.key, o.value);
        oracle.set(o.key, o.value);
        break;
      case "get":
        expect(table.get(o.key)).toBe(oracle.get(o.key) ?? NOT_FOUND);
        break;
      case "has":
        expect(table.has(o.key)).toBe(oracle.has(o.key));
        break;
      case "delete":
        expect(table.delete(o.key)).toBe(oracle.delete(o.key));
        break;
      case "clear":
        table.clear();
        oracle.clear();
        break;
      // The one-probe read-modify-write API (findSlot, then valueAt / setValueAt / insertAt / deleteAt).
      case "slotSet": {
        const slot = table.findSlot(o.key);
        expect(slot >= 0).toBe(oracle.has(o.key));
        if (slot >= 0) table.setValueAt(slot, o.value);
        else table.insertAt(slot, o.key, o.value);
        oracle.set(o.key, o.value);
        break;
      }
      case "slotGet": {
        const slot = table.findSlot(o.key);
        expect(slot >= 0 ? table.valueAt(slot) : NOT_FOUND).toBe(oracle.get(o.key) ?? NOT_FOUND);
        break;
      }
      // The (array, index) variants read the key out of a Float64Array.
      case "inSet":
        table.setIn(Float64Array.of(1, o.key), 1, o.value);
        oracle.set(o.key, o.value);
        break;
      case "inGet":
        expect(table.getIn(Float64Array.of(o.key), 0)).toBe(oracle.get(o.key) ?? NOT_FOUND);
        break;
      case "inDelete":
        expect(table.deleteIn(Float64Array.of(o.key), 0)).toBe(oracle.delete(o.key));
        break;
      case "slotDelete": {
        const slot = table.findSlot(o.key);
        expect(slot >= 0).toBe(oracle.delete(o.key));
        if (slot >= 0) table.deleteAt(slot);
        break;
      }
    }
    expect(table.size).toBe(oracle.size);
  }
  for (const [k, v] of oracle) expect(table.get(k)).toBe(v);
  const listed = new Map<number, number>();
  table.forEach((k, v) => {
    listed.set(k, v);
  });
  expect(listed).toEqual(oracle);
}

describe("NumberIntTable behaves like a Map<number, number>", () => {
  it("agrees with a Map on random set/get/has/delete/clear sequences", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), fc.constantFrom(0, 1, 16), (ops, cap) =>
        replay(ops, cap),
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("agrees with a Map under heavy deletion of dense key ranges (long probe runs, wrap-around)", () => {
    // Dense ranges of integers make long linear-probing runs; deleting most of them exercises backward shift.
    // 1 in 3 ops is a delete; keys come from base + [0, 200), so runs of adjacent slots fill and empty again.
    const denseOps = fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).chain((base) =>
      fc.array(
        fc.oneof(
          fc.record({
            op: fc.constant("set" as const),
            key: fc.nat(199).map((o) => base + o),
            value: fc.nat(1000),
          }),
          fc.record({
            op: fc.constantFrom("delete" as const, "get" as const),
            key: fc.nat(199).map((o) => base + o),
          }),
        ),
        { maxLength: 800 },
      ),
    );
    fc.assert(
      fc.property(denseOps, (ops) => replay(ops, 0)),
      { seed: 42, numRuns: 150 },
    );
  });

  it("keeps working after many insert/delete cycles (no tombstone build-up)", () => {
    const table = new NumberIntTable(64);
    const capacity = table.capacity;
    let deleted = 0;
    for (let round = 0; round < 2000; round++) {
      for (let k = 0; k < 32; k++) table.set(round * 1000 + k, k);
      for (let k = 0; k < 32; k++) if (table.delete(round * 1000 + k)) deleted++;
    }
    expect(deleted).toBe(2000 * 32);
    expect(table.size).toBe(0);
    expect(table.capacity).toBe(capacity); // never needed to grow: deletions leave no residue
    expect(table.get(5)).toBe(NOT_FOUND);
  });

  it("rejects keys outside (−2^53, 2^53) or non-integers, and values that are not int32 ≥ 0", () => {
    const table = new NumberIntTable();
    for (const bad of [2 ** 53, -(2 ** 53), 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => table.set(bad, 1)).toThrow(RangeError);
    }
    for (const bad of [-1, 2 ** 31, 1.5, Number.NaN]) expect(() => table.set(1, bad)).toThrow(RangeError);
    expect(table.get(0.5)).toBe(NOT_FOUND);
    expect(table.size).toBe(0);
  });
});
