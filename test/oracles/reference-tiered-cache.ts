/**
 * Reference tiered KV cache (docs/design.md#kv-tiers), written for obviousness, not speed: the GPU pool (G1) as a
 * Map of resident blocks with reference counts plus an array of inactive blocks (least recently freed first),
 * and the host (G2) and disk (G3) tiers as arrays (least recent first). Written from the description of the
 * tiers in src/sim/engine/kv-tiers.ts, kv-pool.ts and issue 15, not from their code; used only to cross-check
 * KvPool + KvTierChain on small histories (test/prop/engine-kv-tiers-match-reference.test.ts).
 *
 * The rules it models:
 *   - G1 holds at most `gpuBlocks` blocks, active (held) or inactive (cached). A block that is needed and not
 *     resident takes a free place, else the least recently freed inactive block is evicted; with neither the
 *     allocation stops (a prefix of the request is obtained).
 *   - An evicted prompt block (never a generated or partial one) goes down: to G2 as its most recent entry, or to
 *     G3 when there is no G2. A full tier makes room first: a full G2 moves its least recent entry down to G3, a
 *     full G3 drops its least recent entry (the last copy is gone). A 0-block tier does not exist.
 *   - A block lives in one place only: a block G1 allocates afresh while a lower tier holds it loses the lower
 *     copy; onboarding moves blocks out of their tier into G1.
 *   - Onboarding of a prompt with nothing computed: its hit is a run of G1 blocks from the first block, followed
 *     by a run of G2/G3 blocks; the lower run is cut to the G1 places that are free or hold an inactive block
 *     outside the G1 run (onboarding never preempts), then the blocks leave their tiers and the whole hit is
 *     taken in G1 in prompt order.
 *   - Links: one G2→G1 and one G3→G1 link; each moves one transfer at a time, in the order transfers were asked
 *     for; a transfer of n blocks takes n · bytesPerBlock bytes ÷ (GB/s · 10^9 bytes/s).
 *   - Events, one record per block in the order things happen: an eviction publishes Removed(G1), then the moves
 *     that make room (each a Removed from the old tier, then room made below, then a Stored into the new one),
 *     then the Stored of the block's arrival; dropping a lower copy
 *     publishes its Removed; the blocks a call allocated afresh are published together at its end as Stored(G1),
 *     chained under the last full block the call hit (else the parent the caller gave).
 */
export const PARTIAL_BASE = -(2 ** 52);

export function isPartial(key: number): boolean {
  return key <= PARTIAL_BASE;
}

export type RefTier = "gpu" | "host" | "disk";

/** One block's event: parent is the block it was stored under (Stored only; NaN = root). */
export interface RefTierEvent {
  readonly kind: "stored" | "removed";
  readonly tier: RefTier;
  readonly hash: number;
  readonly parent: number | null;
}

interface TierEntry {
  readonly key: number;
  readonly parent: number;
}

export interface OnboardingPlan {
  /** Blocks of the hit already in G1, and the end of the whole hit (G1 blocks then onboarded ones). */
  readonly gpuRun: number;
  readonly hitEnd: number;
  readonly hostBlocks: number;
  readonly diskBlocks: number;
}

export interface RefTierCacheConfig {
  readonly gpuBlocks: number;
  readonly hostBlocks: number;
  readonly diskBlocks: number;
  readonly hostBandwidthGBps: number;
  readonly diskBandwidthGBps: number;
  readonly bytesPerBlock: number;
}

export class ReferenceTieredCache {
  readonly config: RefTierCacheConfig;
  /** Resident G1 blocks: reference count (0 = inactive) and the parent each was stored under. */
  readonly gpu = new Map<number, { ref: number; parent: number }>();
  /** Inactive G1 blocks, least recently freed first. */
  readonly gpuLru: number[] = [];
  /** Host and disk tiers, least recent first. */
  readonly host: TierEntry[] = [];
  readonly disk: TierEntry[] = [];
  readonly events: RefTierEvent[] = [];
  offloadedToHost = 0;
  offloadedToDisk = 0;
  droppedBlocks = 0;
  /** Transfers asked of each link so far, as [start, end] in ms. */
  readonly hostTransfers: [number, number][] = [];
  readonly diskTransfers: [number, number][] = [];

  constructor(config: RefTierCacheConfig) {
    this.config = config;
  }

  refCount(key: number): number {
    return this.gpu.get(key)?.ref ?? -1;
  }

  tierOf(key: number): RefTier | null {
    if (this.gpu.has(key)) return "gpu";
    if (this.host.some((e) => e.key === key)) return "host";
    if (this.disk.some((e) => e.key === key)) return "disk";
    return null;
  }

  get activeCount(): number {
    let n = 0;
    for (const b of this.gpu.values()) if (b.ref > 0) n++;
    return n;
  }

  get inactiveCount(): number {
    return this.gpuLru.length;
  }

  get freeCount(): number {
    return this.config.gpuBlocks - this.gpu.size;
  }

  hostKeys(): number[] {
    return this.host.map((e) => e.key);
  }

  diskKeys(): number[] {
    return this.disk.map((e) => e.key);
  }

  /** Takes a reference on keys[from .. to) in order; returns how many were obtained (a prefix). */
  use(keys: ArrayLike<number>, from: number, to: number, parent?: number): number {
    let lastHit = parent ?? (from > 0 ? (keys[from - 1] as number) : Number.NaN);
    const fresh: number[] = [];
    let j = from;
    for (; j < to; j++) {
      const key = keys[j] as number;
      const block = this.gpu.get(key);
      if (block !== undefined) {
        if (block.ref === 0) this.gpuLru.splice(this.gpuLru.indexOf(key), 1);
        block.ref++;
        if (!isPartial(key)) lastHit = key;
        continue;
      }
      if (this.gpu.size === this.config.gpuBlocks) {
        const victim = this.gpuLru.shift();
        if (victim === undefined) break;
        this.evict(victim);
      }
      this.gpu.set(key, { ref: 1, parent: Number.NaN });
      if (!isPartial(key)) {
        this.dropLowerCopy(key);
        fresh.push(key);
      }
    }
    fresh.forEach((key, i) => {
      const p = i === 0 ? lastHit : (fresh[i - 1] as number);
      (this.gpu.get(key) as { parent: number }).parent = p;
      this.events.push({ kind: "stored", tier: "gpu", hash: key, parent: p });
    });
    return j - from;
  }

  /** Drops one reference on each of keys[from .. to), last block first; a block at 0 becomes the newest inactive. */
  deref(keys: ArrayLike<number>, from: number, to: number): void {
    for (let j = to - 1; j >= from; j--) {
      const key = keys[j] as number;
      const block = this.gpu.get(key);
      if (block === undefined || block.ref < 1) throw new Error(`reference deref of inactive block ${key}`);
      block.ref--;
      if (block.ref === 0) this.gpuLru.push(key);
    }
  }

  /** The partial block (held once) becomes full block `full`; returns nothing (the fast pool returns a slot). */
  promote(partial: number, full: number, parent: number): void {
    const p = this.gpu.get(partial);
    if (p === undefined || p.ref !== 1) throw new Error("reference promote of a partial block not held once");
    this.gpu.delete(partial);
    const existing = this.gpu.get(full);
    if (existing !== undefined) {
      if (existing.ref === 0) this.gpuLru.splice(this.gpuLru.indexOf(full), 1);
      existing.ref++;
      return;
    }
    this.gpu.set(full, { ref: 1, parent });
    this.dropLowerCopy(full);
    this.events.push({ kind: "stored", tier: "gpu", hash: full, parent });
  }

  /** What onboarding a prompt of `fullBlocks` full blocks would take (see the header); changes nothing. */
  planOnboarding(keys: ArrayLike<number>, fullBlocks: number): OnboardingPlan {
    let gpuRun = 0;
    while (gpuRun < fullBlocks && this.gpu.has(keys[gpuRun] as number)) gpuRun++;
    const hitInGpu = new Set(Array.from({ length: gpuRun }, (_, j) => keys[j] as number));
    // Places onboarding may use: free ones, and inactive blocks it does not itself reactivate.
    const room = this.freeCount + this.gpuLru.filter((key) => !hitInGpu.has(key)).length;
    let hitEnd = gpuRun;
    let hostBlocks = 0;
    let diskBlocks = 0;
    while (hitEnd < fullBlocks && hitEnd - gpuRun < room) {
      const tier = this.tierOf(keys[hitEnd] as number);
      if (tier === "host") hostBlocks++;
      else if (tier === "disk") diskBlocks++;
      else break;
      hitEnd++;
    }
    return { gpuRun, hitEnd, hostBlocks, diskBlocks };
  }

  /** Onboards the plan: the lower blocks leave their tiers, then the whole hit is taken in G1. */
  onboard(keys: ArrayLike<number>, plan: OnboardingPlan): void {
    for (let j = plan.gpuRun; j < plan.hitEnd; j++) this.dropLowerCopy(keys[j] as number);
    const got = this.use(keys, 0, plan.hitEnd);
    if (got !== plan.hitEnd) throw new Error(`reference onboarding got ${got} of ${plan.hitEnd} blocks`);
  }

  /** Queues host and disk transfers at nowMs (FIFO per link); returns when the last lands, ms. */
  scheduleTransfers(nowMs: number, hostBlocks: number, diskBlocks: number): number {
    let ready = nowMs;
    const links: [[number, number][], number, number][] = [
      [this.hostTransfers, hostBlocks, this.config.hostBandwidthGBps],
      [this.diskTransfers, diskBlocks, this.config.diskBandwidthGBps],
    ];
    for (const [queue, blocks, gbps] of links) {
      if (blocks === 0) continue;
      const previousEnd = queue.length === 0 ? 0 : (queue[queue.length - 1] as [number, number])[1];
      const start = Math.max(nowMs, previousEnd);
      const seconds = (blocks * this.config.bytesPerBlock) / (gbps * 1e9);
      queue.push([start, start + seconds * 1000]);
      ready = Math.max(ready, start + seconds * 1000);
    }
    return ready;
  }

  /** Conservation: every block in one place at most, capacities held, LRU = the inactive blocks; or null. */
  violation(): string | null {
    const c = this.config;
    if (this.gpu.size > c.gpuBlocks) return `G1 holds ${this.gpu.size} > ${c.gpuBlocks}`;
    if (this.host.length > c.hostBlocks) return `G2 holds ${this.host.length} > ${c.hostBlocks}`;
    if (this.disk.length > c.diskBlocks) return `G3 holds ${this.disk.length} > ${c.diskBlocks}`;
    const inactive = [...this.gpu].filter(([, b]) => b.ref === 0).map(([k]) => k);
    if (inactive.length !== this.gpuLru.length || inactive.some((k) => !this.gpuLru.includes(k)))
      return "the G1 LRU is not the set of inactive blocks";
    for (const b of this.gpu.values()) if (b.ref < 0) return "negative reference count";
    const seen = new Set<number>(this.gpu.keys());
    for (const e of [...this.host, ...this.disk]) {
      if (isPartial(e.key)) return `partial block ${e.key} in a lower tier`;
      if (seen.has(e.key)) return `block ${e.key} is in two places`;
      seen.add(e.key);
    }
    return null;
  }

  private evict(key: number): void {
    const block = this.gpu.get(key) as { parent: number };
    this.gpu.delete(key);
    if (isPartial(key)) return;
    this.events.push({ kind: "removed", tier: "gpu", hash: key, parent: null });
    if (key < 0) return; // a generated block: no later prompt can match it, so it is not offloaded
    const entry = { key, parent: block.parent };
    if (this.config.hostBlocks > 0) this.pushHost(entry);
    else this.pushDisk(entry);
  }

  private pushHost(entry: TierEntry): void {
    if (this.host.length === this.config.hostBlocks) {
      const oldest = this.host.shift() as TierEntry;
      this.events.push({ kind: "removed", tier: "host", hash: oldest.key, parent: null });
      this.pushDisk(oldest);
    }
    this.host.push(entry);
    this.offloadedToHost++;
    this.events.push({ kind: "stored", tier: "host", hash: entry.key, parent: entry.parent });
  }

  private pushDisk(entry: TierEntry): void {
    if (this.config.diskBlocks === 0) {
      this.droppedBlocks++;
      return;
    }
    if (this.disk.length === this.config.diskBlocks) {
      const oldest = this.disk.shift() as TierEntry;
      this.events.push({ kind: "removed", tier: "disk", hash: oldest.key, parent: null });
      this.droppedBlocks++;
    }
    this.disk.push(entry);
    this.offloadedToDisk++;
    this.events.push({ kind: "stored", tier: "disk", hash: entry.key, parent: entry.parent });
  }

  private dropLowerCopy(key: number): void {
    for (const [tier, list] of [
      ["host", this.host],
      ["disk", this.disk],
    ] as const) {
      const at = list.findIndex((e) => e.key === key);
      if (at < 0) continue;
      list.splice(at, 1);
      this.events.push({ kind: "removed", tier, hash: key, parent: null });
    }
  }
}
