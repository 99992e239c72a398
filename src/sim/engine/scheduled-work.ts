/**
 * The work scheduled in one pass (docs/design.md#engine-pass, step 4), one entry per Scheduled outcome, in
 * scheduling order:
 *
 *   entry e   slot Int32   total Float64 (tokens computed)   prompt Float64 (of which prompt tokens)
 *             prefix Float64 (prompt tokens already in KV before)   promptLen Float64   seqLen Float64
 *             live Uint8 (0 once the request was preempted later in the same pass)
 *
 * Running totals over the live entries (exact: integer token counts): liveTokens = Σ total; prefillBatch,
 * prefillSumIsl = Σ (prefix + prompt) and prefillSumPrefix = Σ prefix over live entries with prompt > 0.
 *
 * Invariants: count ≤ capacity; a dead entry is ignored by prefill timing and the snapshot.
 */
export class ScheduledWork {
  slot: Int32Array;
  total: Float64Array;
  prompt: Float64Array;
  prefix: Float64Array;
  promptLen: Float64Array;
  seqLen: Float64Array;
  live: Uint8Array;
  count: number;
  liveTokens: number;
  prefillBatch: number;
  prefillSumIsl: number;
  prefillSumPrefix: number;

  constructor(initialCapacity = 64) {
    const cap = Math.max(1, initialCapacity);
    this.slot = new Int32Array(cap);
    this.total = new Float64Array(cap);
    this.prompt = new Float64Array(cap);
    this.prefix = new Float64Array(cap);
    this.promptLen = new Float64Array(cap);
    this.seqLen = new Float64Array(cap);
    this.live = new Uint8Array(cap);
    this.count = 0;
    this.liveTokens = 0;
    this.prefillBatch = 0;
    this.prefillSumIsl = 0;
    this.prefillSumPrefix = 0;
  }

  clear(): void {
    this.count = 0;
    this.liveTokens = 0;
    this.prefillBatch = 0;
    this.prefillSumIsl = 0;
    this.prefillSumPrefix = 0;
  }

  push(
    slot: number,
    total: number,
    prompt: number,
    prefix: number,
    promptLen: number,
    seqLen: number,
  ): number {
    if (this.count === this.slot.length) this.grow();
    const e = this.count++;
    this.slot[e] = slot;
    this.total[e] = total;
    this.prompt[e] = prompt;
    this.prefix[e] = prefix;
    this.promptLen[e] = promptLen;
    this.seqLen[e] = seqLen;
    this.live[e] = 1;
    this.liveTokens += total;
    if (prompt > 0) {
      this.prefillBatch++;
      this.prefillSumIsl += prefix + prompt;
      this.prefillSumPrefix += prefix;
    }
    return e;
  }

  /** Drops entry e (its request was preempted later in the pass); returns the tokens it had scheduled. */
  kill(e: number): number {
    if (this.live[e] === 0) return 0;
    this.live[e] = 0;
    const total = this.total[e] as number;
    const prompt = this.prompt[e] as number;
    this.liveTokens -= total;
    if (prompt > 0) {
      this.prefillBatch--;
      this.prefillSumIsl -= (this.prefix[e] as number) + prompt;
      this.prefillSumPrefix -= this.prefix[e] as number;
    }
    return total;
  }

  private grow(): void {
    const cap = this.slot.length * 2;
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.slot = i32(this.slot);
    this.total = f64(this.total);
    this.prompt = f64(this.prompt);
    this.prefix = f64(this.prefix);
    this.promptLen = f64(this.promptLen);
    this.seqLen = f64(this.seqLen);
    const live = new Uint8Array(cap);
    live.set(this.live);
    this.live = live;
  }
}

/** Welford's running mean and population variance (M2 / n; 0 for fewer than one value). */
export class Welford {
  count: number;
  mean: number;
  m2: number;
  sum: number;

  constructor() {
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
    this.sum = 0;
  }

  reset(): void {
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
    this.sum = 0;
  }

  add(x: number): void {
    this.count++;
    this.sum += x;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
  }

  get variance(): number {
    return this.count > 0 ? this.m2 / this.count : 0;
  }
}
