/**
 * The general form of the router's prefix index (docs/design.md#prefix-index): a radix tree over block hashes
 * shared by all workers, fed by the engines' Stored/Removed KV events, answering "how many leading blocks of this
 * prompt does each worker hold". PrefixIndex (prefix-index.ts) runs a faster form while the event history
 * allows and imports its state into this one the first time it does not (stale memberships, a node under two
 * parents, worker ids ≥ 32); this class handles every history the reference tree does.
 *
 * Nodes and edges live in typed-array pools; hash tables replace per-node child maps:
 *
 *   node n:  nodeHash[n]       block hash (root: NaN)          edge e:  edgeParent[e] → edgeChild[e]
 *            nodeMembers[n]    |workers(n)|                             edgeNextSibling[e]   next child edge of the parent
 *            nodeRefs[n]       incoming edges + lookup entries          edgeNextSameHash[e]  next edge to a child of the same hash
 *            nodeFirstEdge[n]  first child edge (−1: none)
 *            nodeStale[n]      stale members (see below)
 *
 *   edgeByHash:  hash → first edge whose child has that hash (chain via edgeNextSameHash; almost always 1 long)
 *   lookups[w]:  hash → node, worker w's blocks (the reference's per-worker lookup map; tree_size(w) = its size)
 *   stale:       node·2^21 + w → 1, for the rare membership that outlived w's lookup entry
 *
 * Semantics kept from the reference tree (so overlaps match it exactly, also after odd event orders):
 * - a child is found under its parent by hash; Stored reuses that child, else the node w's lookup holds for the
 *   hash, else a new node, and links it under the parent;
 * - a Removed that empties a node unlinks its children (the node stays under its parent); a node no edge and
 *   no lookup references is freed, with its subtree's edges;
 * - membership: w ∈ workers(n) iff lookups[w](hash n) = n, or (n, w) is stale — stale entries appear only when
 *   w stores a hash it already holds under another node: w then stays a member of the old node.
 *
 * Invariants: nodeRefs[n] = (#edges into n) + (#workers whose lookup maps to n); a node with nodeRefs 0 is on the
 * free list (the root, id 0, never is); nodeMembers[n] = live + stale members.
 */

import { NOT_FOUND, NumberIntTable } from "../../../native-free-kernels/table.js";
import { KvEventKind } from "../engine/kv-event-log.js";
import { isLowerTierEvent, type KvEventBatch } from "./kv-event-batch.js";
import {
  blockNotFound,
  KvIndexError,
  MAX_WORKER_ID,
  parentNotFound,
  throwSelfReference,
} from "./kv-index-error.js";

/** Node id of the root in every index. */
export const GENERAL_ROOT = 0;
/** Entries a worker's lookup table holds before its first growth. */
const LOOKUP_START = 64;
const ROOT = GENERAL_ROOT;
const NONE = -1;
const WORKER_SPAN = MAX_WORKER_ID + 1; // 2^21: stale key = node · 2^21 + worker stays below 2^52

export class GeneralPrefixIndex {
  /** After findMatches: workers with a score, their overlap (leading blocks matched) and tree size. */
  scoredCount: number;
  scoredWorker: Int32Array;
  scoredBlocks: Int32Array;
  scoredTreeSize: Int32Array;

  private nodeHash: Float64Array;
  private nodeMembers: Int32Array;
  private nodeRefs: Int32Array;
  private nodeFirstEdge: Int32Array;
  private nodeStale: Int32Array;
  private nodeQueued: Uint8Array;
  private nodeTop: number;
  private freeNodes: Int32Array;
  private freeNodeCount: number;

  private edgeParent: Int32Array;
  private edgeChild: Int32Array;
  private edgeNextSibling: Int32Array;
  private edgeNextSameHash: Int32Array;
  private edgeTop: number;
  private freeEdges: Int32Array;
  private freeEdgeCount: number;
  private readonly edgeByHash: NumberIntTable;

  private lookups: (NumberIntTable | null)[];
  private readonly lookupCapacity: number;
  private knownIds: Int32Array;
  private knownCount: number;
  private readonly stale: NumberIntTable;
  private staleTotal: number;

  private releaseStack: Int32Array;
  private releaseTop: number;
  private active: Int32Array;

  /**
   * `initialNodes`: node/edge pool capacity before the first growth; `blocksPerWorkerHint`: blocks a worker may
   * hold. Its lookup table starts at most LOOKUP_START entries and doubles as it fills: a worker id is never
   * reused, so a run that scales often keeps hundreds of lookups (a removed worker's too), and sized for a full
   * cache up front they were 512 kB each — most of a snapshot's bytes in a hindsight search.
   */
  constructor(initialNodes = 1024, blocksPerWorkerHint = 256) {
    const cap = Math.max(16, initialNodes | 0);
    this.lookupCapacity = Math.min(LOOKUP_START, Math.max(16, blocksPerWorkerHint | 0));
    this.scoredCount = 0;
    this.scoredWorker = new Int32Array(16);
    this.scoredBlocks = new Int32Array(16);
    this.scoredTreeSize = new Int32Array(16);
    this.nodeHash = new Float64Array(cap);
    this.nodeMembers = new Int32Array(cap);
    this.nodeRefs = new Int32Array(cap);
    this.nodeFirstEdge = new Int32Array(cap).fill(NONE);
    this.nodeStale = new Int32Array(cap);
    this.nodeQueued = new Uint8Array(cap);
    this.nodeTop = 1;
    this.freeNodes = new Int32Array(cap);
    this.freeNodeCount = 0;
    this.edgeParent = new Int32Array(cap);
    this.edgeChild = new Int32Array(cap);
    this.edgeNextSibling = new Int32Array(cap);
    this.edgeNextSameHash = new Int32Array(cap);
    this.edgeTop = 0;
    this.freeEdges = new Int32Array(cap);
    this.freeEdgeCount = 0;
    this.edgeByHash = new NumberIntTable(cap);
    this.lookups = [];
    this.knownIds = new Int32Array(16);
    this.knownCount = 0;
    this.stale = new NumberIntTable(16);
    this.staleTotal = 0;
    this.releaseStack = new Int32Array(64);
    this.releaseTop = 0;
    this.active = new Int32Array(16);
    this.nodeHash[ROOT] = Number.NaN;
    this.nodeRefs[ROOT] = 1; // never freed
  }

  /** Registers worker `w` (idempotent); workers also appear on their first event. */
  ensureWorker(w: number): NumberIntTable {
    const existing = this.lookups[w];
    if (existing !== undefined && existing !== null) return existing;
    if (!(w >= 0 && w <= MAX_WORKER_ID) || (w | 0) !== w) {
      throw new RangeError(`worker id must be an integer in [0, ${MAX_WORKER_ID}], got ${w}`);
    }
    while (this.lookups.length <= w) this.lookups.push(null);
    const table = new NumberIntTable(this.lookupCapacity);
    this.lookups[w] = table;
    if (this.knownCount === this.knownIds.length) this.knownIds = growInt(this.knownIds, this.knownCount * 2);
    let i = this.knownCount++;
    while (i > 0 && (this.knownIds[i - 1] as number) > w) {
      this.knownIds[i] = this.knownIds[i - 1] as number;
      i--;
    }
    this.knownIds[i] = w;
    if (this.knownCount > this.active.length) this.growScratch(this.knownCount * 2);
    return table;
  }

  /** tree_size(w): blocks worker w holds in the index. */
  treeSize(w: number): number {
    const t = this.lookups[w];
    return t === undefined || t === null ? 0 : t.size;
  }

  /** Debug (allocates): the hashes worker w holds in the index, in table order. */
  indexedBlocks(w: number): number[] {
    const t = this.lookups[w];
    const out: number[] = [];
    if (t !== undefined && t !== null)
      t.forEach((h) => {
        out.push(h);
      });
    return out;
  }

  /** Nodes in the tree besides the root (held, or empty but still linked under a parent). */
  get nodeCount(): number {
    return this.nodeTop - 1 - this.freeNodeCount;
  }

  /** Blocks held across all workers (distinct (worker, block) pairs). */
  get totalHeldBlocks(): number {
    let n = 0;
    for (let i = 0; i < this.knownCount; i++) n += this.treeSize(this.knownIds[i] as number);
    return n;
  }

  /** Applies every event of one worker's batch in order; an event the tree cannot apply throws KvIndexError. */
  applyEvents(w: number, events: KvEventBatch): void {
    this.applyEventsFrom(w, events, 0);
  }

  /** Applies events[first ..] of one worker's batch in order. */
  applyEventsFrom(w: number, events: KvEventBatch, first: number): void {
    const lk = this.ensureWorker(w);
    const hashes = events.hashes;
    for (let e = first; e < events.count; e++) {
      const start = events.hashStart[e] as number;
      const end = start + (events.hashCount[e] as number);
      const kind = events.kind[e] as number;
      if (isLowerTierEvent(events, e)) continue;
      if (kind === KvEventKind.Stored)
        this.storeInto(w, lk, events.parentHash[e] as number, hashes, start, end);
      else if (kind === KvEventKind.Removed)
        for (let i = start; i < end; i++) this.removeFrom(w, lk, hashes[i] as number);
      else throw new KvIndexError(`worker ${w}: unknown KV event kind ${kind}`);
      this.drainReleases();
    }
  }

  /** One Stored{parent, hashes[from..to)} event of worker w (parentHash NaN = at the root). */
  store(w: number, parentHash: number, hashes: ArrayLike<number>, from: number, to: number): void {
    this.storeInto(w, this.ensureWorker(w), parentHash, hashes, from, to);
    this.drainReleases();
  }

  /** One Removed{hash} event of worker w. */
  remove(w: number, h: number): void {
    this.removeFrom(w, this.ensureWorker(w), h);
    this.drainReleases();
  }

  /** The rest of a Stored event, hashes[from .. to), chained under node `current` (import: see PrefixIndex). */
  continueStore(w: number, current: number, hashes: ArrayLike<number>, from: number, to: number): void {
    this.storeChain(w, this.ensureWorker(w), current, hashes, from, to);
    this.drainReleases();
  }

  /** Import: a node for `hash` with no edge and no member yet; returns its id. */
  importNode(hash: number): number {
    return this.allocNode(hash);
  }

  /** Import: links `child` (hash `hash`) under `parent`. */
  importEdge(parent: number, child: number, hash: number): void {
    this.addEdge(parent, child, hash);
  }

  /** Import: worker w holds `hash` at node n (n must not hold w already). */
  importMember(n: number, w: number, hash: number): void {
    this.addMember(n, w, this.ensureWorker(w), hash, NOT_FOUND);
  }

  private storeInto(
    w: number,
    lk: NumberIntTable,
    parentHash: number,
    hashes: ArrayLike<number>,
    from: number,
    to: number,
  ): void {
    let current = ROOT;
    if (!Number.isNaN(parentHash)) {
      current = lk.get(parentHash);
      if (current === NOT_FOUND) throw parentNotFound(w, parentHash);
    }
    this.storeChain(w, lk, current, hashes, from, to);
  }

  private storeChain(
    w: number,
    lk: NumberIntTable,
    start: number,
    hashes: ArrayLike<number>,
    from: number,
    to: number,
  ): void {
    let current = start;
    for (let i = from; i < to; i++) {
      const h = hashes[i] as number;
      let child = this.childOf(current, h);
      const old = lk.get(h); // the node w's lookup holds for h, if any
      if (child === NONE) {
        child = old === current ? throwSelfReference(w, h) : old === NOT_FOUND ? this.allocNode(h) : old;
        this.addEdge(current, child, h);
      } else if (child === current) {
        throwSelfReference(w, h);
      }
      if (old !== child) this.addMember(child, w, lk, h, old);
      current = child;
    }
  }

  private removeFrom(w: number, lk: NumberIntTable, h: number): void {
    const n = lk.get(h);
    if (n === NOT_FOUND) throw blockNotFound(w, h);
    lk.delete(h);
    const members = (this.nodeMembers[n] as number) - 1;
    this.nodeMembers[n] = members;
    if (members === 0) this.clearChildren(n);
    this.decRef(n);
  }

  /**
   * find_matches (early_exit = false): walks the prompt's hashes from the root. The candidate set starts as the
   * first block's workers and is narrowed only at a child holding fewer workers than there are candidates; a
   * worker that drops out scores the depth matched before that level, survivors the deepest depth. Results in
   * scoredWorker/scoredBlocks/scoredTreeSize[0 .. scoredCount) (workers without a match are absent).
   */
  findMatches(hashes: ArrayLike<number>, count: number): void {
    this.scoredCount = 0;
    const active = this.active;
    let activeCount = 0;
    let current = ROOT;
    let depth = 0;
    for (let i = 0; i < count; i++) {
      const h = hashes[i] as number;
      const child = this.childOf(current, h);
      if (child === NONE) break;
      const members = this.nodeMembers[child] as number;
      if (i === 0) {
        for (let k = 0; k < this.knownCount && activeCount < members; k++) {
          const w = this.knownIds[k] as number;
          if (this.isMember(child, w, h)) active[activeCount++] = w;
        }
      } else if (members < activeCount) {
        let kept = 0;
        for (let k = 0; k < activeCount; k++) {
          const w = active[k] as number;
          if (this.isMember(child, w, h)) active[kept++] = w;
          else this.emitScore(w, depth);
        }
        activeCount = kept;
      }
      if (activeCount === 0) break;
      depth++;
      current = child;
    }
    for (let k = 0; k < activeCount; k++) this.emitScore(active[k] as number, depth);
  }

  private emitScore(w: number, blocks: number): void {
    const i = this.scoredCount++;
    this.scoredWorker[i] = w;
    this.scoredBlocks[i] = blocks;
    this.scoredTreeSize[i] = this.treeSize(w);
  }

  private isMember(n: number, w: number, h: number): boolean {
    const lk = this.lookups[w] as NumberIntTable;
    if (lk.get(h) === n) return true;
    return this.staleTotal > 0 && this.stale.has(n * WORKER_SPAN + w);
  }

  private childOf(parent: number, h: number): number {
    let e = this.edgeByHash.get(h);
    while (e !== NONE) {
      if (this.edgeParent[e] === parent) return this.edgeChild[e] as number;
      e = this.edgeNextSameHash[e] as number;
    }
    return NONE;
  }

  /** Adds w to n's workers; `old` (≠ n) is the node w's lookup held for h before (NOT_FOUND: none). */
  private addMember(n: number, w: number, lk: NumberIntTable, h: number, old: number): void {
    const key = n * WORKER_SPAN + w;
    if (this.staleTotal > 0 && this.stale.delete(key)) {
      // w was a stale member of n and becomes a live one again: the member count is unchanged.
      this.nodeStale[n] = (this.nodeStale[n] as number) - 1;
      this.staleTotal--;
    } else {
      this.nodeMembers[n] = (this.nodeMembers[n] as number) + 1;
    }
    lk.set(h, n);
    this.nodeRefs[n] = (this.nodeRefs[n] as number) + 1;
    if (old !== NOT_FOUND) {
      // The reference re-points w's lookup but leaves w in the old node's worker set.
      this.stale.set(old * WORKER_SPAN + w, 1);
      this.nodeStale[old] = (this.nodeStale[old] as number) + 1;
      this.staleTotal++;
      this.decRef(old);
    }
  }

  private allocNode(h: number): number {
    let n: number;
    if (this.freeNodeCount > 0) n = this.freeNodes[--this.freeNodeCount] as number;
    else {
      if (this.nodeTop === this.nodeHash.length) this.growNodes(this.nodeTop * 2);
      n = this.nodeTop++;
    }
    this.nodeHash[n] = h;
    this.nodeMembers[n] = 0;
    this.nodeRefs[n] = 0;
    this.nodeFirstEdge[n] = NONE;
    this.nodeStale[n] = 0;
    this.nodeQueued[n] = 0;
    return n;
  }

  private addEdge(parent: number, child: number, h: number): void {
    let e: number;
    if (this.freeEdgeCount > 0) e = this.freeEdges[--this.freeEdgeCount] as number;
    else {
      if (this.edgeTop === this.edgeParent.length) this.growEdges(this.edgeTop * 2);
      e = this.edgeTop++;
    }
    this.edgeParent[e] = parent;
    this.edgeChild[e] = child;
    this.edgeNextSibling[e] = this.nodeFirstEdge[parent] as number;
    this.nodeFirstEdge[parent] = e;
    this.edgeNextSameHash[e] = this.edgeByHash.get(h); // NOT_FOUND = NONE ends the chain
    this.edgeByHash.set(h, e);
    this.nodeRefs[child] = (this.nodeRefs[child] as number) + 1;
  }

  /** Unlinks every child edge of n (the children lose a reference each). */
  private clearChildren(n: number): void {
    let e = this.nodeFirstEdge[n] as number;
    this.nodeFirstEdge[n] = NONE;
    while (e !== NONE) {
      const next = this.edgeNextSibling[e] as number;
      const child = this.edgeChild[e] as number;
      this.unlinkSameHash(e, this.nodeHash[child] as number);
      this.freeEdges[this.freeEdgeCount++] = e;
      this.decRef(child);
      e = next;
    }
  }

  private unlinkSameHash(e: number, h: number): void {
    const head = this.edgeByHash.get(h);
    const next = this.edgeNextSameHash[e] as number;
    if (head === e) {
      if (next === NONE) this.edgeByHash.delete(h);
      else this.edgeByHash.set(h, next);
      return;
    }
    let prev = head;
    while (this.edgeNextSameHash[prev] !== e) prev = this.edgeNextSameHash[prev] as number;
    this.edgeNextSameHash[prev] = next;
  }

  private decRef(n: number): void {
    const refs = (this.nodeRefs[n] as number) - 1;
    this.nodeRefs[n] = refs;
    if (refs === 0 && this.nodeQueued[n] === 0) {
      this.nodeQueued[n] = 1;
      if (this.releaseTop === this.releaseStack.length)
        this.releaseStack = growInt(this.releaseStack, this.releaseTop * 2);
      this.releaseStack[this.releaseTop++] = n;
    }
  }

  /** Frees queued nodes that are still unreferenced, and their subtrees' edges (iteratively). */
  private drainReleases(): void {
    while (this.releaseTop > 0) {
      const n = this.releaseStack[--this.releaseTop] as number;
      this.nodeQueued[n] = 0;
      if (this.nodeRefs[n] !== 0) continue; // re-referenced after it was queued
      this.clearChildren(n);
      if ((this.nodeStale[n] as number) > 0) this.dropStale(n);
      this.nodeMembers[n] = 0;
      this.freeNodes[this.freeNodeCount++] = n;
    }
  }

  private dropStale(n: number): void {
    for (let k = 0; k < this.knownCount; k++) {
      if (this.stale.delete(n * WORKER_SPAN + (this.knownIds[k] as number))) this.staleTotal--;
    }
    this.nodeStale[n] = 0;
  }

  private growNodes(cap: number): void {
    this.nodeHash = growFloat(this.nodeHash, cap);
    this.nodeMembers = growInt(this.nodeMembers, cap);
    this.nodeRefs = growInt(this.nodeRefs, cap);
    const first = new Int32Array(cap).fill(NONE);
    first.set(this.nodeFirstEdge);
    this.nodeFirstEdge = first;
    this.nodeStale = growInt(this.nodeStale, cap);
    const queued = new Uint8Array(cap);
    queued.set(this.nodeQueued);
    this.nodeQueued = queued;
    this.freeNodes = growInt(this.freeNodes, cap);
  }

  private growEdges(cap: number): void {
    this.edgeParent = growInt(this.edgeParent, cap);
    this.edgeChild = growInt(this.edgeChild, cap);
    this.edgeNextSibling = growInt(this.edgeNextSibling, cap);
    this.edgeNextSameHash = growInt(this.edgeNextSameHash, cap);
    this.freeEdges = growInt(this.freeEdges, cap);
  }

  private growScratch(cap: number): void {
    this.active = growInt(this.active, cap);
    this.scoredWorker = growInt(this.scoredWorker, cap);
    this.scoredBlocks = growInt(this.scoredBlocks, cap);
    this.scoredTreeSize = growInt(this.scoredTreeSize, cap);
  }
}

function growInt(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(Math.max(cap, 16));
  b.set(a.subarray(0, Math.min(a.length, b.length)));
  return b;
}

function growFloat(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
