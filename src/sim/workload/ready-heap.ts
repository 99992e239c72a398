/**
 * Binary min-heap of sessions waiting to release their next turn, ordered by (readyAtMs, session index) — the
 * workload driver's (ready_at, session_index, turn_index) order: a session is in the heap at most once, so its
 * turn index never breaks a tie.
 *
 *   readyAtMs  Float64Array[capacity]   | t0 | t1 | t2 | ... |   heap order: parent ≤ children
 *   session    Int32Array[capacity]     | s0 | s1 | s2 | ... |
 *
 * Capacity is fixed at construction (the number of sessions); push on a full heap is a bug and throws.
 */
export class ReadyHeap {
  private readonly readyAtMs: Float64Array;
  private readonly session: Int32Array;
  private count: number;

  constructor(capacity: number) {
    this.readyAtMs = new Float64Array(Math.max(1, capacity));
    this.session = new Int32Array(Math.max(1, capacity));
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** +Infinity when empty. */
  peekTimeMs(): number {
    return this.count === 0 ? Number.POSITIVE_INFINITY : (this.readyAtMs[0] as number);
  }

  /** -1 when empty. */
  peekSession(): number {
    return this.count === 0 ? -1 : (this.session[0] as number);
  }

  push(readyAtMs: number, session: number): void {
    if (this.count === this.readyAtMs.length) throw new Error("ReadyHeap: full (a session was pushed twice)");
    const t = this.readyAtMs;
    const s = this.session;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = t[parent] as number;
      if (pt < readyAtMs || (pt === readyAtMs && (s[parent] as number) < session)) break;
      t[i] = pt;
      s[i] = s[parent] as number;
      i = parent;
    }
    t[i] = readyAtMs;
    s[i] = session;
  }

  pop(): void {
    if (this.count === 0) return;
    const n = --this.count;
    if (n === 0) return;
    const t = this.readyAtMs;
    const s = this.session;
    const lastT = t[n] as number;
    const lastS = s[n] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const ct = t[child] as number;
        const rt = t[right] as number;
        if (rt < ct || (rt === ct && (s[right] as number) < (s[child] as number))) child = right;
      }
      const ct = t[child] as number;
      if (lastT < ct || (lastT === ct && lastS < (s[child] as number))) break;
      t[i] = ct;
      s[i] = s[child] as number;
      i = child;
    }
    t[i] = lastT;
    s[i] = lastS;
  }

  clear(): void {
    this.count = 0;
  }
}
