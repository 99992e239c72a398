import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KvEventKind, KvEventLog, KvTier } from "../../src/sim/engine/kv-event-log.js";
import { KvPool, PARTIAL_KEY_BASE } from "../../src/sim/engine/kv-pool.js";
import { KvTierChain } from "../../src/sim/engine/kv-tiers.js";
import {
  type OnboardingPlan,
  ReferenceTieredCache,
  type RefTier,
  type RefTierEvent,
} from "../oracles/reference-tiered-cache.js";
import { makeRequests, type Row } from "../support/router-kit.js";

/**
 * The GPU pool with host and disk tiers below it (KvPool + KvTierChain) behaves exactly like the slow reference
 * tiered cache (test/oracles/reference-tiered-cache.ts) on engine-like histories: sequences take prompt prefixes
 * (plus a partial block) and extend them, free them tail first, promote generated blocks, and onboard prompts
 * whose hit runs from the GPU into the host and disk tiers, all on pools small enough that blocks keep moving
 * down, back up and out. Tier sizes are random, 0 included: host and disk, host only, disk only, none. After
 * every step both agree on every block's place and reference count, the host and disk LRU orders, the per-block
 * event stream (kind, tier, hash, parent) and the move counters; both conserve blocks (one place at most,
 * capacities held); and the fast structures pass their own invariant checks. Onboarding timing is checked
 * against the reference's per-link FIFO transfer queues.
 */

const BLOCK = 4;
const TIER_OF: Record<number, RefTier> = {
  [KvTier.Gpu]: "gpu",
  [KvTier.Host]: "host",
  [KvTier.Disk]: "disk",
};

const rowArb: fc.Arbitrary<Row> = fc
  .record({
    family: fc.integer({ min: 0, max: 2 }),
    shared: fc.integer({ min: 0, max: 4 }),
    blocks: fc.integer({ min: 1, max: 8 }),
  })
  .map(({ family, shared, blocks }) => ({
    isl: blocks * BLOCK,
    ids: Array.from({ length: shared }, (_, j) => family * 100 + j),
  }));

const opArb = fc.record({
  kind: fc.constantFrom(
    "use",
    "use",
    "use",
    "extend",
    "free",
    "free",
    "promote",
    "onboard",
    "onboard",
    "onboard",
  ),
  pick: fc.nat(),
  length: fc.nat(),
  advanceMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 50, noNaN: true })),
});

const scenarioArb = fc.record({
  rows: fc.array(rowArb, { minLength: 2, maxLength: 8, size: "max" }),
  perTrace: fc.constantFrom(1, 1, 2, 3),
  gpuBlocks: fc.integer({ min: 2, max: 16 }),
  // 0 = no such tier: host and disk, host only, disk only, none.
  hostBlocks: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 })),
  diskBlocks: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 })),
  hostBandwidthGBps: fc.constantFrom(0.5, 50, 1e6),
  diskBandwidthGBps: fc.constantFrom(0.07, 7),
  bytesPerToken: fc.constantFrom(1000, 327_680),
  // Sequences held at once: a new one first frees the oldest beyond this, so blocks keep being freed and evicted.
  maxLive: fc.integer({ min: 1, max: 4 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 90, size: "max" }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface Seq {
  readonly keys: Float64Array;
  readonly slots: Int32Array;
  held: number;
}

/** The fast log as one record per block, as the reference writes them. */
function flatEvents(log: KvEventLog): RefTierEvent[] {
  const out: RefTierEvent[] = [];
  for (let e = 0; e < log.count; e++) {
    const kind = log.kind[e] === KvEventKind.Stored ? "stored" : "removed";
    const tier = TIER_OF[log.tier[e] as number] as RefTier;
    let parent = log.parentHash[e] as number;
    for (const hash of log.eventHashes(e)) {
      out.push({ kind, tier, hash, parent: kind === "stored" ? parent : null });
      parent = hash;
    }
  }
  return out;
}

function run(s: Scenario): void {
  const requests = makeRequests(s.rows, BLOCK, s.perTrace);
  const prompts = s.rows.map((_, i) => requests.blockHashes(i));
  const bytesPerBlock = BLOCK * s.bytesPerToken;
  const config = {
    hostBlocks: s.hostBlocks,
    hostBandwidthGBps: s.hostBandwidthGBps,
    diskBlocks: s.diskBlocks,
    diskBandwidthGBps: s.diskBandwidthGBps,
    bytesPerBlock,
  };
  const pool = new KvPool(s.gpuBlocks, s.perTrace);
  const log = new KvEventLog();
  pool.events = log;
  // The engine builds no chain when neither tier is on (tierConfigOf returns null); so does this test.
  const chain = s.hostBlocks + s.diskBlocks > 0 ? new KvTierChain(config) : null;
  pool.lowerTiers = chain;
  if (chain !== null) chain.events = log;
  const ref = new ReferenceTieredCache({ gpuBlocks: s.gpuBlocks, ...config });
  const live: Seq[] = [];
  const everyKey = new Set<number>(prompts.flatMap((p) => Array.from(p)));
  let partial = PARTIAL_KEY_BASE;
  let generated = -1;
  let nowMs = 0;

  const check = (step: string): void => {
    expect(pool.checkInvariants(), step).toBeNull();
    expect(chain?.checkInvariants() ?? null, step).toBeNull();
    expect(ref.violation(), step).toBeNull();
    expect(flatEvents(log), step).toEqual(ref.events);
    log.reset();
    ref.events.length = 0;
    expect([pool.activeCount, pool.inactiveCount, pool.freeCount], step).toEqual([
      ref.activeCount,
      ref.inactiveCount,
      ref.freeCount,
    ]);
    expect(chain?.hostKeys() ?? [], step).toEqual(ref.hostKeys());
    expect(chain?.diskKeys() ?? [], step).toEqual(ref.diskKeys());
    // Without a chain the fast pool counts nothing; the reference still counts every evicted full block dropped.
    if (chain === null) expect([ref.offloadedToHost, ref.offloadedToDisk], step).toEqual([0, 0]);
    else
      expect([chain.offloadedToHost, chain.offloadedToDisk, chain.droppedBlocks], step).toEqual([
        ref.offloadedToHost,
        ref.offloadedToDisk,
        ref.droppedBlocks,
      ]);
    // Every block's place: [key, G1 refcount (−1 = not in G1), lower tier holding it (null = none)].
    const scratch = new Float64Array(1);
    const places = (fast: boolean): unknown[] =>
      [...everyKey].map((key) => {
        if (!fast) {
          const tier = ref.tierOf(key);
          return [key, ref.refCount(key), tier === "gpu" ? null : tier];
        }
        scratch[0] = key;
        const lower = chain?.tierIn(scratch, 0) ?? 0;
        return [key, pool.refCount(key), lower === 0 ? null : TIER_OF[lower]];
      });
    expect(places(true), step).toEqual(places(false));
  };

  for (const [i, op] of s.ops.entries()) {
    const step = `step ${i} (${op.kind})`;
    nowMs += op.advanceMs;
    if (op.kind === "use" || op.kind === "onboard") {
      while (live.length >= s.maxLive) {
        const oldest = live.shift() as Seq;
        pool.derefSlots(oldest.slots, 0, oldest.held);
        ref.deref(oldest.keys, 0, oldest.held);
      }
      const prompt = prompts[op.pick % prompts.length] as Float64Array;
      const keys = new Float64Array(prompt.length + 1);
      keys.set(prompt);
      keys[prompt.length] = partial--;
      everyKey.add(keys[prompt.length] as number);
      const seq: Seq = { keys, slots: new Int32Array(keys.length), held: 0 };
      if (op.kind === "use") {
        const to = 1 + (op.length % keys.length);
        seq.held = pool.use(keys, 0, to, undefined, seq.slots);
        expect(seq.held, step).toBe(ref.use(keys, 0, to));
      } else {
        // As the scheduler onboards (scheduler.ts startOnboarding), through the fast structures' own API.
        const plan = fastPlan(pool, chain, keys, prompt.length);
        expect(plan, step).toEqual(ref.planOnboarding(keys, prompt.length));
        if (chain === null || plan.hitEnd === plan.gpuRun) {
          check(step);
          continue;
        }
        for (let j = plan.gpuRun; j < plan.hitEnd; j++) chain.takeIn(keys, j);
        seq.held = pool.use(keys, 0, plan.hitEnd, undefined, seq.slots);
        expect(seq.held, step).toBe(plan.hitEnd);
        ref.onboard(keys, plan);
        const readyMs = chain.scheduleOnboarding(nowMs, plan.hostBlocks, plan.diskBlocks);
        const refReadyMs = ref.scheduleTransfers(nowMs, plan.hostBlocks, plan.diskBlocks);
        expect(Math.abs(readyMs - refReadyMs), step).toBeLessThanOrEqual(1e-9 * Math.max(1, refReadyMs));
      }
      if (seq.held > 0) live.push(seq);
    } else if (op.kind === "extend") {
      const seq = live.find((q) => q.held < q.keys.length);
      if (seq !== undefined) {
        const to = Math.min(seq.keys.length, seq.held + 1 + (op.length % 3));
        const got = pool.use(seq.keys, seq.held, to, undefined, seq.slots);
        expect(got, step).toBe(ref.use(seq.keys, seq.held, to));
        seq.held += got;
      }
    } else if (op.kind === "free") {
      if (live.length > 0) {
        const seq = live.splice(op.pick % live.length, 1)[0] as Seq;
        pool.derefSlots(seq.slots, 0, seq.held);
        ref.deref(seq.keys, 0, seq.held);
      }
    } else {
      const seq = live.find(
        (q) => q.held === q.keys.length && (q.keys[q.held - 1] as number) <= PARTIAL_KEY_BASE,
      );
      if (seq !== undefined) {
        const at = seq.held - 1;
        const parent = at > 0 ? (seq.keys[at - 1] as number) : Number.NaN;
        seq.slots[at] = pool.promote(seq.keys[at] as number, generated, parent);
        ref.promote(seq.keys[at] as number, generated, parent);
        everyKey.add(generated);
        seq.keys[at] = generated--;
      }
    }
    check(step);
  }
}

/** The onboarding plan read off the fast pool and chain, as scheduler.ts startOnboarding computes it. */
function fastPlan(
  pool: KvPool,
  chain: KvTierChain | null,
  keys: Float64Array,
  fullBlocks: number,
): OnboardingPlan {
  let gpuRun = 0;
  let pinned = 0;
  while (gpuRun < fullBlocks && pool.refCountIn(keys, gpuRun) >= 0) {
    if (pool.refCountIn(keys, gpuRun) === 0) pinned++;
    gpuRun++;
  }
  const room = pool.freeCount + pool.inactiveCount - pinned;
  let hitEnd = gpuRun;
  let hostBlocks = 0;
  let diskBlocks = 0;
  while (chain !== null && hitEnd < fullBlocks && hitEnd - gpuRun < room) {
    const tier = chain.tierIn(keys, hitEnd);
    if (tier === KvTier.Host) hostBlocks++;
    else if (tier === KvTier.Disk) diskBlocks++;
    else break;
    hitEnd++;
  }
  return { gpuRun, hitEnd, hostBlocks, diskBlocks };
}

describe("the GPU pool with host and disk tiers matches the slow reference tiered cache", () => {
  it("on engine-like histories: places, refcounts, LRU orders, events, counters and transfer times", () => {
    fc.assert(fc.property(scenarioArb, run), { seed: 15, numRuns: 200 });
  });
});
