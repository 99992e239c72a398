import { LogLinearHistogram } from "../../native-free-kernels/histogram.js";
import { ValueCounter } from "../../native-free-kernels/value-counter.js";
import { ExactMoments } from "./exact-moments.js";

/**
 * Per-request accounting of a replay (docs/design.md#request-accounting), in O(1) memory per request: the
 * collector never keeps every token time. Request id = trace row.
 *
 * Per-request columns (indexed by request id; NaN / -1 = not seen yet) — 80 bytes per request:
 *   arrivalMs      Float64Array  when the request reached the router
 *   firstAdmitMs   Float64Array  first time any engine admitted it (set once; disagg: the prefill admission)
 *   firstTokenMs   Float64Array  first output token
 *   secondTokenMs  Float64Array  second output token (TTST)
 *   lastTokenMs    Float64Array  latest output token (E2E, TPOT)
 *   tokenCount     Uint32Array   output tokens emitted
 *   reusedTokens   Uint32Array   max cached-prefix tokens over its admissions (re-admissions, both disagg stages)
 *   hostTokens     Uint32Array   the part of reusedTokens onboarded from the host tier (G2) ┐ both of the admission
 *   diskTokens     Uint32Array   the part of reusedTokens onboarded from the disk tier (G3) ┘ that set reusedTokens
 *   onboardedTokens Float64Array Σ host + disk tokens over every admission (what the links moved for it)
 *   onboardMs      Float64Array  Σ onboarding time (link wait + transfer) over every admission, ms
 *   workerId       Int32Array    worker that last took the request, -1 if none
 *   preemptions    Uint32Array   times it was preempted
 *
 * Re-admissions and tiers (docs/design.md#request-accounting): reusedTokens keeps the largest hit over the
 * admissions, and the G2/G3 split is that admission's own (the first one when several tie), so per request
 * G1 + G2 + G3 = reusedTokens and the per-tier shares of the report add up to its all-tier ratio. Onboarding is
 * a cost, not a hit: every admission's transfer delayed the request and moved bytes, so those two add up.
 *
 * Pooled over every token gap (ITL) and every per-user rate 1000/gap (gap > 0):
 *   itlHistogram, rateHistogram  LogLinearHistogram(10): nearest-rank percentiles within 2^−10 relative error
 *   itlMoments, rateMoments      ExactMoments: exact count, min, max and order-independent Σx, Σx² (mean, std)
 * Gaps are counted, not added one by one: equal consecutive gaps form one (gap, multiplicity) pair
 * (pendingGapMs × pendingGaps — a decode batch's tokens share their gap, and so do the passes of a steady decode
 * run), pairs go into gapCounts (a multiset: a replay has a few thousand distinct gaps over millions of
 * tokens), and the multiset is folded into the four pooled accumulators only when one of them is read. The
 * accumulators are exact and order-free, so the result is the same as adding every gap as it came.
 *
 * Invariants: a token needs an earlier admission and a non-decreasing clock per request; completed ⇔ admitted
 * and ≥ 1 token. Every accumulator is order-independent (integer counts, min/max, exact sums), so merging
 * cells' collectors gives the same report whatever the merge order.
 */

/** subBucketBits of the pooled histograms: relative quantile error ≤ 2^−10 ≈ 0.098 %. */
export const POOLED_HISTOGRAM_BITS = 10;

/** Distinct gaps counted before they are folded into the pooled accumulators (bounds the counter's memory). */
const GAP_FOLD_AT = 4096;

/** Format tag at the start of an exported pooled-accumulator array. */
const POOLED_FORMAT = 1;

/** Transfer form of a collector: its columns plus one Float64Array of pooled accumulators. */
export interface CollectorState {
  readonly requestCount: number;
  readonly arrivalMs: Float64Array;
  readonly firstAdmitMs: Float64Array;
  readonly firstTokenMs: Float64Array;
  readonly secondTokenMs: Float64Array;
  readonly lastTokenMs: Float64Array;
  readonly tokenCount: Uint32Array;
  readonly reusedTokens: Uint32Array;
  readonly hostTokens: Uint32Array;
  readonly diskTokens: Uint32Array;
  readonly onboardedTokens: Float64Array;
  readonly onboardMs: Float64Array;
  readonly workerId: Int32Array;
  readonly preemptions: Uint32Array;
  /**
   * | FORMAT=1 | itlMomentsLen | rateMomentsLen | itlHistLen | rateHistLen | itlMoments | rateMoments |
   * | itlHistogram | rateHistogram |   (ExactMoments and LogLinearHistogram transfer layouts)
   */
  readonly pooled: Float64Array;
}

/** What the traffic accumulator needs at completion (docs/design.md#traffic-accumulator). */
export interface RequestLatencies {
  readonly ttftMs: number;
  /** Mean time per output token, or 0 with fewer than two tokens. */
  readonly meanItlMs: number;
}

export class RequestCollector {
  readonly requestCount: number;
  readonly arrivalMs: Float64Array;
  readonly firstAdmitMs: Float64Array;
  readonly firstTokenMs: Float64Array;
  readonly secondTokenMs: Float64Array;
  readonly lastTokenMs: Float64Array;
  readonly tokenCount: Uint32Array;
  readonly reusedTokens: Uint32Array;
  readonly hostTokens: Uint32Array;
  readonly diskTokens: Uint32Array;
  readonly onboardedTokens: Float64Array;
  readonly onboardMs: Float64Array;
  readonly workerId: Int32Array;
  readonly preemptions: Uint32Array;
  private readonly itlHist: LogLinearHistogram;
  private readonly itlSums: ExactMoments;
  private readonly rateHist: LogLinearHistogram;
  private readonly rateSums: ExactMoments;
  /** The gap of the pooled run not yet counted (NaN: none) and how many tokens had it. */
  private pendingGapMs: number;
  private pendingGaps: number;
  /** Gaps counted but not yet folded into the pooled accumulators. */
  private readonly gapCounts: ValueCounter;

  constructor(requestCount: number) {
    if (!Number.isSafeInteger(requestCount) || requestCount < 0) {
      throw new RangeError(`RequestCollector: request count must be an integer ≥ 0, got ${requestCount}`);
    }
    this.requestCount = requestCount;
    this.arrivalMs = new Float64Array(requestCount).fill(Number.NaN);
    this.firstAdmitMs = new Float64Array(requestCount).fill(Number.NaN);
    this.firstTokenMs = new Float64Array(requestCount).fill(Number.NaN);
    this.secondTokenMs = new Float64Array(requestCount).fill(Number.NaN);
    this.lastTokenMs = new Float64Array(requestCount).fill(Number.NaN);
    this.tokenCount = new Uint32Array(requestCount);
    this.reusedTokens = new Uint32Array(requestCount);
    this.hostTokens = new Uint32Array(requestCount);
    this.diskTokens = new Uint32Array(requestCount);
    this.onboardedTokens = new Float64Array(requestCount);
    this.onboardMs = new Float64Array(requestCount);
    this.workerId = new Int32Array(requestCount).fill(-1);
    this.preemptions = new Uint32Array(requestCount);
    this.itlHist = new LogLinearHistogram(POOLED_HISTOGRAM_BITS);
    this.itlSums = new ExactMoments();
    this.rateHist = new LogLinearHistogram(POOLED_HISTOGRAM_BITS);
    this.rateSums = new ExactMoments();
    this.pendingGapMs = Number.NaN;
    this.pendingGaps = 0;
    this.gapCounts = new ValueCounter(GAP_FOLD_AT);
  }

  /** Every inter-token gap, pooled (nearest-rank percentiles). */
  get itlHistogram(): LogLinearHistogram {
    this.foldGaps();
    return this.itlHist;
  }

  /** Every inter-token gap: exact count, min, max, Σx, Σx². */
  get itlMoments(): ExactMoments {
    this.foldGaps();
    return this.itlSums;
  }

  /** Every per-user rate 1000 / gap (gap > 0), tokens/s, pooled. */
  get rateHistogram(): LogLinearHistogram {
    this.foldGaps();
    return this.rateHist;
  }

  get rateMoments(): ExactMoments {
    this.foldGaps();
    return this.rateSums;
  }

  // ---- events (hot path: no allocation) ----

  /** The request reached the router at `arrivalMs`. */
  onArrival(id: number, arrivalMs: number): void {
    this.arrivalMs[this.checkId(id)] = arrivalMs;
  }

  /**
   * An engine admitted (started scheduling) the request with `reusedTokens` prompt tokens already cached, of
   * which `hostTokens` and `diskTokens` were onboarded from the host and disk tiers, taking `onboardMs` (link
   * wait + transfer) before the admission.
   */
  onAdmit(
    id: number,
    nowMs: number,
    reusedTokens: number,
    hostTokens = 0,
    diskTokens = 0,
    onboardMs = 0,
  ): void {
    this.checkId(id);
    if (Number.isNaN(this.arrivalMs[id] as number)) {
      throw new Error(`collector: request ${id} admitted before it arrived`);
    }
    if (Number.isNaN(this.firstAdmitMs[id] as number)) this.firstAdmitMs[id] = nowMs;
    if (reusedTokens > (this.reusedTokens[id] as number)) {
      this.reusedTokens[id] = reusedTokens;
      this.hostTokens[id] = hostTokens;
      this.diskTokens[id] = diskTokens;
    }
    const lower = hostTokens + diskTokens;
    if (lower > 0 || onboardMs > 0) {
      if (!(lower <= reusedTokens && onboardMs >= 0)) {
        throw new Error(
          `collector: request ${id} onboarded ${lower} of ${reusedTokens} reused tokens in ${onboardMs} ms`,
        );
      }
      this.onboardedTokens[id] = (this.onboardedTokens[id] as number) + lower;
      this.onboardMs[id] = (this.onboardMs[id] as number) + onboardMs;
    }
  }

  /** The request emitted one output token at `nowMs`. */
  onToken(id: number, nowMs: number): void {
    this.recordToken(this.checkId(id), nowMs);
  }

  /** Requests ids[0 .. count) each emitted one output token at `nowMs` (a whole pass's tokens at once). */
  onTokens(ids: Int32Array, count: number, nowMs: number): void {
    for (let i = 0; i < count; i++) this.recordToken(this.checkId(ids[i] as number), nowMs);
  }

  /**
   * Requests ids[0 .. count) each emitted one token at every time endsMs[0 .. passes) (a run of decode passes
   * with the same batch). The gaps between passes are the same for every request, so each is pooled once with
   * multiplicity `count`.
   */
  onTokenRun(ids: Int32Array, count: number, endsMs: Float64Array, passes: number): void {
    if (passes <= 0) return;
    const first = endsMs[0] as number;
    for (let i = 0; i < count; i++) this.recordToken(this.checkId(ids[i] as number), first);
    if (passes === 1) return;
    for (let j = 1; j < passes; j++) {
      const gapMs = (endsMs[j] as number) - (endsMs[j - 1] as number);
      if (!(gapMs >= 0)) throw new Error(`collector: token run times go backwards at ${endsMs[j]} ms`);
      if (gapMs === this.pendingGapMs) this.pendingGaps += count;
      else {
        this.flushGaps();
        this.pendingGapMs = gapMs;
        this.pendingGaps = count;
      }
    }
    const last = endsMs[passes - 1] as number;
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      this.tokenCount[id] = (this.tokenCount[id] as number) + passes - 1;
      this.lastTokenMs[id] = last;
    }
  }

  private recordToken(id: number, nowMs: number): void {
    if (Number.isNaN(this.firstAdmitMs[id] as number)) {
      throw new Error(`collector: request ${id} emitted a token before any admission`);
    }
    const n = this.tokenCount[id] as number;
    if (n === 0) {
      this.firstTokenMs[id] = nowMs;
    } else {
      const gapMs = nowMs - (this.lastTokenMs[id] as number);
      if (!(gapMs >= 0))
        throw new Error(`collector: request ${id} token at ${nowMs} ms precedes its previous one`);
      if (n === 1) this.secondTokenMs[id] = nowMs;
      if (gapMs === this.pendingGapMs) this.pendingGaps++;
      else {
        this.flushGaps();
        this.pendingGapMs = gapMs;
        this.pendingGaps = 1;
      }
    }
    this.lastTokenMs[id] = nowMs;
    this.tokenCount[id] = n + 1;
  }

  /** Counts the pending (gap, multiplicity) pair (folding the counts in once they hold GAP_FOLD_AT values). */
  private flushGaps(): void {
    const times = this.pendingGaps;
    if (times === 0) return;
    const gapMs = this.pendingGapMs;
    this.pendingGaps = 0;
    this.pendingGapMs = Number.NaN;
    this.gapCounts.add(gapMs, times);
    if (this.gapCounts.size >= GAP_FOLD_AT) this.foldGaps();
  }

  /** Folds every counted gap into the pooled accumulators (before any read of them). */
  private foldGaps(): void {
    this.flushGaps();
    const counts = this.gapCounts;
    if (counts.size === 0) return;
    for (let i = 0; i < counts.capacity; i++) {
      const times = counts.countAt(i);
      if (times === 0) continue;
      const gapMs = counts.valueAt(i);
      this.itlHist.record(gapMs, times);
      this.itlSums.addTimes(gapMs, times);
      if (gapMs > 0) {
        const tokensPerS = 1000 / gapMs;
        this.rateHist.record(tokensPerS, times);
        this.rateSums.addTimes(tokensPerS, times);
      }
    }
    counts.clear();
  }

  /** The request was sent to worker `workerId` (the last assignment wins: in disagg, the decode worker). */
  onWorker(id: number, workerId: number): void {
    this.workerId[this.checkId(id)] = workerId;
  }

  /** The request was preempted (evicted from its running batch). */
  onPreempt(id: number): void {
    this.checkId(id);
    this.preemptions[id] = (this.preemptions[id] as number) + 1;
  }

  // ---- per-request accessors ----

  /** Arrived at the router. */
  hasArrived(id: number): boolean {
    return !Number.isNaN(this.arrivalMs[id] as number);
  }

  /**
   * Completed ⇔ admitted at least once and emitted at least one token (docs/design.md#request-accounting).
   */
  isCompleted(id: number): boolean {
    return !Number.isNaN(this.firstAdmitMs[id] as number) && (this.tokenCount[id] as number) > 0;
  }

  /** Time to first token (first token − arrival, ≥ 0); NaN unless completed. */
  ttftMs(id: number): number {
    if (!this.isCompleted(id)) return Number.NaN;
    return Math.max(0, (this.firstTokenMs[id] as number) - (this.arrivalMs[id] as number));
  }

  /** Time to second token (second − first); NaN with fewer than two tokens. */
  ttstMs(id: number): number {
    if (!this.isCompleted(id) || (this.tokenCount[id] as number) < 2) return Number.NaN;
    return (this.secondTokenMs[id] as number) - (this.firstTokenMs[id] as number);
  }

  /** Mean time per output token after the first, (last − first)/(n − 1); NaN with fewer than two tokens. */
  tpotMs(id: number): number {
    const n = this.tokenCount[id] as number;
    if (!this.isCompleted(id) || n < 2) return Number.NaN;
    return ((this.lastTokenMs[id] as number) - (this.firstTokenMs[id] as number)) / (n - 1);
  }

  /** End-to-end latency (last token − arrival, ≥ 0); NaN unless completed. */
  e2eMs(id: number): number {
    if (!this.isCompleted(id)) return Number.NaN;
    return Math.max(0, (this.lastTokenMs[id] as number) - (this.arrivalMs[id] as number));
  }

  /** (TTFT, mean TPOT or 0) for the traffic accumulator; null unless completed. */
  requestLatencies(id: number): RequestLatencies | null {
    if (!this.isCompleted(id)) return null;
    const tpot = this.tpotMs(id);
    return { ttftMs: this.ttftMs(id), meanItlMs: Number.isNaN(tpot) ? 0 : tpot };
  }

  // ---- transfer and merge ----

  /** A copy of everything, in transferable typed arrays (post with their buffers in the transfer list). */
  exportState(): CollectorState {
    const itlLen = this.itlMoments.serializedLength;
    const rateLen = this.rateMoments.serializedLength;
    const histLen = LogLinearHistogram.exportLength(POOLED_HISTOGRAM_BITS);
    const pooled = new Float64Array(5 + itlLen + rateLen + 2 * histLen);
    pooled[0] = POOLED_FORMAT;
    pooled[1] = itlLen;
    pooled[2] = rateLen;
    pooled[3] = histLen;
    pooled[4] = histLen;
    let at = 5;
    this.itlMoments.writeTo(pooled, at);
    at += itlLen;
    this.rateMoments.writeTo(pooled, at);
    at += rateLen;
    this.itlHistogram.writeTo(pooled, at);
    at += histLen;
    this.rateHistogram.writeTo(pooled, at);
    return {
      requestCount: this.requestCount,
      arrivalMs: this.arrivalMs.slice(),
      firstAdmitMs: this.firstAdmitMs.slice(),
      firstTokenMs: this.firstTokenMs.slice(),
      secondTokenMs: this.secondTokenMs.slice(),
      lastTokenMs: this.lastTokenMs.slice(),
      tokenCount: this.tokenCount.slice(),
      reusedTokens: this.reusedTokens.slice(),
      hostTokens: this.hostTokens.slice(),
      diskTokens: this.diskTokens.slice(),
      onboardedTokens: this.onboardedTokens.slice(),
      onboardMs: this.onboardMs.slice(),
      workerId: this.workerId.slice(),
      preemptions: this.preemptions.slice(),
      pooled,
    };
  }

  /** Rebuilds a collector from `exportState()` output (e.g. received from a worker thread). */
  static fromState(state: CollectorState): RequestCollector {
    const c = new RequestCollector(state.requestCount);
    const n = state.requestCount;
    const lengths = [
      state.arrivalMs.length,
      state.firstAdmitMs.length,
      state.firstTokenMs.length,
      state.secondTokenMs.length,
      state.lastTokenMs.length,
      state.tokenCount.length,
      state.reusedTokens.length,
      state.hostTokens.length,
      state.diskTokens.length,
      state.onboardedTokens.length,
      state.onboardMs.length,
      state.workerId.length,
      state.preemptions.length,
    ];
    if (lengths.some((len) => len !== n)) throw new RangeError("collector state: column length mismatch");
    c.arrivalMs.set(state.arrivalMs);
    c.firstAdmitMs.set(state.firstAdmitMs);
    c.firstTokenMs.set(state.firstTokenMs);
    c.secondTokenMs.set(state.secondTokenMs);
    c.lastTokenMs.set(state.lastTokenMs);
    c.tokenCount.set(state.tokenCount);
    c.reusedTokens.set(state.reusedTokens);
    c.hostTokens.set(state.hostTokens);
    c.diskTokens.set(state.diskTokens);
    c.onboardedTokens.set(state.onboardedTokens);
    c.onboardMs.set(state.onboardMs);
    c.workerId.set(state.workerId);
    c.preemptions.set(state.preemptions);
    const p = state.pooled;
    if (p[0] !== POOLED_FORMAT || p.length < 5)
      throw new RangeError("collector state: unknown pooled format");
    const itlLen = p[1] as number;
    const rateLen = p[2] as number;
    const itlHistLen = p[3] as number;
    const rateHistLen = p[4] as number;
    if (p.length !== 5 + itlLen + rateLen + itlHistLen + rateHistLen) {
      throw new RangeError("collector state: pooled section lengths do not add up");
    }
    let at = 5;
    const itlMoments = ExactMoments.readFrom(p, at);
    at += itlLen;
    const rateMoments = ExactMoments.readFrom(p, at);
    at += rateLen;
    const itlHistogram = LogLinearHistogram.fromFloat64Array(p.subarray(at, at + itlHistLen));
    at += itlHistLen;
    const rateHistogram = LogLinearHistogram.fromFloat64Array(p.subarray(at, at + rateHistLen));
    c.itlMoments.merge(itlMoments);
    c.rateMoments.merge(rateMoments);
    c.itlHistogram.merge(itlHistogram);
    c.rateHistogram.merge(rateHistogram);
    return c;
  }

  /**
   * Folds `other` (a cell's or shard's collector) into this one. Row i of `other` lands on request id
   * `globalIds[i]` (or i when omitted). Rows `other` never touched are skipped; a row both collectors touched
   * is an error (a request lives in exactly one cell). Pooled accumulators add exactly, so the result does not
   * depend on the order collectors are merged in.
   */
  mergeFrom(other: RequestCollector, globalIds?: Uint32Array | Int32Array | readonly number[]): void {
    if (globalIds !== undefined && globalIds.length !== other.requestCount) {
      throw new RangeError(`mergeFrom: ${globalIds.length} global ids for ${other.requestCount} rows`);
    }
    for (let i = 0; i < other.requestCount; i++) {
      if (!other.isTouched(i)) continue;
      const id = globalIds === undefined ? i : (globalIds[i] as number);
      this.checkId(id);
      if (this.isTouched(id)) throw new Error(`mergeFrom: request ${id} was recorded by both collectors`);
      this.arrivalMs[id] = other.arrivalMs[i] as number;
      this.firstAdmitMs[id] = other.firstAdmitMs[i] as number;
      this.firstTokenMs[id] = other.firstTokenMs[i] as number;
      this.secondTokenMs[id] = other.secondTokenMs[i] as number;
      this.lastTokenMs[id] = other.lastTokenMs[i] as number;
      this.tokenCount[id] = other.tokenCount[i] as number;
      this.reusedTokens[id] = other.reusedTokens[i] as number;
      this.hostTokens[id] = other.hostTokens[i] as number;
      this.diskTokens[id] = other.diskTokens[i] as number;
      this.onboardedTokens[id] = other.onboardedTokens[i] as number;
      this.onboardMs[id] = other.onboardMs[i] as number;
      this.workerId[id] = other.workerId[i] as number;
      this.preemptions[id] = other.preemptions[i] as number;
    }
    this.itlMoments.merge(other.itlMoments);
    this.rateMoments.merge(other.rateMoments);
    this.itlHistogram.merge(other.itlHistogram);
    this.rateHistogram.merge(other.rateHistogram);
  }

  /** Whether any event touched request `id`. */
  isTouched(id: number): boolean {
    return (
      !Number.isNaN(this.arrivalMs[id] as number) ||
      !Number.isNaN(this.firstAdmitMs[id] as number) ||
      (this.tokenCount[id] as number) > 0 ||
      (this.workerId[id] as number) >= 0 ||
      (this.preemptions[id] as number) > 0
    );
  }

  private checkId(id: number): number {
    if (!(id >= 0 && id < this.requestCount && Number.isInteger(id))) {
      throw new RangeError(`collector: request id ${id} outside [0, ${this.requestCount})`);
    }
    return id;
  }
}
