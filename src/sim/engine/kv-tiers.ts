import { type KvEventLog, KvTier, type KvTierValue } from "./kv-event-log.js";
import { DISK_LEVEL, HOST_LEVEL, KvTierStore } from "./kv-tier-store.js";

/**
 * The KV tiers below one engine's GPU pool (docs/design.md#kv-tiers): host memory (G2) and local disk (G3),
 * exclusive of the GPU and of each other — a block lives in at most one tier at a time.
 *
 *   G1 evicts a prompt block → it becomes G2's most recent entry (G3's when there is no host tier)
 *   G2 full                 → its least recent entry moves to G3 (dropped when there is no disk tier)
 *   G3 full                 → its least recent entry is dropped (the last copy is gone)
 *   onboarding (take*)      → the block leaves its tier for the GPU
 *   the GPU recomputes a block a lower tier holds → the lower copy is dropped (discardIn)
 *
 * Every move is published on `events` (when set) as a Removed from the old tier and a Stored into the new one.
 * Links: one host↔GPU link and one disk↔GPU link per engine, each moving one transfer at a time (FIFO); a disk
 * hit is read straight into the GPU at the disk link's bandwidth (the slower hop of disk → host → GPU).
 */
export interface KvTierConfig {
  readonly hostBlocks: number;
  /** GB/s (10^9 bytes per second). */
  readonly hostBandwidthGBps: number;
  readonly diskBlocks: number;
  readonly diskBandwidthGBps: number;
  /** Bytes one engine block moves: block_size × kv_bytes_per_token. */
  readonly bytesPerBlock: number;
}

/** 0 = in no lower tier. */
export const NOT_IN_LOWER_TIER = 0;

export class KvTierChain {
  /** Both tiers' blocks (kv-tier-store.ts); a tier of capacity 0 is absent. */
  readonly store: KvTierStore;
  readonly hasHost: boolean;
  readonly hasDisk: boolean;
  readonly config: KvTierConfig;
  /** Where moves are published (set per pass by the scheduler, like the pool's); null = not published. */
  events: KvEventLog | null;
  /** When each link finishes the transfers queued on it, ms. */
  hostLinkFreeMs: number;
  diskLinkFreeMs: number;
  /** Blocks offloaded into G2 / G3 and dropped from the last tier, since the start (diagnostics). */
  offloadedToHost: number;
  offloadedToDisk: number;
  droppedBlocks: number;
  private readonly scratch: Float64Array;

  constructor(config: KvTierConfig) {
    this.config = config;
    this.store = new KvTierStore(config.hostBlocks, config.diskBlocks);
    this.hasHost = config.hostBlocks > 0;
    this.hasDisk = config.diskBlocks > 0;
    this.events = null;
    this.hostLinkFreeMs = 0;
    this.diskLinkFreeMs = 0;
    this.offloadedToHost = 0;
    this.offloadedToDisk = 0;
    this.droppedBlocks = 0;
    this.scratch = new Float64Array(1);
  }

  /** The lower tier holding keys[at]: KvTier.Host, KvTier.Disk, or NOT_IN_LOWER_TIER. */
  tierIn(keys: Float64Array, at: number): number {
    const e = this.store.entryIn(keys, at);
    if (e < 0) return NOT_IN_LOWER_TIER;
    return this.store.levelOf(e) === HOST_LEVEL ? KvTier.Host : KvTier.Disk;
  }

  /**
   * A prompt block the GPU evicted (key cell[keyAt] ≥ 0, parent cell[parentAt]) goes down one tier. Generated
   * blocks (negative ids) stay out: no later prompt can match one (the next turn's prompt blocks carry the
   * trace's hashes), so offloading it would only take room.
   */
  offloadAt(cell: Float64Array, keyAt: number, parentAt: number): void {
    if ((cell[keyAt] as number) < 0) return;
    const parent = cell[parentAt] as number;
    const level = this.hasHost ? HOST_LEVEL : DISK_LEVEL;
    this.makeRoom(level);
    this.store.insertIn(level, cell, keyAt, parent);
    if (level === HOST_LEVEL) this.offloadedToHost++;
    else this.offloadedToDisk++;
    this.events?.pushStored(parent, cell, keyAt, keyAt + 1, tierOfLevel(level));
  }

  /**
   * Onboarding: keys[at] leaves its lower tier for the GPU; returns the tier it was in (NOT_IN_LOWER_TIER when
   * none held it).
   */
  takeIn(keys: Float64Array, at: number): number {
    const e = this.store.entryIn(keys, at);
    if (e < 0) return NOT_IN_LOWER_TIER;
    const tier = tierOfLevel(this.store.levelOf(e));
    this.store.removeEntry(e);
    this.events?.pushRemoved(keys[at] as number, tier);
    return tier;
  }

  /** The GPU computed keys[at] afresh: a lower copy, if any, is dropped (a block lives in one tier). */
  discardIn(keys: Float64Array, at: number): void {
    this.takeIn(keys, at);
  }

  /** Transfer time of `blocks` blocks over a link of `bandwidthGBps`, ms. */
  transferMs(blocks: number, bandwidthGBps: number): number {
    return ((blocks * this.config.bytesPerBlock) / (bandwidthGBps * 1e9)) * 1000;
  }

  /**
   * Queues the onboarding of `hostBlocks` host and `diskBlocks` disk blocks at nowMs, each on its link behind
   * the transfers already queued there; returns when the last of them lands, ms.
   */
  scheduleOnboarding(nowMs: number, hostBlocks: number, diskBlocks: number): number {
    let readyMs = nowMs;
    if (hostBlocks > 0) {
      const start = Math.max(nowMs, this.hostLinkFreeMs);
      this.hostLinkFreeMs = start + this.transferMs(hostBlocks, this.config.hostBandwidthGBps);
      readyMs = Math.max(readyMs, this.hostLinkFreeMs);
    }
    if (diskBlocks > 0) {
      const start = Math.max(nowMs, this.diskLinkFreeMs);
      this.diskLinkFreeMs = start + this.transferMs(diskBlocks, this.config.diskBandwidthGBps);
      readyMs = Math.max(readyMs, this.diskLinkFreeMs);
    }
    return readyMs;
  }

  /** Blocks held in G2 and G3. */
  get hostCount(): number {
    return this.store.size[HOST_LEVEL];
  }

  get diskCount(): number {
    return this.store.size[DISK_LEVEL];
  }

  /** The blocks of G2 / G3 from least to most recent (tests and diagnostics). */
  hostKeys(): number[] {
    return this.store.keysInLruOrder(HOST_LEVEL);
  }

  diskKeys(): number[] {
    return this.store.keysInLruOrder(DISK_LEVEL);
  }

  /** Structure of both tiers (one table, so a block cannot be in both); the first violation, or null. */
  checkInvariants(): string | null {
    return this.store.checkInvariants();
  }

  /**
   * Makes room for one block in `level` before it arrives: a full host tier moves its oldest block down (Removed
   * from the host, room made in the disk, Stored into the disk), a full disk tier drops its oldest.
   */
  private makeRoom(level: number): void {
    const store = this.store;
    if ((store.size[level] as number) < (store.capacity[level] as number)) return;
    const e = store.oldest(level);
    const key = store.keyOf(e);
    const tier = tierOfLevel(level);
    if (level === HOST_LEVEL && this.hasDisk) {
      this.events?.pushRemoved(key, tier);
      this.makeRoom(DISK_LEVEL);
      store.moveTo(e, DISK_LEVEL);
      this.offloadedToDisk++;
      if (this.events !== null) {
        this.scratch[0] = key;
        this.events.pushStored(store.parentOf(e), this.scratch, 0, 1, KvTier.Disk);
      }
      return;
    }
    store.removeEntry(e);
    this.droppedBlocks++;
    this.events?.pushRemoved(key, tier);
  }
}

function tierOfLevel(level: number): KvTierValue {
  return level === HOST_LEVEL ? KvTier.Host : KvTier.Disk;
}

/** The tier configuration of an engine's args; null when neither tier is on. */
export function tierConfigOf(args: {
  readonly block_size: number;
  readonly kv_bytes_per_token: number | null;
  readonly host_kv_blocks: number;
  readonly host_kv_bandwidth: number | null;
  readonly disk_kv_blocks: number;
  readonly disk_kv_bandwidth: number | null;
}): KvTierConfig | null {
  if (args.host_kv_blocks === 0 && args.disk_kv_blocks === 0) return null;
  return {
    hostBlocks: args.host_kv_blocks,
    hostBandwidthGBps: args.host_kv_bandwidth ?? Number.POSITIVE_INFINITY,
    diskBlocks: args.disk_kv_blocks,
    diskBandwidthGBps: args.disk_kv_bandwidth ?? Number.POSITIVE_INFINITY,
    bytesPerBlock: args.block_size * (args.kv_bytes_per_token ?? 0),
  };
}
