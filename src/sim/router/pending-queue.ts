/**
 * The KV router's busy-threshold queue (docs/design.md#router-queue): a binary max-heap on (key desc, enqueue
 * seq asc) over parallel typed arrays, plus an arena holding each queued request's overlap scores as computed
 * at enqueue (they are reused, not recomputed, at dequeue).
 *
 *   heap slot i:  heapRequest[i]  heapKey[i]  heapSeq[i]          root = next to admit
 *   arena:        | w b t | w b t | ... |   (worker, overlap blocks, tree size) triples
 *                 request r's triples at arena[arenaStart[r] .. + 3·arenaCount[r])
 *
 * The arena only appends; popped requests leave garbage that is compacted away when the arena would
 * otherwise grow (amortised O(1) per triple, no allocation in steady state).
 */

import type { QueuePolicy } from "./router-config.js";

/** Priority key (docs/design.md#router-queue) with priority_jump 0; the higher key pops first. */
export function queueKey(
  policy: QueuePolicy,
  arrivalMs: number,
  islTokens: number,
  maxOverlapBlocks: number,
  blockSize: number,
): number {
  const arrivalS = Math.max(0, arrivalMs) / 1000;
  if (policy === "fcfs") return -arrivalS;
  if (policy === "lcfs") return arrivalS;
  return 1 / Math.max(1, islTokens - maxOverlapBlocks * blockSize); // wspt: shortest uncached prompt first
}

export class PendingQueue {
  /** After pop(): the popped request's overlaps as stored at enqueue. */
  poppedCount: number;
  poppedWorker: Int32Array;
  poppedBlocks: Int32Array;
  poppedTreeSize: Int32Array;

  private heapRequest: Int32Array;
  private heapKey: Float64Array;
  private heapSeq: Float64Array;
  private count: number;
  private nextSeq: number;
  private arena: Int32Array;
  private spare: Int32Array;
  private arenaTop: number;
  private garbage: number;
  private readonly arenaStart: Int32Array;
  private readonly arenaCount: Int32Array;

  constructor(requestCount: number) {
    this.poppedCount = 0;
    this.poppedWorker = new Int32Array(16);
    this.poppedBlocks = new Int32Array(16);
    this.poppedTreeSize = new Int32Array(16);
    this.heapRequest = new Int32Array(64);
    this.heapKey = new Float64Array(64);
    this.heapSeq = new Float64Array(64);
    this.count = 0;
    this.nextSeq = 0;
    this.arena = new Int32Array(1024);
    this.spare = new Int32Array(0);
    this.arenaTop = 0;
    this.garbage = 0;
    this.arenaStart = new Int32Array(requestCount);
    this.arenaCount = new Int32Array(requestCount);
  }

  get size(): number {
    return this.count;
  }

  /** Queues request r with its priority key and its overlaps (n triples from the three arrays). */
  push(
    r: number,
    key: number,
    workers: Int32Array,
    blocks: Int32Array,
    treeSizes: Int32Array,
    n: number,
  ): void {
    this.reserveArena(3 * n);
    let a = this.arenaTop;
    this.arenaStart[r] = a;
    this.arenaCount[r] = n;
    for (let i = 0; i < n; i++) {
      this.arena[a++] = workers[i] as number;
      this.arena[a++] = blocks[i] as number;
      this.arena[a++] = treeSizes[i] as number;
    }
    this.arenaTop = a;
    if (this.count === this.heapRequest.length) this.growHeap();
    let i = this.count++;
    const seq = this.nextSeq++;
    // Sift up: move parents that rank below the new entry down one level.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = this.heapKey[p] as number;
      if (pk > key || (pk === key && (this.heapSeq[p] as number) < seq)) break;
      this.heapRequest[i] = this.heapRequest[p] as number;
      this.heapKey[i] = pk;
      this.heapSeq[i] = this.heapSeq[p] as number;
      i = p;
    }
    this.heapRequest[i] = r;
    this.heapKey[i] = key;
    this.heapSeq[i] = seq;
  }

  /** Removes the best entry, returns its request id (−1 when empty) and fills popped*. */
  pop(): number {
    if (this.count === 0) return -1;
    const r = this.heapRequest[0] as number;
    const last = --this.count;
    if (last > 0)
      this.siftDown(
        this.heapRequest[last] as number,
        this.heapKey[last] as number,
        this.heapSeq[last] as number,
        last,
      );
    const n = this.arenaCount[r] as number;
    if (n > this.poppedWorker.length) this.growPopped(n);
    let a = this.arenaStart[r] as number;
    for (let i = 0; i < n; i++) {
      this.poppedWorker[i] = this.arena[a++] as number;
      this.poppedBlocks[i] = this.arena[a++] as number;
      this.poppedTreeSize[i] = this.arena[a++] as number;
    }
    this.poppedCount = n;
    this.garbage += 3 * n;
    this.arenaCount[r] = 0;
    return r;
  }

  private siftDown(r: number, key: number, seq: number, size: number): void {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      let c = l;
      const rt = l + 1;
      if (rt < size && this.ranksBefore(rt, l)) c = rt;
      const ck = this.heapKey[c] as number;
      if (key > ck || (key === ck && seq < (this.heapSeq[c] as number))) break;
      this.heapRequest[i] = this.heapRequest[c] as number;
      this.heapKey[i] = ck;
      this.heapSeq[i] = this.heapSeq[c] as number;
      i = c;
    }
    this.heapRequest[i] = r;
    this.heapKey[i] = key;
    this.heapSeq[i] = seq;
  }

  private ranksBefore(i: number, j: number): boolean {
    const ki = this.heapKey[i] as number;
    const kj = this.heapKey[j] as number;
    return ki > kj || (ki === kj && (this.heapSeq[i] as number) < (this.heapSeq[j] as number));
  }

  private reserveArena(need: number): void {
    if (this.arenaTop + need <= this.arena.length) return;
    const live = this.arenaTop - this.garbage;
    let cap = this.arena.length;
    while (live + need > cap / 2) cap *= 2; // keep at least half free after compaction
    if (this.spare.length !== cap) this.spare = new Int32Array(cap);
    const dst = this.spare;
    let top = 0;
    for (let i = 0; i < this.count; i++) {
      const r = this.heapRequest[i] as number;
      const start = this.arenaStart[r] as number;
      const len = 3 * (this.arenaCount[r] as number);
      dst.set(this.arena.subarray(start, start + len), top);
      this.arenaStart[r] = top;
      top += len;
    }
    this.spare = this.arena.length === cap ? this.arena : new Int32Array(0);
    this.arena = dst;
    this.arenaTop = top;
    this.garbage = 0;
  }

  private growHeap(): void {
    const cap = this.heapRequest.length * 2;
    const req = new Int32Array(cap);
    req.set(this.heapRequest);
    this.heapRequest = req;
    const key = new Float64Array(cap);
    key.set(this.heapKey);
    this.heapKey = key;
    const seq = new Float64Array(cap);
    seq.set(this.heapSeq);
    this.heapSeq = seq;
  }

  private growPopped(n: number): void {
    let cap = this.poppedWorker.length;
    while (cap < n) cap *= 2;
    this.poppedWorker = new Int32Array(cap);
    this.poppedBlocks = new Int32Array(cap);
    this.poppedTreeSize = new Int32Array(cap);
  }
}
