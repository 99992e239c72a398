/**
 * The router's prefix index (docs/design.md#prefix-index): a radix tree over block hashes shared by all
 * workers, fed by the engines' Stored/Removed KV events, answering "how many leading blocks of this prompt
 * does each worker hold" — with the reference tree's exact node semantics (prefix-index-general.ts spells
 * them out).
 *
 * Two forms behind one face:
 *   BitmaskPrefixIndex (prefix-index-fast.ts) — about one hash-table probe per stored or removed block, worker
 *     sets as bitmasks, children unlinked lazily by generation counters. It covers every history in which no
 *     worker stores a hash it already holds, with worker ids < 32 — everything engines produce.
 *   GeneralPrefixIndex (prefix-index-general.ts) — every history the reference tree accepts (stale
 *     memberships, a node under two parents, any worker id).
 * The index starts in the bitmask form. The first event block that would leave it (or a worker id ≥ 32)
 * imports the whole state into the general form — node for node what the reference tree holds at that point —
 * which applies the rest of that event and everything after. Block hashes are passed as (array, index)
 * throughout: V8 boxes a double passed to a call it does not inline.
 */

import { KvEventKind } from "../engine/kv-event-log.js";
import { isLowerTierEvent, type KvEventBatch } from "./kv-event-batch.js";
import {
  blockNotFound,
  KvIndexError,
  MAX_WORKER_ID,
  parentNotFound,
  throwSelfReference,
} from "./kv-index-error.js";
import { BitmaskPrefixIndex, MASK_WORKERS, ROOT, SELF_REFERENCE, STORE_DONE } from "./prefix-index-fast.js";
import { GENERAL_ROOT, GeneralPrefixIndex } from "./prefix-index-general.js";

export { KvIndexError, MAX_WORKER_ID };

/** Default ghosts (empty linked nodes) the bitmask form keeps beyond its held nodes before a sweep. */
const DEFAULT_GHOST_SLACK = 4096;
const NONE = -1;

export class PrefixIndex {
  /** After findMatches: workers with a score, their overlap (leading blocks matched) and tree size. */
  scoredCount: number;
  scoredWorker: Int32Array;
  scoredBlocks: Int32Array;
  scoredTreeSize: Int32Array;

  private fast: BitmaskPrefixIndex | null;
  private general: GeneralPrefixIndex | null;
  private readonly initialNodes: number;
  private readonly blocksPerWorkerHint: number;
  private knownMask: number;
  private readonly parentScratch: Float64Array;
  /** After toGeneral(node): the general form's id of that node. */
  private stoppedAtGeneral: number;

  /**
   * `initialNodes`: node pool capacity before the first growth; `blocksPerWorkerHint`: blocks a worker is
   * expected to hold (sizes the general form's per-worker tables if it is ever needed); `ghostSlack`: empty
   * linked nodes allowed beyond the held ones before duplicates are swept (tests make it tiny).
   */
  constructor(initialNodes = 1024, blocksPerWorkerHint = 256, ghostSlack = DEFAULT_GHOST_SLACK) {
    this.scoredCount = 0;
    this.scoredWorker = new Int32Array(MASK_WORKERS);
    this.scoredBlocks = new Int32Array(MASK_WORKERS);
    this.scoredTreeSize = new Int32Array(MASK_WORKERS);
    this.fast = new BitmaskPrefixIndex(initialNodes, ghostSlack);
    this.general = null;
    this.initialNodes = initialNodes;
    this.blocksPerWorkerHint = blocksPerWorkerHint;
    this.knownMask = 0;
    this.parentScratch = new Float64Array(1);
    this.stoppedAtGeneral = GENERAL_ROOT;
  }

  /** True once the history needed the general form (a diagnostic; behaviour is the same either way). */
  get isGeneral(): boolean {
    return this.general !== null;
  }

  /** Registers worker `w` (idempotent); workers also appear on their first event. */
  ensureWorker(w: number): void {
    if (this.general !== null) {
      this.general.ensureWorker(w);
      return;
    }
    if (!(w >= 0 && w <= MAX_WORKER_ID) || (w | 0) !== w) {
      throw new RangeError(`worker id must be an integer in [0, ${MAX_WORKER_ID}], got ${w}`);
    }
    if (w >= MASK_WORKERS) this.toGeneral(NONE).ensureWorker(w);
    else this.knownMask |= 1 << w;
  }

  /** Makes room for `nodes` nodes up front (e.g. workers × their KV blocks); growth stays automatic. */
  reserve(nodes: number): void {
    if (this.fast !== null) this.fast.reserve(nodes);
  }

  /** tree_size(w): blocks worker w holds in the index. */
  treeSize(w: number): number {
    if (this.fast !== null) return w >= 0 && w < MASK_WORKERS ? (this.fast.treeSizes[w] as number) : 0;
    return (this.general as GeneralPrefixIndex).treeSize(w);
  }

  /** Debug (allocates): the hashes worker w holds in the index. */
  indexedBlocks(w: number): number[] {
    if (this.fast !== null) return w >= 0 && w < MASK_WORKERS ? this.fast.indexedBlocks(w) : [];
    return (this.general as GeneralPrefixIndex).indexedBlocks(w);
  }

  /** Nodes in the reference tree besides the root: held, or empty but still linked (O(nodes); tests). */
  get nodeCount(): number {
    if (this.fast !== null) return this.fast.exportTree().hash.length;
    return (this.general as GeneralPrefixIndex).nodeCount;
  }

  /** Blocks held across all workers (distinct (worker, block) pairs). */
  get totalHeldBlocks(): number {
    if (this.fast === null) return (this.general as GeneralPrefixIndex).totalHeldBlocks;
    let n = 0;
    for (let w = 0; w < MASK_WORKERS; w++) n += this.fast.treeSizes[w] as number;
    return n;
  }

  /** Applies every event of one worker's batch in order; an event the tree cannot apply throws KvIndexError. */
  applyEvents(w: number, events: KvEventBatch): void {
    this.ensureWorker(w);
    const fast = this.fast;
    if (fast === null) {
      (this.general as GeneralPrefixIndex).applyEvents(w, events);
      return;
    }
    const hashes = events.hashes;
    for (let e = 0; e < events.count; e++) {
      const start = events.hashStart[e] as number;
      const end = start + (events.hashCount[e] as number);
      const kind = events.kind[e] as number;
      if (isLowerTierEvent(events, e)) continue;
      if (kind === KvEventKind.Stored) {
        if (!this.storeFast(fast, w, events.parentHash, e, hashes, start, end)) {
          (this.general as GeneralPrefixIndex).applyEventsFrom(w, events, e + 1);
          return;
        }
      } else if (kind === KvEventKind.Removed) {
        for (let i = start; i < end; i++)
          if (!fast.remove(w, hashes, i)) throw blockNotFound(w, hashes[i] as number);
      } else throw new KvIndexError(`worker ${w}: unknown KV event kind ${kind}`);
    }
  }

  /** One Stored{parent, hashes[from..to)} event of worker w (parentHash NaN = at the root). */
  store(w: number, parentHash: number, hashes: ArrayLike<number>, from: number, to: number): void {
    this.ensureWorker(w);
    if (this.fast === null) (this.general as GeneralPrefixIndex).store(w, parentHash, hashes, from, to);
    else {
      this.parentScratch[0] = parentHash;
      this.storeFast(this.fast, w, this.parentScratch, 0, asFloat64(hashes), from, to);
    }
  }

  /** One Removed{hash} event of worker w. */
  remove(w: number, h: number): void {
    this.ensureWorker(w);
    if (this.fast === null) (this.general as GeneralPrefixIndex).remove(w, h);
    else if (!this.fast.remove(w, Float64Array.of(h), 0)) throw blockNotFound(w, h);
  }

  /**
   * Stored{parents[parentAt], hashes[from..to)}. Returns false when the bitmask form stopped at a block it
   * cannot represent: the state (blocks before it applied) was imported and the general form finished the event.
   */
  private storeFast(
    fast: BitmaskPrefixIndex,
    w: number,
    parents: Float64Array,
    parentAt: number,
    hashes: Float64Array,
    from: number,
    to: number,
  ): boolean {
    let start = ROOT;
    if (!Number.isNaN(parents[parentAt] as number)) {
      start = fast.heldNode(1 << w, parents, parentAt);
      if (start === NONE) throw parentNotFound(w, parents[parentAt] as number);
    }
    const outcome = fast.store(w, start, hashes, from, to);
    if (outcome === STORE_DONE) return true;
    if (outcome <= SELF_REFERENCE) throwSelfReference(w, hashes[SELF_REFERENCE - outcome] as number);
    const general = this.toGeneral(fast.stoppedAt);
    general.continueStore(w, this.stoppedAtGeneral, hashes, outcome, to);
    return false;
  }

  /**
   * find_matches (early_exit = false): walks the prompt's hashes from the root. The candidate set starts as the
   * first block's workers and is narrowed only at a child holding fewer workers than there are candidates; a
   * worker that drops out scores the depth matched before that level, survivors the deepest depth. Results in
   * scoredWorker/scoredBlocks/scoredTreeSize[0 .. scoredCount), ascending worker ids per depth.
   */
  findMatches(hashes: ArrayLike<number>, count: number): void {
    if (this.fast !== null) {
      this.scoredCount = this.fast.findMatches(
        asFloat64(hashes),
        count,
        this.scoredWorker,
        this.scoredBlocks,
        this.scoredTreeSize,
      );
      return;
    }
    const g = this.general as GeneralPrefixIndex;
    g.findMatches(hashes, count);
    this.scoredCount = g.scoredCount;
    this.scoredWorker = g.scoredWorker;
    this.scoredBlocks = g.scoredBlocks;
    this.scoredTreeSize = g.scoredTreeSize;
  }

  /**
   * Imports the bitmask form's state into the general form (once) and drops the bitmask form; `node` (a node of
   * the bitmask form, or NONE) gets its general id in stoppedAtGeneral.
   */
  private toGeneral(node: number): GeneralPrefixIndex {
    if (this.general !== null) return this.general;
    const g = new GeneralPrefixIndex(this.initialNodes, this.blocksPerWorkerHint);
    for (let w = 0; w < MASK_WORKERS; w++) if ((this.knownMask >>> w) & 1) g.ensureWorker(w);
    const tree = (this.fast as BitmaskPrefixIndex).exportTree();
    const ids = tree.hash.map((h) => g.importNode(h));
    tree.parent.forEach((p, i) => {
      if (p !== -2)
        g.importEdge(p === -1 ? GENERAL_ROOT : (ids[p] as number), ids[i] as number, tree.hash[i] as number);
    });
    tree.mask.forEach((mask, i) => {
      let rest = mask;
      while (rest !== 0) {
        const low = rest & -rest;
        g.importMember(ids[i] as number, 31 - Math.clz32(low), tree.hash[i] as number);
        rest ^= low;
      }
    });
    this.stoppedAtGeneral =
      node === ROOT || node === NONE ? GENERAL_ROOT : (ids[tree.indexOf[node] as number] as number);
    this.general = g;
    this.fast = null;
    return g;
  }
}

/** Block hashes as a Float64Array (the router passes the request table's arrays; tests pass plain arrays). */
function asFloat64(hashes: ArrayLike<number>): Float64Array {
  return hashes instanceof Float64Array ? hashes : Float64Array.from(hashes);
}
