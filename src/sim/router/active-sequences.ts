/**
 * The router's view of in-flight work per worker (docs/design.md#router-cost: decode blocks).
 *
 * ActiveBlockTracker — distinct prompt blocks held by each worker's admitted requests, ref-counted across
 * requests: two requests on w sharing a prefix count its blocks once. Bookkeeping is per *run* of `runLength`
 * engine blocks (a trace block: runLength = trace block size / engine block size), not per block: a request's
 * blocks [0, n) split into runs t = [t·L, min(n, (t+1)·L)), keyed by the hash of the run's first block. Hashes
 * are chained (block j's hash covers every token before it), so requests that share a run's first block share
 * every block of the run both hold: a request holds the run's first k blocks, and a worker's distinct blocks in
 * the run are the first max k over its requests. One table probe per run instead of one per block.
 *
 *   table: run key → first cell       cell c:  cellWorker[c]  worker holding the run actively
 *                                               cellMax[c]     distinct blocks of the run it holds (1..L)
 *                                               cellNext[c]    next cell of the same key (−1 ends)
 *                                               cellHeld[c·L + k−1]  its requests holding exactly k blocks
 *   activeBlocks[w]  Σ cellMax over w's cells (+ w's unique, never-shared blocks)
 *   present[w]       scratch of countPresent: how many of one request's blocks w already holds
 *
 * A key's chain holds one cell per worker that actively holds the run (a handful), so new_blocks for all workers
 * costs one table probe per request run, not one per block per worker. runLength 1 is the per-block tracker.
 *
 * Invariants: activeBlocks[w] = Σ cellMax of w's cells + uniqueBlocks added for w − removed; every cell has
 * some cellHeld > 0 and cellMax = the largest such k; a key with no cell is absent from the table.
 */

import { NOT_FOUND, NumberIntTable } from "../../../native-free-kernels/table.js";

const NONE = -1;

export class ActiveBlockTracker {
  /** After countPresent: the workers with present > 0, in first-touch order. */
  touchedCount: number;
  touched: Int32Array;
  present: Int32Array;
  /** Engine blocks per run (the trace block); 1 = per block. */
  readonly runLength: number;
  private activeBlocksByWorker: Int32Array;
  private readonly table: NumberIntTable;
  private cellWorker: Int32Array;
  private cellMax: Int32Array;
  private cellNext: Int32Array;
  private cellHeld: Int32Array;
  private cellTop: number;
  private freeCells: Int32Array;
  private freeCellCount: number;

  constructor(initialCells = 4096, runLength = 1) {
    if (!(runLength >= 1) || (runLength | 0) !== runLength)
      throw new RangeError(`run length must be an integer ≥ 1, got ${runLength}`);
    const cap = Math.max(16, initialCells | 0);
    this.touchedCount = 0;
    this.touched = new Int32Array(16);
    this.present = new Int32Array(16);
    this.runLength = runLength;
    this.activeBlocksByWorker = new Int32Array(16);
    this.table = new NumberIntTable(cap);
    this.cellWorker = new Int32Array(cap);
    this.cellMax = new Int32Array(cap);
    this.cellNext = new Int32Array(cap);
    this.cellHeld = new Int32Array(cap * runLength);
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
    const run = this.runLength;
    for (let i = 0; i < n; i += run) {
      const k = Math.min(run, n - i);
      let c = this.table.getIn(keys, i);
      while (c !== NOT_FOUND) {
        const w = this.cellWorker[c] as number;
        if (present[w] === 0) this.touched[this.touchedCount++] = w;
        present[w] = (present[w] as number) + Math.min(k, this.cellMax[c] as number);
        c = this.cellNext[c] as number;
      }
    }
  }

  clearPresent(): void {
    for (let i = 0; i < this.touchedCount; i++) this.present[this.touched[i] as number] = 0;
    this.touchedCount = 0;
  }

  /** One more request on w holds hashes[0..n) (one table probe per run). */
  addBlocks(w: number, hashes: Float64Array | readonly number[], n: number): void {
    this.ensureWorker(w);
    const keys = asFloat64(hashes);
    const table = this.table;
    const run = this.runLength;
    for (let i = 0; i < n; i += run) {
      const k = Math.min(run, n - i);
      const slot = table.findSlotIn(keys, i);
      const head = slot >= 0 ? table.valueAt(slot) : NOT_FOUND;
      let c = head;
      while (c !== NOT_FOUND && this.cellWorker[c] !== w) c = this.cellNext[c] as number;
      if (c !== NOT_FOUND) {
        const at = c * run + k - 1;
        this.cellHeld[at] = (this.cellHeld[at] as number) + 1;
        const max = this.cellMax[c] as number;
        if (k > max) {
          this.cellMax[c] = k;
          this.activeBlocksByWorker[w] = (this.activeBlocksByWorker[w] as number) + k - max;
        }
        continue;
      }
      c = this.allocCell();
      this.cellWorker[c] = w;
      this.cellMax[c] = k;
      this.cellNext[c] = head;
      this.cellHeld[c * run + k - 1] = 1;
      if (slot >= 0) table.setValueAt(slot, c);
      else table.insertAtFrom(slot, keys, i, c);
      this.activeBlocksByWorker[w] = (this.activeBlocksByWorker[w] as number) + k;
    }
  }

  /** A request on w that held hashes[0..n) is gone (one table probe per run). */
  removeBlocks(w: number, hashes: Float64Array | readonly number[], n: number): void {
    const keys = asFloat64(hashes);
    const table = this.table;
    const run = this.runLength;
    const held = this.cellHeld;
    for (let i = 0; i < n; i += run) {
      const k = Math.min(run, n - i);
      const slot = table.findSlotIn(keys, i);
      let prev = NONE;
      let c = slot >= 0 ? table.valueAt(slot) : NOT_FOUND;
      while (c !== NOT_FOUND && this.cellWorker[c] !== w) {
        prev = c;
        c = this.cellNext[c] as number;
      }
      const base = c * run;
      if (c === NOT_FOUND || (held[base + k - 1] as number) === 0)
        throw new Error(`active block ${keys[i]} of worker ${w} is not tracked`);
      const left = (held[base + k - 1] as number) - 1;
      held[base + k - 1] = left;
      const max = this.cellMax[c] as number;
      if (left > 0 || k < max) continue;
      // The longest holding was k and it is gone: the next longest (if any) sets the distinct count.
      let m = k - 1;
      while (m > 0 && (held[base + m - 1] as number) === 0) m--;
      this.activeBlocksByWorker[w] = (this.activeBlocksByWorker[w] as number) - (k - m);
      if (m > 0) {
        this.cellMax[c] = m;
        continue;
      }
      const next = this.cellNext[c] as number;
      if (prev !== NONE) this.cellNext[prev] = next;
      else if (next === NONE) table.deleteAt(slot);
      else table.setValueAt(slot, next);
      this.freeCells[this.freeCellCount++] = c;
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
      this.cellMax = grownInt(this.cellMax, cap);
      this.cellNext = grownInt(this.cellNext, cap);
      this.cellHeld = grownInt(this.cellHeld, cap * this.runLength);
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
