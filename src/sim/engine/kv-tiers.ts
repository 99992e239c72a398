import { type KvEventLog, KvTier } from "./kv-event-log.js";
import { KvTierStore } from "./kv-tier-store.js";

/**
 * The KV tiers below one engine's GPU pool (docs/design.md#kv-tiers): host memory (G2) and local disk (G3),
 * exclusive of the GPU and of each other — a block lives in at most one tier at a time.
 *
 *   G1 evicts a full block  → it becomes G2's most recent entry (G3's when there is no host tier)
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
  readonly host: KvTierStore | null;
  readonly disk: KvTierStore | null;
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
    this.host = config.hostBlocks > 0 ? new KvTierStore(config.hostBlocks) : null;
    this.disk = config.diskBlocks > 0 ? new KvTierStore(config.diskBlocks) : null;
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
    if (this.host !== null && this.host.entryIn(keys, at) >= 0) return KvTier.Host;
    if (this.disk !== null && this.disk.entryIn(keys, at) >= 0) return KvTier.Disk;
    return NOT_IN_LOWER_TIER;
  }

  /** A full block the GPU evicted (key cell[keyAt], parent cell[parentAt]) goes down one tier. */
  offloadAt(cell: Float64Array, keyAt: number, parentAt: number): void {
    const parent = cell[parentAt] as number;
    if (this.host !== null) {
      this.host.insertIn(cell, keyAt, parent);
      this.offloadedToHost++;
      this.events?.pushStored(parent, cell, keyAt, keyAt + 1, KvTier.Host);
      if (!this.host.pushedOut) return;
      this.scratch[0] = this.host.pushedKey;
      const pushedParent = this.host.pushedParent;
      this.events?.pushRemoved(this.host.pushedKey, KvTier.Host);
      this.intoDisk(this.scratch, 0, pushedParent);
      return;
    }
    this.intoDisk(cell, keyAt, parent);
  }

  /**
   * Onboarding: keys[at] leaves its lower tier for the GPU; returns the tier it was in (NOT_IN_LOWER_TIER when
   * none held it).
   */
  takeIn(keys: Float64Array, at: number): number {
    if (this.host !== null) {
      const e = this.host.entryIn(keys, at);
      if (e >= 0) {
        this.host.removeEntry(e);
        this.events?.pushRemoved(keys[at] as number, KvTier.Host);
        return KvTier.Host;
      }
    }
    if (this.disk !== null) {
      const e = this.disk.entryIn(keys, at);
      if (e >= 0) {
        this.disk.removeEntry(e);
        this.events?.pushRemoved(keys[at] as number, KvTier.Disk);
        return KvTier.Disk;
      }
    }
    return NOT_IN_LOWER_TIER;
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
    return this.host?.size ?? 0;
  }

  get diskCount(): number {
    return this.disk?.size ?? 0;
  }

  /** Structure of both tiers and their exclusivity; the first violation, or null. */
  checkInvariants(): string | null {
    const hostProblem = this.host?.checkInvariants() ?? null;
    if (hostProblem !== null) return `host tier: ${hostProblem}`;
    const diskProblem = this.disk?.checkInvariants() ?? null;
    if (diskProblem !== null) return `disk tier: ${diskProblem}`;
    if (this.host !== null && this.disk !== null)
      for (const key of this.host.keysInLruOrder())
        if (this.disk.has(key)) return `block ${key} is in both the host and the disk tier`;
    return null;
  }

  private intoDisk(keys: Float64Array, at: number, parent: number): void {
    if (this.disk === null) {
      this.droppedBlocks++;
      return;
    }
    this.disk.insertIn(keys, at, parent);
    this.offloadedToDisk++;
    this.events?.pushStored(parent, keys, at, at + 1, KvTier.Disk);
    if (!this.disk.pushedOut) return;
    this.droppedBlocks++;
    this.events?.pushRemoved(this.disk.pushedKey, KvTier.Disk);
  }
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
