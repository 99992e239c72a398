import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KvEventLog } from "../../src/sim/engine/kv-event-log.js";
import { KvPool, PARTIAL_KEY_BASE } from "../../src/sim/engine/kv-pool.js";
import { PoolMirror } from "../../src/sim/router/pool-mirror.js";
import { PrefixIndex } from "../../src/sim/router/prefix-index.js";
import { makeRequests, type Row } from "../support/router-kit.js";

/**
 * The pool mirror (reading the engines' pools) against the prefix index fed every KV event, on engine-like
 * histories: sequences take prompt prefixes from small pools (so blocks are evicted, partly and in runs), finish
 * tail first, and sometimes promote a generated block. After every batch the overlap scores of every prompt and
 * every tree size must agree. A batch may be "dropped" instead (the cluster discards a no-progress pass): the
 * index rebuilt from the pools with that batch undone must then score like the index that never saw it.
 */

const BLOCK = 4;

interface Seq {
  readonly w: number;
  readonly keys: Float64Array;
  held: number;
}

const rowArb: fc.Arbitrary<Row> = fc
  .record({
    family: fc.integer({ min: 0, max: 2 }),
    shared: fc.integer({ min: 0, max: 4 }),
    blocks: fc.integer({ min: 1, max: 7 }),
  })
  .map(({ family, shared, blocks }) => ({
    isl: blocks * BLOCK,
    ids: Array.from({ length: shared }, (_, j) => family * 100 + j),
  }));

const scenarioArb = fc.record({
  rows: fc.array(rowArb, { minLength: 2, maxLength: 10 }),
  perTrace: fc.constantFrom(1, 2, 3),
  workers: fc.integer({ min: 1, max: 4 }),
  capacity: fc.integer({ min: 4, max: 24 }),
  ops: fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.nat(), fc.nat()), {
    minLength: 1,
    maxLength: 80,
  }),
});

function scores(m: {
  scoredCount: number;
  scoredWorker: Int32Array;
  scoredBlocks: Int32Array;
  scoredTreeSize: Int32Array;
}): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.scoredCount; i++)
    out.push([m.scoredWorker[i] as number, m.scoredBlocks[i] as number, m.scoredTreeSize[i] as number]);
  return out;
}

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario): void {
  const requests = makeRequests(s.rows, BLOCK, s.perTrace);
  const prompts = s.rows.map((_, i) => requests.blockHashes(i));
  const pools: KvPool[] = [];
  const mirror = new PoolMirror();
  const index = new PrefixIndex(16, 16, 2);
  for (let w = 0; w < s.workers; w++) {
    const pool = new KvPool(s.capacity);
    pool.events = new KvEventLog();
    pools.push(pool);
    mirror.attach(w, pool);
    index.ensureWorker(w);
  }
  const live: Seq[] = [];
  let partial = PARTIAL_KEY_BASE;
  let generated = -1;

  const agree = (step: string, one: PrefixIndex | PoolMirror, other: PrefixIndex): void => {
    for (const p of prompts) {
      one.findMatches(p, p.length);
      other.findMatches(p, p.length);
      expect(scores(one), step).toEqual(scores(other));
    }
    for (let w = 0; w < s.workers; w++) expect(one.treeSize(w), step).toBe(other.treeSize(w));
  };

  for (const [op, a, b] of s.ops) {
    const w = a % s.workers;
    const pool = pools[w] as KvPool;
    const log = pool.events as KvEventLog;
    log.reset();
    if (op <= 4) {
      // A sequence takes a prompt (plus, half the time, a partial block) as far as the pool allows.
      const prompt = prompts[b % prompts.length] as Float64Array;
      const withPartial = op % 2 === 0;
      const keys = new Float64Array(prompt.length + (withPartial ? 1 : 0));
      keys.set(prompt);
      if (withPartial) keys[prompt.length] = partial--;
      const held = pool.use(keys, 0, keys.length);
      if (held > 0) live.push({ w, keys, held });
    } else if (op <= 7) {
      if (live.length === 0) continue;
      const seq = live.splice(b % live.length, 1)[0] as Seq;
      (pools[seq.w] as KvPool).events?.reset();
      (pools[seq.w] as KvPool).deref(seq.keys, 0, seq.held);
      continue; // freeing publishes nothing
    } else {
      // A generated token fills a sequence's partial block: it becomes a full block with a fresh negative id.
      const k = live.findIndex(
        (q) => q.held === q.keys.length && (q.keys[q.held - 1] as number) <= PARTIAL_KEY_BASE,
      );
      if (k < 0) continue;
      const seq = live[k] as Seq;
      const p = pools[seq.w] as KvPool;
      const logOf = p.events as KvEventLog;
      logOf.reset();
      const at = seq.held - 1;
      const parent = at > 0 ? (seq.keys[at - 1] as number) : Number.NaN;
      p.promote(seq.keys[at] as number, generated, parent);
      seq.keys[at] = generated--;
      if (logOf.count > 0 && op === 9) {
        // Dropped: rebuild an index from the pools without this batch; it must match the index as it stands.
        const rebuilt = new PrefixIndex(16, 16, 2);
        mirror.buildIndex(rebuilt, seq.w, logOf);
        agree(`rebuilt after dropping a promotion on ${seq.w}`, rebuilt, index);
        return;
      }
      index.applyEvents(seq.w, logOf);
      agree(`promotion on ${seq.w}`, mirror, index);
      continue;
    }
    if (log.count === 0) continue;
    if (b % 11 === 0) {
      const rebuilt = new PrefixIndex(16, 16, 2);
      mirror.buildIndex(rebuilt, w, log);
      agree(`rebuilt after dropping a batch of ${w}`, rebuilt, index);
      return;
    }
    index.applyEvents(w, log);
    agree(`batch of ${w}`, mirror, index);
  }
  // Rebuilding with nothing dropped gives the index too.
  const rebuilt = new PrefixIndex(16, 16, 2);
  mirror.buildIndex(rebuilt, -1, null);
  agree("rebuilt at the end", mirror, rebuilt);
}

describe("the pool mirror scores prompts exactly like the prefix index fed every event", () => {
  it("on engine-like histories, and rebuilds the index exactly when a batch is dropped", () => {
    fc.assert(fc.property(scenarioArb, run), { seed: 13, numRuns: 300 });
  });
});
