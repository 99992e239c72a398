/**
 * The router's view of the engines' KV tiers below the GPU (docs/design.md#kv-tiers, "router view"): for each
 * worker, which prompt blocks sit in its host tier (G2) or its disk tier (G3). The GPU prefix index
 * (prefix-index.ts) stays GPU-only; this view answers the one question the cost asks of the lower tiers —
 * "from block i of this prompt on, how many consecutive blocks does worker w hold in host / disk?" — which is
 * what the engine onboards after the GPU prefix (scheduler.ts, startOnboarding: a contiguous run of blocks each
 * in G2 or G3).
 *
 *   per worker w, fed by events:  tables[w]  NumberIntTable  block hash → KvTier.Host (2) | KvTier.Disk (3)
 *   per worker w, mirrored:       chains[w]  the engine's KvTierChain (pool.lowerTiers), read directly
 *   after runFrom:                hostRun, diskRun  blocks of the run in each tier
 *
 * Fed by events, a Stored event of tier t sets its blocks to t and a Removed event of tier t deletes those the
 * view holds in t (tiers are exclusive, so a block moving from host to disk is a Removed(host) then a
 * Stored(disk)). Mirrored (pool-mirror.ts), the engine's chain is read as it is between passes — what the events
 * applied so far describe. `empty` stays true until a worker holds a lower block, so with no tiers the router
 * never looks (and its costs are today's, bit for bit).
 */

import { NumberIntTable } from "../../../native-free-kernels/table.js";
import { KvEventKind, KvTier } from "../engine/kv-event-log.js";
import type { KvTierChain } from "../engine/kv-tiers.js";
import type { KvEventBatch } from "./kv-event-batch.js";

export class LowerTierView {
  /** Blocks of the last runFrom in the host / disk tier. */
  hostRun: number;
  diskRun: number;
  private tables: (NumberIntTable | null)[];
  private chains: (KvTierChain | null)[];
  private anyBlock: boolean;

  constructor() {
    this.hostRun = 0;
    this.diskRun = 0;
    this.tables = [];
    this.chains = [];
    this.anyBlock = false;
  }

  /** True while no worker has (or had) a lower tier with a block in it: the router skips the lookups. */
  get empty(): boolean {
    return !this.anyBlock;
  }

  /** Reads worker w's tiers from its engine's chain (pool mirror); null = no tiers. */
  attachChain(w: number, chain: KvTierChain | null): void {
    while (this.chains.length <= w) this.chains.push(null);
    this.chains[w] = chain;
    if (chain !== null) this.anyBlock = true;
  }

  /** Applies the lower-tier events of one pass of worker w, in order (GPU events are the prefix index's). */
  applyEvents(w: number, events: KvEventBatch): void {
    const tiers = events.tier;
    if (tiers === undefined) return;
    let table: NumberIntTable | null = null;
    for (let e = 0; e < events.count; e++) {
      const tier = tiers[e] as number;
      if (tier === KvTier.Gpu) continue;
      table ??= this.tableOf(w);
      const start = events.hashStart[e] as number;
      const end = start + (events.hashCount[e] as number);
      if (events.kind[e] === KvEventKind.Stored) {
        for (let i = start; i < end; i++) table.setIn(events.hashes, i, tier);
      } else {
        for (let i = start; i < end; i++)
          if (table.getIn(events.hashes, i) === tier) table.deleteIn(events.hashes, i);
      }
    }
  }

  /**
   * Undoes one batch of worker w (a pass the cluster discarded, which the view must not reflect): its
   * lower-tier events in reverse, Stored blocks out, Removed blocks back into their tier.
   */
  undoEvents(w: number, events: KvEventBatch): void {
    const tiers = events.tier;
    if (tiers === undefined) return;
    const table = this.tableOf(w);
    for (let e = events.count - 1; e >= 0; e--) {
      const tier = tiers[e] as number;
      if (tier === KvTier.Gpu) continue;
      const start = events.hashStart[e] as number;
      const end = start + (events.hashCount[e] as number);
      for (let i = end - 1; i >= start; i--) {
        if (events.kind[e] === KvEventKind.Stored) table.deleteIn(events.hashes, i);
        else table.setIn(events.hashes, i, tier);
      }
    }
  }

  /**
   * Leaves mirroring: every attached chain's blocks go into the event-fed tables (which then take the events),
   * and the chains are forgotten.
   */
  detachChains(): void {
    for (let w = 0; w < this.chains.length; w++) {
      const chain = this.chains[w];
      if (chain === null || chain === undefined) continue;
      const table = this.tableOf(w);
      for (const key of chain.hostKeys()) table.set(key, KvTier.Host);
      for (const key of chain.diskKeys()) table.set(key, KvTier.Disk);
    }
    this.chains = [];
  }

  /**
   * The run of keys[start .. count) that worker w holds in its lower tiers, from keys[start] on, into hostRun and
   * diskRun (both 0 when keys[start] is in neither).
   */
  runFrom(w: number, keys: Float64Array, count: number, start: number): void {
    let host = 0;
    let disk = 0;
    const chain = w < this.chains.length ? this.chains[w] : null;
    if (chain !== null && chain !== undefined) {
      for (let i = start; i < count; i++) {
        const tier = chain.tierIn(keys, i);
        if (tier === KvTier.Host) host++;
        else if (tier === KvTier.Disk) disk++;
        else break;
      }
    } else {
      const table = w < this.tables.length ? this.tables[w] : null;
      if (table !== null && table !== undefined && table.size > 0) {
        for (let i = start; i < count; i++) {
          const tier = table.getIn(keys, i);
          if (tier === KvTier.Host) host++;
          else if (tier === KvTier.Disk) disk++;
          else break;
        }
      }
    }
    this.hostRun = host;
    this.diskRun = disk;
  }

  /** The blocks the view places in worker w's host / disk tier, ascending (tests, --check-invariants). */
  blocksOf(w: number, tier: number): number[] {
    const chain = w < this.chains.length ? this.chains[w] : null;
    let keys: number[];
    if (chain !== null && chain !== undefined)
      keys = tier === KvTier.Host ? chain.hostKeys() : chain.diskKeys();
    else {
      keys = [];
      const table = w < this.tables.length ? this.tables[w] : null;
      table?.forEach((key, t) => {
        if (t === tier) keys.push(key);
      });
    }
    return keys.sort((a, b) => a - b);
  }

  private tableOf(w: number): NumberIntTable {
    while (this.tables.length <= w) this.tables.push(null);
    let table = this.tables[w] as NumberIntTable | null;
    if (table === null) {
      table = new NumberIntTable(1024);
      this.tables[w] = table;
      this.anyBlock = true;
    }
    return table;
  }
}
