import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KvEventLog } from "../../src/sim/engine/kv-event-log.js";
import { KvPool, PARTIAL_KEY_BASE } from "../../src/sim/engine/kv-pool.js";
import { makeRequests, type Row } from "../support/router-kit.js";

/**
 * A KV pool that files blocks by run (trace block: runLength engine blocks under one table entry) behaves exactly
 * like the per-block pool (runLength 1) on engine-like histories: sequences take prompt prefixes (plus a partial
 * block) from a small pool — so runs are evicted whole and in part — free them tail first, and promote generated
 * blocks. Every call's result, slot, published event and count must agree, and both stay internally consistent.
 */

const BLOCK = 4;

const rowArb: fc.Arbitrary<Row> = fc
  .record({
    family: fc.integer({ min: 0, max: 2 }),
    shared: fc.integer({ min: 0, max: 3 }),
    blocks: fc.integer({ min: 1, max: 9 }),
  })
  .map(({ family, shared, blocks }) => ({
    isl: blocks * BLOCK,
    ids: Array.from({ length: shared }, (_, j) => family * 100 + j),
  }));

const scenarioArb = fc.record({
  rows: fc.array(rowArb, { minLength: 2, maxLength: 8 }),
  perTrace: fc.constantFrom(2, 3, 4),
  capacity: fc.integer({ min: 3, max: 20 }),
  ops: fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.nat()), { minLength: 1, maxLength: 80 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface Seq {
  readonly keys: Float64Array;
  readonly slots: readonly Int32Array[];
  held: number;
}

function eventsOf(log: KvEventLog): unknown[] {
  const out: unknown[] = [];
  for (let e = 0; e < log.count; e++) out.push([log.kind[e], log.parentHash[e], log.eventHashes(e)]);
  return out;
}

function run(s: Scenario): void {
  const requests = makeRequests(s.rows, BLOCK, s.perTrace);
  const prompts = s.rows.map((_, i) => requests.blockHashes(i));
  const pools = [new KvPool(s.capacity, 1), new KvPool(s.capacity, s.perTrace)] as const;
  for (const p of pools) p.events = new KvEventLog();
  const live: Seq[] = [];
  let partial = PARTIAL_KEY_BASE;
  let generated = -1;
  const same = (step: string, a: unknown, b: unknown): void => {
    expect(b, step).toEqual(a);
    for (const p of pools) expect(p.checkInvariants(), step).toBeNull();
    expect(pools[1].activeCount, step).toBe(pools[0].activeCount);
    expect(pools[1].inactiveCount, step).toBe(pools[0].inactiveCount);
    expect(pools[1].residentFullCount, step).toBe(pools[0].residentFullCount);
    expect(eventsOf(pools[1].events as KvEventLog), step).toEqual(eventsOf(pools[0].events as KvEventLog));
    for (const q of prompts)
      for (let j = 0; j < q.length; j++)
        expect(pools[1].containsIn(q, j), step).toBe(pools[0].containsIn(q, j));
  };
  for (const [op, b] of s.ops) {
    for (const p of pools) (p.events as KvEventLog).reset();
    if (op <= 4) {
      const prompt = prompts[b % prompts.length] as Float64Array;
      const keys = new Float64Array(prompt.length + 1);
      keys.set(prompt);
      keys[prompt.length] = partial--;
      const seq: Seq = { keys, slots: [new Int32Array(keys.length), new Int32Array(keys.length)], held: 0 };
      const got = pools.map((p, i) => p.use(keys, 0, keys.length, undefined, seq.slots[i] as Int32Array));
      seq.held = got[0] as number;
      same("use", got[0], got[1]);
      const [one, other] = seq.slots as [Int32Array, Int32Array];
      expect(Array.from(other.subarray(0, seq.held))).toEqual(Array.from(one.subarray(0, seq.held)));
      if (seq.held > 0) live.push(seq);
    } else if (op <= 7) {
      if (live.length === 0) continue;
      const seq = live.splice(b % live.length, 1)[0] as Seq;
      pools.forEach((p, i) => {
        p.derefSlots(seq.slots[i] as Int32Array, 0, seq.held);
      });
      same("deref", 0, 0);
    } else {
      const seq = live.find(
        (q) => q.held === q.keys.length && (q.keys[q.held - 1] as number) <= PARTIAL_KEY_BASE,
      );
      if (seq === undefined) continue;
      const at = seq.held - 1;
      const parent = at > 0 ? (seq.keys[at - 1] as number) : Number.NaN;
      const got = pools.map((p) => p.promote(seq.keys[at] as number, generated, parent));
      pools.forEach((_, i) => {
        (seq.slots[i] as Int32Array)[at] = got[i] as number;
      });
      seq.keys[at] = generated--;
      same("promote", got[0], got[1]);
    }
  }
}

describe("a KV pool filed by runs behaves exactly like the per-block pool", () => {
  it("on engine-like histories with eviction, partial runs and promotions", () => {
    fc.assert(fc.property(scenarioArb, run), { seed: 21, numRuns: 200 });
  });
});
