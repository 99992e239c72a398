/**
 * The bitmask form of the router's prefix index (see prefix-index.ts for when it applies): the reference tree's
 * semantics for histories in which no worker stores a hash it already holds, with worker ids < 32.
 *
 * One 32-byte record per node in an Int32Array (a node's fields share a cache line), its hash apart:
 *
 *   rec[8n + MASK]        bit w ⇔ worker w holds the hash here (its lookup maps the hash to n)
 *   rec[8n + PARENT]      node it was linked under (ROOT for a first block), NONE: none, FREE: slot unused
 *   rec[8n + PARENT_GEN]  the parent's generation when it was linked
 *   rec[8n + GEN]         bumped when n is emptied (which unlinks all its children at once), allocated or freed
 *   rec[8n + NEXT_SAME], rec[8n + PREV_SAME]   chain of held nodes with n's hash (head in byHash)
 *   rec[8n + GHOST_HEAD], rec[8n + GHOST_NEXT] n's ghost children; n's place in its parent's ghost list
 *   nodeHash[n]           the block hash (root: NaN)
 *
 *   linked(n) ⇔ PARENT ≥ 0 and PARENT_GEN = GEN of the parent. byHash: hash → first held node with that hash
 *   (several only when workers publish the same generated block id under different parents).
 *
 * Held nodes (mask ≠ 0) are in byHash. A Removed that empties node n takes it off its chain and bumps its
 * generation — all its children are unlinked at once, as the reference's "a Removed that empties a node clears
 * its children" — frees its ghost children (they were linked only to n), and makes n a ghost of its parent if
 * still linked, else frees it. A ghost is the reference's empty linked node: invisible to matching (an empty
 * child and a missing child score alike) and never reused (a Stored under the same parent makes a fresh node,
 * which is equivalent); only an import into the general form needs it, and then just one per (parent, hash).
 * Sweeps drop duplicate ghosts when ghosts outgrow the held nodes by `ghostSlack` (amortised O(1)).
 *
 * Invariants: held nodes are in their hash chain exactly once, ghosts and free slots never; every ghost is
 * linked and in its parent's ghost list exactly once; per (worker, hash) at most one node has the worker's
 * bit; per (parent, hash) at most one held linked node; an empty node has no linked child; treeSizes[w] =
 * held nodes with bit w.
 */

import { NumberIntTable } from "../../../native-free-kernels/table.js";

export const ROOT = 0;
const NONE = -1;
const FREE = -2;
const REC = 8;
const MASK = 0;
const PARENT = 1;
const PARENT_GEN = 2;
const GEN = 3;
const NEXT_SAME = 4;
const PREV_SAME = 5;
const GHOST_HEAD = 6;
const GHOST_NEXT = 7;
/** Workers the bitmask form holds (one int32 mask per node). */
export const MASK_WORKERS = 32;

/** Outcome of store(): done, or the block where a history left this form. */
export const STORE_DONE = -1;

export class BitmaskPrefixIndex {
  /** After store() returned a block index: the node the rest of the event hangs under. */
  stoppedAt: number;
  private rec: Int32Array;
  private nodeHash: Float64Array;
  private nodeTop: number;
  private freeNodes: Int32Array;
  private freeNodeCount: number;
  private heldNodes: number;
  private ghostNodes: number;
  private sweepAt: number;
  private readonly ghostSlack: number;
  private readonly byHash: NumberIntTable;
  readonly treeSizes: Int32Array;

  constructor(initialNodes: number, ghostSlack: number) {
    const cap = Math.max(16, initialNodes | 0);
    this.stoppedAt = ROOT;
    this.rec = new Int32Array(cap * REC);
    for (let n = 0; n < cap; n++) this.rec[n * REC + PARENT] = FREE;
    this.nodeHash = new Float64Array(cap);
    this.nodeTop = 1;
    this.freeNodes = new Int32Array(cap);
    this.freeNodeCount = 0;
    this.heldNodes = 0;
    this.ghostNodes = 0;
    this.ghostSlack = Math.max(0, ghostSlack | 0);
    this.sweepAt = this.ghostSlack;
    this.byHash = new NumberIntTable(cap);
    this.treeSizes = new Int32Array(MASK_WORKERS);
    this.nodeHash[ROOT] = Number.NaN;
    this.rec[ROOT * REC + PARENT] = NONE;
    this.rec[ROOT * REC + GHOST_HEAD] = NONE;
  }

  /** Makes room for `nodes` held nodes (node pool and hash table) without growing step by step. */
  reserve(nodes: number): void {
    if (nodes > this.nodeHash.length) this.growNodes(nodes);
    this.byHash.reserve(nodes);
  }

  /** The held node of hash keys[at] that has the worker of `bit`, or NONE. */
  heldNode(bit: number, keys: Float64Array, at: number): number {
    const rec = this.rec;
    let n = this.byHash.getIn(keys, at);
    while (n !== NONE && ((rec[n * REC + MASK] as number) & bit) === 0)
      n = rec[n * REC + NEXT_SAME] as number;
    return n;
  }

  /**
   * Stores hashes[from .. to) for worker w under node `start` (hashes as (array, index): V8 boxes a double
   * passed to a call it does not inline). Returns STORE_DONE, or the index of the first block this form cannot
   * represent (w already holds that hash under another node) with stoppedAt = the node it would hang under:
   * blocks before it are applied, as in the reference. Throws `selfReference(i)` like the reference.
   */
  store(w: number, start: number, hashes: Float64Array, from: number, to: number): number {
    const bit = 1 << w;
    const table = this.byHash;
    let current = start;
    for (let i = from; i < to; i++) {
      const slot = table.findSlotIn(hashes, i);
      // One walk of the hash's chain: the held child of `current` with it, and the node w holds it at.
      let child = NONE;
      let old = NONE;
      if (slot >= 0) {
        const rec = this.rec;
        const currentGen = rec[current * REC + GEN] as number;
        for (let n = table.valueAt(slot); n !== NONE; n = rec[n * REC + NEXT_SAME] as number) {
          const r = n * REC;
          if (rec[r + PARENT] === current && rec[r + PARENT_GEN] === currentGen) child = n;
          if (((rec[r + MASK] as number) & bit) !== 0) old = n;
        }
      }
      if (child === NONE) {
        if (old === current) return selfReference(i);
        if (old !== NONE) {
          this.stoppedAt = current; // the reference would link w's node here too: a second parent
          return i;
        }
        child = this.allocNode(hashes, i, current, bit);
        const rec = this.rec;
        if (slot >= 0) {
          const head = table.valueAt(slot);
          rec[child * REC + NEXT_SAME] = head;
          rec[head * REC + PREV_SAME] = child;
          table.setValueAt(slot, child);
        } else table.insertAtFrom(slot, hashes, i, child);
      } else {
        if (child === current) return selfReference(i);
        if (old !== child) {
          if (old !== NONE) {
            this.stoppedAt = current; // the reference would keep w in its old node too: a stale membership
            return i;
          }
          const m = child * REC + MASK;
          this.rec[m] = (this.rec[m] as number) | bit;
        }
      }
      if (old !== child) this.treeSizes[w] = (this.treeSizes[w] as number) + 1;
      current = child;
    }
    return STORE_DONE;
  }

  /** Removes worker w from the node it holds hashes[at] at; false if it holds no such node. */
  remove(w: number, hashes: Float64Array, at: number): boolean {
    const bit = 1 << w;
    const table = this.byHash;
    const slot = table.findSlotIn(hashes, at);
    const rec = this.rec;
    let n = slot >= 0 ? table.valueAt(slot) : NONE;
    while (n !== NONE && ((rec[n * REC + MASK] as number) & bit) === 0)
      n = rec[n * REC + NEXT_SAME] as number;
    if (n === NONE) return false;
    const r = n * REC;
    const left = (rec[r + MASK] as number) & ~bit;
    rec[r + MASK] = left;
    this.treeSizes[w] = (this.treeSizes[w] as number) - 1;
    if (left !== 0) return true;
    // Emptied: off its hash chain; its children unlinked (generation) and its ghost children freed.
    const prev = rec[r + PREV_SAME] as number;
    const next = rec[r + NEXT_SAME] as number;
    if (prev !== NONE) rec[prev * REC + NEXT_SAME] = next;
    else if (next === NONE) table.deleteAt(slot);
    else table.setValueAt(slot, next);
    if (next !== NONE) rec[next * REC + PREV_SAME] = prev;
    rec[r + GEN] = ((rec[r + GEN] as number) + 1) | 0;
    for (let g = rec[r + GHOST_HEAD] as number; g !== NONE; ) {
      const after = rec[g * REC + GHOST_NEXT] as number;
      this.freeSlot(g);
      this.ghostNodes--;
      g = after;
    }
    rec[r + GHOST_HEAD] = NONE;
    this.heldNodes--;
    const p = rec[r + PARENT] as number;
    if (p >= 0 && rec[r + PARENT_GEN] === rec[p * REC + GEN]) {
      // Still linked: the reference keeps it as an empty child of p.
      rec[r + GHOST_NEXT] = rec[p * REC + GHOST_HEAD] as number;
      rec[p * REC + GHOST_HEAD] = n;
      if (++this.ghostNodes > this.sweepAt) this.sweepGhosts();
    } else this.freeSlot(n);
    return true;
  }

  /**
   * find_matches (early_exit = false) into scored*[0 .. return value): the candidate set starts as the first
   * block's workers and is narrowed only at a child holding fewer workers than there are candidates; a worker
   * that drops out scores the depth matched before that level, survivors the deepest depth; ascending ids per
   * depth. Only held nodes are looked at: an empty child and no child score alike.
   */
  findMatches(
    keys: Float64Array,
    count: number,
    worker: Int32Array,
    blocks: Int32Array,
    trees: Int32Array,
  ): number {
    const rec = this.rec;
    let scored = 0;
    let candidates = 0;
    let candidateCount = 0;
    let current = ROOT;
    let depth = 0;
    for (let i = 0; i < count; i++) {
      const currentGen = rec[current * REC + GEN] as number;
      let child = this.byHash.getIn(keys, i);
      while (
        child !== NONE &&
        !(rec[child * REC + PARENT] === current && rec[child * REC + PARENT_GEN] === currentGen)
      )
        child = rec[child * REC + NEXT_SAME] as number;
      if (child === NONE) break;
      const members = rec[child * REC + MASK] as number;
      if (i === 0) {
        candidates = members;
        candidateCount = bitCount(members);
      } else if (bitCount(members) < candidateCount) {
        scored = this.emit(candidates & ~members, depth, scored, worker, blocks, trees);
        candidates &= members;
        candidateCount = bitCount(candidates);
      }
      if (candidateCount === 0) break;
      depth++;
      current = child;
    }
    return this.emit(candidates, depth, scored, worker, blocks, trees);
  }

  private emit(
    workers: number,
    depth: number,
    at: number,
    worker: Int32Array,
    blocks: Int32Array,
    trees: Int32Array,
  ): number {
    let rest = workers;
    let i = at;
    while (rest !== 0) {
      const low = rest & -rest;
      const w = 31 - Math.clz32(low);
      worker[i] = w;
      blocks[i] = depth;
      trees[i] = this.treeSizes[w] as number;
      i++;
      rest ^= low;
    }
    return i;
  }

  /** Debug (allocates): the hashes worker w holds. */
  indexedBlocks(w: number): number[] {
    const out: number[] = [];
    const bit = 1 << w;
    for (let n = 1; n < this.nodeTop; n++) {
      if (((this.rec[n * REC + MASK] as number) & bit) !== 0) out.push(this.nodeHash[n] as number);
    }
    return out;
  }

  /**
   * The nodes of the equivalent reference tree besides the root (held nodes, and one ghost per (parent, hash)
   * with no held node there) as lists: hash, reference parent (list index, −1 for the root, −2 for none) and
   * workers mask; indexOf maps a node id here to its list index. O(nodes); for imports and tests.
   */
  exportTree(): { hash: number[]; parent: number[]; mask: number[]; indexOf: Int32Array } {
    const keep = this.canonicalGhosts();
    const rec = this.rec;
    const indexOf = new Int32Array(this.nodeTop).fill(NONE);
    const nodes: number[] = [];
    for (let n = 1; n < this.nodeTop; n++) {
      const r = n * REC;
      if (rec[r + PARENT] !== FREE && ((rec[r + MASK] as number) !== 0 || keep[n] === 1)) {
        indexOf[n] = nodes.length;
        nodes.push(n);
      }
    }
    const out = { hash: [] as number[], parent: [] as number[], mask: [] as number[], indexOf };
    for (const n of nodes) {
      const r = n * REC;
      const p = rec[r + PARENT] as number;
      const linked = p >= 0 && rec[r + PARENT_GEN] === rec[p * REC + GEN];
      out.hash.push(this.nodeHash[n] as number);
      out.parent.push(!linked ? -2 : p === ROOT ? -1 : (indexOf[p] as number));
      out.mask.push(rec[r + MASK] as number);
    }
    return out;
  }

  /** A held node for hash keys[at] linked under `parent`, holding `bit`; the caller chains it into byHash. */
  private allocNode(keys: Float64Array, at: number, parent: number, bit: number): number {
    let n: number;
    if (this.freeNodeCount > 0) n = this.freeNodes[--this.freeNodeCount] as number;
    else {
      // ×1.5, not ×2: the pool is big, and KvRouter reserves what the workers can hold up front anyway.
      if (this.nodeTop === this.nodeHash.length) this.growNodes(this.nodeTop + (this.nodeTop >> 1));
      n = this.nodeTop++;
    }
    const rec = this.rec;
    const r = n * REC;
    rec[r + MASK] = bit;
    rec[r + PARENT] = parent;
    rec[r + PARENT_GEN] = rec[parent * REC + GEN] as number;
    rec[r + GEN] = ((rec[r + GEN] as number) + 1) | 0;
    rec[r + NEXT_SAME] = NONE;
    rec[r + PREV_SAME] = NONE;
    rec[r + GHOST_HEAD] = NONE;
    rec[r + GHOST_NEXT] = NONE;
    this.nodeHash[n] = keys[at] as number;
    this.heldNodes++;
    return n;
  }

  private freeSlot(n: number): void {
    const r = n * REC;
    this.rec[r + PARENT] = FREE;
    this.rec[r + MASK] = 0;
    this.rec[r + GEN] = ((this.rec[r + GEN] as number) + 1) | 0;
    if (this.freeNodeCount === this.freeNodes.length)
      this.freeNodes = growInt(this.freeNodes, this.freeNodeCount * 2);
    this.freeNodes[this.freeNodeCount++] = n;
  }

  /** Frees the duplicate ghosts (see canonicalGhosts) and rebuilds the ghost lists. */
  private sweepGhosts(): void {
    const keep = this.canonicalGhosts();
    const rec = this.rec;
    for (let n = 0; n < this.nodeTop; n++)
      if (rec[n * REC + PARENT] !== FREE) rec[n * REC + GHOST_HEAD] = NONE;
    for (let n = 1; n < this.nodeTop; n++) {
      const r = n * REC;
      if (rec[r + PARENT] === FREE || (rec[r + MASK] as number) !== 0) continue;
      if (keep[n] === 1) {
        const p = rec[r + PARENT] as number;
        rec[r + GHOST_NEXT] = rec[p * REC + GHOST_HEAD] as number;
        rec[p * REC + GHOST_HEAD] = n;
      } else {
        this.freeSlot(n);
        this.ghostNodes--;
      }
    }
    this.sweepAt = Math.max(2 * this.ghostNodes, this.heldNodes + this.ghostSlack);
  }

  /** 1 for the ghosts that are the only empty node of their (parent, hash) and have no held node beside them. */
  private canonicalGhosts(): Uint8Array {
    const top = this.nodeTop;
    const rec = this.rec;
    const keep = new Uint8Array(top);
    // hash → last kept ghost with that hash; nextKept chains kept ghosts of the same hash (other parents).
    const keptByHash = new NumberIntTable(this.ghostNodes + 16);
    const nextKept = new Int32Array(top);
    for (let n = 1; n < top; n++) {
      const r = n * REC;
      if (rec[r + PARENT] === FREE || (rec[r + MASK] as number) !== 0) continue;
      const p = rec[r + PARENT] as number;
      const pGen = rec[p * REC + GEN] as number;
      let held = this.byHash.getIn(this.nodeHash, n);
      while (held !== NONE && !(rec[held * REC + PARENT] === p && rec[held * REC + PARENT_GEN] === pGen))
        held = rec[held * REC + NEXT_SAME] as number;
      if (held !== NONE) continue;
      const first = keptByHash.getIn(this.nodeHash, n);
      let k = first;
      while (k !== NONE && rec[k * REC + PARENT] !== p) k = nextKept[k] as number;
      if (k !== NONE) continue;
      nextKept[n] = first;
      keptByHash.setIn(this.nodeHash, n, n);
      keep[n] = 1;
    }
    return keep;
  }

  private growNodes(cap: number): void {
    const rec = new Int32Array(cap * REC);
    rec.set(this.rec);
    for (let n = this.nodeHash.length; n < cap; n++) rec[n * REC + PARENT] = FREE;
    this.rec = rec;
    const hash = new Float64Array(cap);
    hash.set(this.nodeHash);
    this.nodeHash = hash;
  }
}

/** What store() returns for a block that makes the chain its own child: the caller throws for it. */
export const SELF_REFERENCE = -2;

function selfReference(i: number): number {
  return SELF_REFERENCE - i;
}

/** Number of set bits of an int32. */
function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}

function growInt(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(Math.max(cap, 16));
  b.set(a.subarray(0, Math.min(a.length, b.length)));
  return b;
}
