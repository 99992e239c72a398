/**
 * The router's view of in-flight work per worker (docs/design.md#router-cost: decode blocks).
 *
 * ActiveBlockTracker — distinct prompt blocks held by each worker's admitted requests, ref-counted across
 * requests: two requests on w sharing a prefix count its blocks once.
 *
 *   table: hash → first cell          cell c:  cellWorker[c]  worker holding the hash actively
 *                                               cellCount[c]   requests on that worker holding it (≥ 1)
 *                                               cellNext[c]    next cell of the same hash (−1 ends)
 *   activeBlocks[w]  distinct hashes of w (+ w's unique, never-shared blocks)
 *   present[w]       scratch of countPresent: how many of one request's hashes w already holds
 *
 * A hash's chain holds one cell per worker that actively holds it (a handful), so new_blocks for all workers
 * costs one table probe per request block, not one per block per worker.
 *
 * Invariants: activeBlocks[w] = #cells of w + uniqueBlocks added for w − removed; cellCount ≥ 1; a hash with no
 * cell is absent from the table.
 */

import { NOT_FOUND, NumberIntTable } from "../../../native-free-kernels/table.js";

const NONE = -1;

export class ActiveBlockTracker {
  /** After countPresent: the workers with present > 0, in first-touch order. */
  touchedCount: number;
  touched: Int32Array;
  present: Int32Array;
  private activeBlocksByWorker: Int32Array;
  private readonly table: NumberIntTable;
  private cellWorker: Int32Array;
  private cellCount: Int32Array;
  private cellNext: Int32Array;
  private cellTop: number;
  private freeCells: Int32Array;
  private freeCellCount: number;

  constructor(initialCells = 4096) {
    const cap = Math.max(16, initialCells | 0);
    this.touchedCount = 0;
    this.touched = new Int32Array(16);
    this.present = new Int32Array(16);
    this.activeBlocksByWorker = new Int32Array(16);
    this.table = new NumberIntTable(cap);
    this.cellWorker = new Int32Array(cap);
    this.cellCount = new Int32Array(cap);
    this.cellNext = new Int32Array(cap);
    this.cellTop = 0;
    this.freeCells = new Int32Array(cap);
    this.freeCellCount = 0;
  }

  ensureWorker(w: number): void {
    if (w < this.present.length) return;
    let cap = this.present.length;
    while (cap <= w) cap *= 2;
    this.present = grownInt(this.present, cap);
    this.touched = grownInt(this.touched, cap);
    this.activeBlocksByWorker = grownInt(this.activeBlocksByWorker, cap);
  }

  /** active_blocks(w): distinct blocks of w's admitted requests. */
  activeBlocks(w: number): number {
    return w < this.activeBlocksByWorker.length ? (this.activeBlocksByWorker[w] as number) : 0;
  }

  /** Fills present[w] for every worker holding some of hashes[0..n) (reset with clearPresent). */
  countPresent(hashes: Float64Array | readonly number[], n: number): void {
    const keys = asFloat64(hashes);
    const present = this.present;
    for (let i = 0; i < n; i++) {
      let c = this.table.getIn(keys, i);
      while (c !== NOT_FOUND) {
        const w = this.cellWorker[c] as number;
        if (present[w] === 0) this.touched[this.touchedCount++] = w;
        present[w] = (present[w] as number) + 1;
        c = this.cellNext[c] as number;
      }
    }
  }

  clearPresent(): void {
    for (let i = 0; i < this.touchedCount; i++) this.present[this.touched[i] as number] = 0;
    this.touchedCount = 0;
  }

  /** One more request on w holds hashes[0..n) (one table probe per hash). */
  addBlocks(w: number, hashes: Float64Array | readonly number[], n: number): void {
    this.ensureWorker(w);
    const keys = asFloat64(hashes);
    const table = this.table;
    for (let i = 0; i < n; i++) {
      const slot = table.findSlotIn(keys, i);
      const head = slot >= 0 ? table.valueAt(slot) : NOT_FOUND;
      let c = head;
      while (c !== NOT_FOUND && this.cellWorker[c] !== w) c = this.cellNext[c] as number;
      if (c !== NOT_FOUND) {
        this.cellCount[c] = (this.cellCount[c] as number) + 1;
        continue;
      }
      c = this.allocCell();
      this.cellWorker[c] = w;
      this.cellCount[c] = 1;
      this.cellNext[c] = head;
      if (slot >= 0) table.setValueAt(slot, c);
      else table.insertAtFrom(slot, keys, i, c);
      this.activeBlocksByWorker[w] = (this.activeBlocksByWorker[w] as number) + 1;
    }
  }

  /** A request on w that held hashes[0..n) is gone (one table probe per hash). */
  removeBlocks(w: number, hashes: Float64Array | readonly number[], n: number): void {
    const keys = asFloat64(hashes);
    const table = this.table;
    for (let i = 0; i < n; i++) {
      const slot = table.findSlotIn(keys, i);
      let prev = NONE;
      let c = slot >= 0 ? table.valueAt(slot) : NOT_FOUND;
      while (c !== NOT_FOUND && this.cellWorker[c] !== w) {
        prev = c;
        c = this.cellNext[c] as number;
      }
      if (c === NOT_FOUND) throw new Error(`active block ${keys[i]} of worker ${w} is not tracked`);
      const left = (this.cellCount[c] as number) - 1;
      if (left > 0) {
        this.cellCount[c] = left;
        continue;
      }
      const next = this.cellNext[c] as number;
      if (prev !== NONE) this.cellNext[prev] = next;
      else if (next === NONE) table.deleteAt(slot);
      else table.setValueAt(slot, next);
      this.freeCells[this.freeCellCount++] = c;
      this.activeBlocksByWorker[w] = (this.activeBlocksByWorker[w] as number) - 1;
    }
  }

  /** Blocks no other request can share (assume_kv_reuse off, or no hashes): counted, not stored. */
  addUnique(w: number, n: number): void {
    this.ensureWorker(w);
    this.activeBlocksByWorker[w] = (this.activeBlocksByWorker[w] as number) + n;
  }

  removeUnique(w: number, n: number): void {
    this.activeBlocksByWorker[w] = (this.activeBlocksByWorker[w] as number) - n;
  }

  private allocCell(): number {
    if (this.freeCellCount > 0) return this.freeCells[--this.freeCellCount] as number;
    if (this.cellTop === this.cellWorker.length) {
      const cap = this.cellTop * 2;
      this.cellWorker = grownInt(this.cellWorker, cap);
      this.cellCount = grownInt(this.cellCount, cap);
      this.cellNext = grownInt(this.cellNext, cap);
      this.freeCells = grownInt(this.freeCells, cap);
    }
    return this.cellTop++;
  }
}

/**
 * Prefill-token tracker (docs/design.md#prefill-token-tracking): per worker, a FIFO of the uncached prompt
 * tokens of admitted requests whose prefill has not completed. The front load is the "anchor", with the time
 * it became the anchor.
 *
 *   per request r:  loadTokens[r] (0 = none), expectedMs[r] (NaN = no estimate), prev[r]/next[r] in w's FIFO
 *   per worker w:   head[w]/tail[w], sumTokens[w], anchorSinceMs[w]
 *
 * active_tokens(w, now) = sum, except when the anchor carries an expected duration (an estimator; kvsim's KV
 * router has none, so it never decays): sum − anchor + ceil(anchor · clamp(1 − elapsed/expected, 0, 1)).
 */
export class PrefillTokenTracker {
  private readonly loadTokens: Float64Array;
  private readonly expectedMs: Float64Array;
  private readonly loadWorker: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private head: Int32Array;
  private tail: Int32Array;
  private sumTokens: Float64Array;
  private anchorSinceMs: Float64Array;

  constructor(requestCount: number) {
    this.loadTokens = new Float64Array(requestCount);
    this.expectedMs = new Float64Array(requestCount);
    this.loadWorker = new Int32Array(requestCount).fill(NONE);
    this.prev = new Int32Array(requestCount);
    this.next = new Int32Array(requestCount);
    this.head = new Int32Array(16).fill(NONE);
    this.tail = new Int32Array(16).fill(NONE);
    this.sumTokens = new Float64Array(16);
    this.anchorSinceMs = new Float64Array(16);
  }

  ensureWorker(w: number): void {
    if (w < this.head.length) return;
    let cap = this.head.length;
    while (cap <= w) cap *= 2;
    const head = new Int32Array(cap).fill(NONE);
    head.set(this.head);
    this.head = head;
    const tail = new Int32Array(cap).fill(NONE);
    tail.set(this.tail);
    this.tail = tail;
    const sum = new Float64Array(cap);
    sum.set(this.sumTokens);
    this.sumTokens = sum;
    const since = new Float64Array(cap);
    since.set(this.anchorSinceMs);
    this.anchorSinceMs = since;
  }

  /** Whether request r has an outstanding prefill load. */
  has(r: number): boolean {
    return this.loadWorker[r] !== NONE;
  }

  /** Records r's load of `tokens` (> 0) on w; `expectedMs` NaN = no estimate. */
  add(r: number, w: number, tokens: number, expectedMs: number, nowMs: number): void {
    this.ensureWorker(w);
    this.loadTokens[r] = tokens;
    this.expectedMs[r] = expectedMs;
    this.loadWorker[r] = w;
    const t = this.tail[w] as number;
    this.prev[r] = t;
    this.next[r] = NONE;
    if (t === NONE) {
      this.head[w] = r;
      this.anchorSinceMs[w] = nowMs;
    } else this.next[t] = r;
    this.tail[w] = r;
    this.sumTokens[w] = (this.sumTokens[w] as number) + tokens;
  }

  /** Drops r's load (prefill completed, or freed); a new anchor starts its clock at `nowMs`. */
  remove(r: number, nowMs: number): void {
    const w = this.loadWorker[r] as number;
    if (w === NONE) return;
    const p = this.prev[r] as number;
    const n = this.next[r] as number;
    if (p === NONE) {
      this.head[w] = n;
      this.anchorSinceMs[w] = nowMs;
    } else this.next[p] = n;
    if (n === NONE) this.tail[w] = p;
    else this.prev[n] = p;
    this.sumTokens[w] = (this.sumTokens[w] as number) - (this.loadTokens[r] as number);
    this.loadWorker[r] = NONE;
    this.loadTokens[r] = 0;
  }

  /** active_tokens(w, now). */
  activeTokens(w: number, nowMs: number): number {
    if (w >= this.head.length) return 0;
    const sum = this.sumTokens[w] as number;
    const a = this.head[w] as number;
    if (a === NONE) return sum;
    const expected = this.expectedMs[a] as number;
    if (Number.isNaN(expected)) return sum; // no estimate: no decay
    const full = this.loadTokens[a] as number;
    if (expected <= 0) return sum - full;
    const elapsed = nowMs - (this.anchorSinceMs[w] as number);
    const left = Math.min(1, Math.max(0, 1 - elapsed / expected));
    return sum - full + Math.ceil(full * left);
  }
}

/** Block hashes as a Float64Array (tests pass plain arrays; the router passes the request table's arrays). */
function asFloat64(hashes: Float64Array | readonly number[]): Float64Array {
  return hashes instanceof Float64Array ? hashes : Float64Array.from(hashes);
}

function grownInt(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
