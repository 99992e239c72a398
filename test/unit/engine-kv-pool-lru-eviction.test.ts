import { describe, expect, it } from "vitest";
import { KvEventLog } from "../../src/sim/engine/kv-event-log.js";
import { KvPool, PARTIAL_KEY_BASE } from "../../src/sim/engine/kv-pool.js";

const keys = (...k: number[]): Float64Array => Float64Array.from(k);
const removed = (log: KvEventLog): number[] => {
  const out: number[] = [];
  for (let e = 0; e < log.count; e++) if (log.kind[e] === 2) out.push(...log.eventHashes(e));
  return out;
};

// docs/design.md#kv-block-pool: capacity counts active + inactive blocks; a new block at capacity evicts the
// least recently freed inactive block (Removed for a full block); sequences free tail-first, so a suffix is
// evicted before its prefix.
describe("KV pool LRU eviction", () => {
  it("evicts least recently freed first; tail-first deref makes the suffix go first", () => {
    const pool = new KvPool(4);
    const log = new KvEventLog();
    pool.events = log;
    const seq = keys(10, 11, 12);
    expect(pool.use(seq, 0, 3, Number.NaN)).toBe(3);
    pool.deref(seq, 0, 3); // frees 12, then 11, then 10: LRU order 12, 11, 10
    expect([pool.activeCount, pool.inactiveCount]).toEqual([0, 3]);
    log.reset();
    const other = keys(20, 21, 22);
    expect(pool.use(other, 0, 3, Number.NaN)).toBe(3); // 1 free slot, then evicts 12, then 11
    expect(removed(log)).toEqual([12, 11]);
    expect(pool.contains(10)).toBe(true);
    expect(pool.contains(12)).toBe(false);
    expect([pool.activeCount, pool.inactiveCount]).toEqual([3, 1]);
  });

  it("stops at a partial allocation when nothing is evictable, and evicts partial blocks silently", () => {
    const pool = new KvPool(3);
    const log = new KvEventLog();
    pool.events = log;
    const partial = PARTIAL_KEY_BASE - 7;
    const a = keys(1, partial);
    pool.use(a, 0, 2, Number.NaN);
    pool.deref(a, 0, 2); // LRU: partial, then 1
    log.reset();
    const b = keys(5, 6, 7, 8);
    expect(pool.use(b, 0, 4, Number.NaN)).toBe(3); // free slot, evict partial (no event), evict 1; then stop
    expect(removed(log)).toEqual([1]);
    expect([pool.activeCount, pool.inactiveCount]).toEqual([3, 0]);
    expect(pool.checkInvariants()).toBeNull();
  });

  it("a reused inactive block leaves the LRU and is no longer the eviction candidate", () => {
    const pool = new KvPool(2);
    const x = keys(1, 2);
    pool.use(x, 0, 2, Number.NaN);
    pool.deref(x, 0, 2); // LRU: 2, 1
    pool.use(keys(2), 0, 1, Number.NaN); // reactivates 2
    pool.use(keys(9), 0, 1, Number.NaN); // must evict 1 (2 is active)
    expect([pool.contains(1), pool.contains(2), pool.contains(9)]).toEqual([false, true, true]);
    expect(pool.refCount(2)).toBe(1);
  });
});
