/**
 * The router's prefix index read straight from the engines' KV pools (docs/design.md#prefix-index, "pool
 * mirror"): no Stored/Removed event is replayed into a tree of its own.
 *
 * Why it is exact. A KvRouter in a cluster applies every pass's KV events at pass start, right after the pass
 * was computed, so between passes the index holds, for each worker, exactly the full blocks resident in its pool.
 * Engine histories keep each pool prefix-closed along every hash chain: a sequence holds blocks [0, held), frees
 * them tail first, and a block is evicted only when inactive — so a block is never resident without its parent.
 * Then every held tree node is linked, one per hash, and the reference tree's find_matches reduces to sets:
 * the candidates at depth i are the workers whose pool holds prompt blocks 0..i (at depth 0 every mirrored
 * worker holding block 0); a worker drops out, scoring i, at the first block it lacks; the walk ends when no
 * candidate holds block i, all of them scoring i. tree_size(w) = the resident full blocks of w's pool.
 *
 *   per worker w:  pools[w]  its engine's KvPool (kept after the worker is deleted: the index keeps its blocks)
 *   ids[0..idCount)          mirrored worker ids, ascending (ids are never reused and attach in creation order)
 *   cand/next               the candidate list of one findMatches walk (ascending ids)
 *
 * When the premise breaks — the cluster discards a pass whose events the index never saw (a parked worker's
 * no-progress pass) — the router rebuilds a real index from the pools (buildIndex, undoing that batch) and
 * carries on with it.
 */

import { KvEventKind } from "../engine/kv-event-log.js";
import type { KvPool } from "../engine/kv-pool.js";
import { isLowerTierEvent, type KvEventBatch } from "./kv-event-batch.js";
import type { PrefixIndex } from "./prefix-index.js";

export class PoolMirror {
  /** After findMatches: workers with a score, their overlap (leading blocks) and tree size. */
  scoredCount: number;
  scoredWorker: Int32Array;
  scoredBlocks: Int32Array;
  scoredTreeSize: Int32Array;
  private pools: (KvPool | null)[];
  private ids: Int32Array;
  private idCount: number;
  private cand: Int32Array;
  private next: Int32Array;

  constructor() {
    this.scoredCount = 0;
    this.scoredWorker = new Int32Array(16);
    this.scoredBlocks = new Int32Array(16);
    this.scoredTreeSize = new Int32Array(16);
    this.pools = [];
    this.ids = new Int32Array(16);
    this.idCount = 0;
    this.cand = new Int32Array(16);
    this.next = new Int32Array(16);
  }

  /** Mirrors worker w's pool (w above every id mirrored so far). */
  attach(w: number, pool: KvPool): void {
    if (this.idCount > 0 && (this.ids[this.idCount - 1] as number) >= w)
      throw new Error(`pool mirror: worker ${w} attached out of order`);
    while (this.pools.length <= w) this.pools.push(null);
    this.pools[w] = pool;
    pool.eventsUnread = true;
    if (this.idCount === this.ids.length) {
      const cap = this.ids.length * 2;
      this.ids = grow(this.ids, cap);
      this.cand = new Int32Array(cap);
      this.next = new Int32Array(cap);
      this.scoredWorker = new Int32Array(cap);
      this.scoredBlocks = new Int32Array(cap);
      this.scoredTreeSize = new Int32Array(cap);
    }
    this.ids[this.idCount++] = w;
  }

  /** Ends mirroring: every pool publishes its events again (for the index that takes over). */
  release(): void {
    for (let k = 0; k < this.idCount; k++) (this.pools[this.ids[k] as number] as KvPool).eventsUnread = false;
  }

  /** tree_size(w): the full blocks resident in w's pool. */
  treeSize(w: number): number {
    const pool = w >= 0 && w < this.pools.length ? this.pools[w] : null;
    return pool === null || pool === undefined ? 0 : pool.residentFullCount;
  }

  /** find_matches (early_exit = false) of keys[0..count) into scored*[0 .. scoredCount) (see the header). */
  findMatches(keys: Float64Array, count: number): void {
    const pools = this.pools;
    let cand = this.cand;
    let next = this.next;
    let n = 0;
    let scored = 0;
    if (count > 0) {
      for (let k = 0; k < this.idCount; k++) {
        const w = this.ids[k] as number;
        if ((pools[w] as KvPool).containsIn(keys, 0)) cand[n++] = w;
      }
    }
    let depth = n > 0 ? 1 : 0;
    for (let i = 1; i < count && n > 0; i++) {
      let m = 0;
      for (let k = 0; k < n; k++) {
        const w = cand[k] as number;
        if ((pools[w] as KvPool).containsIn(keys, i)) next[m++] = w;
      }
      if (m === 0) break;
      if (m < n) {
        // The workers that lack block i score i: cand minus next, both ascending.
        let j = 0;
        for (let k = 0; k < n; k++) {
          const w = cand[k] as number;
          if (j < m && next[j] === w) j++;
          else scored = this.emit(w, i, scored);
        }
        const t = cand;
        cand = next;
        next = t;
        n = m;
      }
      depth = i + 1;
    }
    for (let k = 0; k < n; k++) scored = this.emit(cand[k] as number, depth, scored);
    this.cand = cand;
    this.next = next;
    this.scoredCount = scored;
  }

  /** The resident full blocks of w's pool (debug). */
  indexedBlocks(w: number): number[] {
    const pool = w >= 0 && w < this.pools.length ? this.pools[w] : null;
    return pool === null || pool === undefined ? [] : Array.from(pool.residentFullImage().keys);
  }

  /**
   * Stores every mirrored worker's resident full blocks into `index` (empty), parents first — what the index
   * would hold had it applied every event — except that worker `droppedWorker`'s batch `dropped` (already in
   * its pool) is undone, as the index never saw it. O(resident blocks).
   */
  buildIndex(index: PrefixIndex, droppedWorker: number, dropped: KvEventBatch | null): void {
    for (let k = 0; k < this.idCount; k++) {
      const w = this.ids[k] as number;
      const image = (this.pools[w] as KvPool).residentFullImage();
      const parentOf = new Map<number, number>();
      for (let i = 0; i < image.keys.length; i++)
        parentOf.set(image.keys[i] as number, image.parents[i] as number);
      if (w === droppedWorker && dropped !== null) undo(parentOf, dropped);
      index.ensureWorker(w);
      const done = new Set<number>();
      const path: number[] = [];
      for (const key of parentOf.keys()) {
        // Climb to the first ancestor already stored (or the root), then store the path top-down.
        let h: number | undefined = key;
        while (h !== undefined && !done.has(h) && parentOf.has(h)) {
          path.push(h);
          const p = parentOf.get(h) as number;
          h = Number.isNaN(p) ? undefined : p;
        }
        for (let j = path.length - 1; j >= 0; j--) {
          const b = path[j] as number;
          index.store(w, parentOf.get(b) as number, [b], 0, 1);
          done.add(b);
        }
        path.length = 0;
      }
    }
  }

  private emit(w: number, depth: number, at: number): number {
    this.scoredWorker[at] = w;
    this.scoredBlocks[at] = depth;
    this.scoredTreeSize[at] = this.treeSize(w);
    return at + 1;
  }
}

/** Undoes one batch on a worker's block → parent image: events in reverse, Stored blocks out, Removed back in. */
function undo(parentOf: Map<number, number>, batch: KvEventBatch): void {
  const removedParent = (batch as { removedParent?: Float64Array }).removedParent;
  for (let e = batch.count - 1; e >= 0; e--) {
    const start = batch.hashStart[e] as number;
    const end = start + (batch.hashCount[e] as number);
    if (isLowerTierEvent(batch, e)) continue;
    if (batch.kind[e] === KvEventKind.Stored) {
      for (let i = end - 1; i >= start; i--) parentOf.delete(batch.hashes[i] as number);
    } else {
      if (removedParent === undefined) throw new Error("pool mirror: a dropped removal carries no parent");
      for (let i = end - 1; i >= start; i--)
        parentOf.set(batch.hashes[i] as number, removedParent[i] as number);
    }
  }
}

function grow(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
