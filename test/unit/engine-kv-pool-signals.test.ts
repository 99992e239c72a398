import { describe, expect, it } from "vitest";
import { KvEventKind, KvEventLog } from "../../src/sim/engine/kv-event-log.js";
import { KvPool, PARTIAL_KEY_BASE } from "../../src/sim/engine/kv-pool.js";

const keys = (...k: number[]): Float64Array => Float64Array.from(k);
function events(log: KvEventLog): [string, number | null, number[]][] {
  const out: [string, number | null, number[]][] = [];
  for (let e = 0; e < log.count; e++) {
    const parent = log.parentHash[e] as number;
    out.push([
      log.kind[e] === KvEventKind.Stored ? "stored" : "removed",
      Number.isNaN(parent) ? null : parent,
      log.eventHashes(e),
    ]);
  }
  return out;
}

// Use / Deref / Promote / Destroy (docs/design.md#kv-block-pool) and the events each publishes.
describe("KV pool signals", () => {
  it("Use: shared blocks gain references; one Stored event lists the new full blocks under the last hit", () => {
    const pool = new KvPool(10);
    const log = new KvEventLog();
    pool.events = log;
    pool.use(keys(1, 2), 0, 2, Number.NaN);
    expect(events(log)).toEqual([["stored", null, [1, 2]]]);
    log.reset();
    const partial = PARTIAL_KEY_BASE - 1;
    pool.use(keys(1, 2, 3, 4, partial), 0, 5, Number.NaN);
    expect(events(log)).toEqual([["stored", 2, [3, 4]]]); // the partial block is not published
    expect([pool.refCount(1), pool.refCount(3), pool.refCount(partial)]).toEqual([2, 1, 1]);
    log.reset();
    pool.use(keys(1, 2, 3, 4, 5), 4, 5, 4); // caller-supplied parent when nothing is hit
    expect(events(log)).toEqual([["stored", 4, [5]]]);
  });

  it("Deref: publishes nothing; a block stays cached (inactive) until evicted", () => {
    const pool = new KvPool(4);
    const log = new KvEventLog();
    pool.events = log;
    pool.use(keys(1, 2), 0, 2, Number.NaN);
    log.reset();
    pool.deref(keys(1, 2), 0, 2);
    expect(log.count).toBe(0);
    expect([pool.refCount(1), pool.contains(1), pool.activeCount, pool.inactiveCount]).toEqual([
      0,
      true,
      0,
      2,
    ]);
    log.reset();
    pool.use(keys(1, 2), 0, 2, Number.NaN); // reactivation publishes nothing either
    expect(log.count).toBe(0);
  });

  it("Promote: a new full block takes the partial's place and is published under the given parent", () => {
    const pool = new KvPool(4);
    const log = new KvEventLog();
    pool.events = log;
    const partial = PARTIAL_KEY_BASE - 3;
    pool.use(keys(1, partial), 0, 2, Number.NaN);
    log.reset();
    pool.promote(partial, -1, 1);
    expect(events(log)).toEqual([["stored", 1, [-1]]]);
    expect([pool.contains(partial), pool.refCount(-1), pool.activeCount]).toEqual([false, 1, 2]);
  });

  it("Promote onto an existing block: an active one gains a reference, an inactive one is reactivated", () => {
    const pool = new KvPool(5);
    const log = new KvEventLog();
    pool.events = log;
    const p1 = PARTIAL_KEY_BASE - 1;
    const p2 = PARTIAL_KEY_BASE - 2;
    pool.use(keys(7, 8, p1, p2), 0, 4, Number.NaN);
    pool.deref(keys(8), 0, 1); // 8 inactive
    log.reset();
    pool.promote(p1, 7, Number.NaN);
    pool.promote(p2, 8, Number.NaN);
    expect(log.count).toBe(0);
    expect([pool.refCount(7), pool.refCount(8), pool.activeCount, pool.inactiveCount]).toEqual([2, 1, 2, 0]);
    expect(pool.checkInvariants()).toBeNull();
  });

  it("Destroy: removes active blocks outright, publishing Removed for full ones (merged when consecutive)", () => {
    const pool = new KvPool(4);
    const log = new KvEventLog();
    pool.events = log;
    const partial = PARTIAL_KEY_BASE - 9;
    pool.use(keys(1, 2, partial), 0, 3, Number.NaN);
    log.reset();
    pool.destroy(keys(1, 2, partial), 0, 3);
    expect(events(log)).toEqual([["removed", null, [1, 2]]]);
    expect([pool.activeCount, pool.inactiveCount, pool.contains(1)]).toEqual([0, 0, false]);
    expect(() => pool.destroy(keys(1), 0, 1)).toThrow("not resident");
  });

  it("publishes nothing when events are off (prefix caching disabled)", () => {
    const pool = new KvPool(1);
    pool.use(keys(1), 0, 1, Number.NaN);
    pool.deref(keys(1), 0, 1);
    expect(pool.use(keys(2), 0, 1, Number.NaN)).toBe(1); // evicts 1 silently
    expect(pool.contains(1)).toBe(false);
  });
});
