/**
 * Event heap: a 4-ary min-heap on parallel typed arrays, ordered by (time ascending, insertion seq ascending).
 *
 *   index      0      1      2      3      4      5   ...  size−1  | spare capacity
 *   time    | t0   | t1   | t2   | t3   | t4   | t5   | ... |      |   Float64Array
 *   seq     | s0   | s1   | ...                                    |   Float64Array (exact integers < 2^53)
 *   kind    | k0   | k1   | ...                                    |   Int32Array
 *   arg     | a0   | a1   | ...                                    |   Int32Array
 *
 *   children of i: 4i+1 .. 4i+4        parent of i: (i − 1) >> 2
 *
 * Invariants: for every i > 0, (time, seq)[parent(i)] < (time, seq)[i]; seq values are unique and increase with
 * every push (reset by clear), so the order is total and equal times pop first-in first-out — the same events
 * always pop in the same order. No comparator callbacks: the comparison is inlined on the typed arrays.
 * A 4-ary layout halves the depth of a binary heap; the four children share a cache line of `time`.
 */

export class EventHeap {
  private time: Float64Array;
  private seq: Float64Array;
  private kind: Int32Array;
  private arg: Int32Array;
  private count: number;
  private nextSeq: number;

  constructor(initialCapacity = 64) {
    if (!(initialCapacity >= 0) || !Number.isFinite(initialCapacity)) {
      throw new RangeError(`initial capacity must be a finite number ≥ 0, got ${initialCapacity}`);
    }
    const cap = Math.max(4, Math.ceil(initialCapacity));
    this.time = new Float64Array(cap);
    this.seq = new Float64Array(cap);
    this.kind = new Int32Array(cap);
    this.arg = new Int32Array(cap);
    this.count = 0;
    this.nextSeq = 0;
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.time.length;
  }

  /** Adds an event. `time` must not be NaN; `kind` and `arg` are int32. */
  push(time: number, kind: number, arg: number): void {
    if (Number.isNaN(time)) throw new RangeError("event time must not be NaN");
    if ((kind | 0) !== kind || (arg | 0) !== arg) {
      throw new RangeError(`event kind and arg must be int32, got ${kind}, ${arg}`);
    }
    if (this.count === this.time.length) this.grow();
    const times = this.time;
    const seqs = this.seq;
    const kinds = this.kind;
    const args = this.arg;
    const s = this.nextSeq++;
    let i = this.count++;
    // The new event has the largest seq, so it only rises past parents with a strictly later time.
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = times[p] as number;
      if (pt <= time) break;
      times[i] = pt;
      seqs[i] = seqs[p] as number;
      kinds[i] = kinds[p] as number;
      args[i] = args[p] as number;
      i = p;
    }
    times[i] = time;
    seqs[i] = s;
    kinds[i] = kind;
    args[i] = arg;
  }

  /** Time of the next event, +Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? (this.time[0] as number) : Number.POSITIVE_INFINITY;
  }

  /** Kind of the next event, −1 when empty. */
  peekKind(): number {
    return this.count > 0 ? (this.kind[0] as number) : -1;
  }

  /** Arg of the next event, −1 when empty. */
  peekArg(): number {
    return this.count > 0 ? (this.arg[0] as number) : -1;
  }

  /** Insertion sequence number of the next event (0 for the first push after construction or clear), −1 when empty. */
  peekSeq(): number {
    return this.count > 0 ? (this.seq[0] as number) : -1;
  }

  /** Removes the next event (read it with peek* first). Throws when empty. */
  pop(): void {
    if (this.count === 0) throw new RangeError("pop from an empty event heap");
    const n = --this.count;
    if (n === 0) return;
    const times = this.time;
    const seqs = this.seq;
    const kinds = this.kind;
    const args = this.arg;
    // Sift the last event down from the root, moving the smallest child up into the hole at each level.
    const t = times[n] as number;
    const s = seqs[n] as number;
    let i = 0;
    for (;;) {
      const c = 4 * i + 1;
      if (c >= n) break;
      let best = c;
      let bt = times[c] as number;
      let bs = seqs[c] as number;
      const end = Math.min(c + 4, n);
      for (let j = c + 1; j < end; j++) {
        const jt = times[j] as number;
        if (jt < bt || (jt === bt && (seqs[j] as number) < bs)) {
          best = j;
          bt = jt;
          bs = seqs[j] as number;
        }
      }
      if (bt > t || (bt === t && bs > s)) break;
      times[i] = bt;
      seqs[i] = bs;
      kinds[i] = kinds[best] as number;
      args[i] = args[best] as number;
      i = best;
    }
    times[i] = t;
    seqs[i] = s;
    kinds[i] = kinds[n] as number;
    args[i] = args[n] as number;
  }

  /** Removes every event and restarts the insertion sequence at 0; keeps the capacity. */
  clear(): void {
    this.count = 0;
    this.nextSeq = 0;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const time = new Float64Array(cap);
    const seq = new Float64Array(cap);
    const kind = new Int32Array(cap);
    const arg = new Int32Array(cap);
    time.set(this.time);
    seq.set(this.seq);
    kind.set(this.kind);
    arg.set(this.arg);
    this.time = time;
    this.seq = seq;
    this.kind = kind;
    this.arg = arg;
  }
}
