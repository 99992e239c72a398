/**
 * Exact, order-independent running moments (count, min, max, Σx, Σx²) of a stream of finite doubles.
 *
 * Why exact: the collector pools millions of inter-token gaps, and a sharded replay merges the pools of its
 * cells. A plain floating-point sum depends on the order of the additions, so the merged mean would change
 * with the shard split. Here Σx and Σx² are held as Shewchuk expansions (the `msum` of Python's math.fsum):
 * lists of non-overlapping doubles whose exact real sum equals the exact sum of every value added. Every read
 * rounds that exact value once, so the result is the same whatever the order of adds and merges.
 *
 * Layout (`add` allocates nothing unless an expansion outgrows its array, which real data never makes it do):
 *   sumParts  Float64Array[cap]  Σx  expansion, partials in increasing magnitude, sumLen used
 *   sqParts   Float64Array[cap]  Σx² expansion (each x² split exactly into hi + lo), sqLen used
 * Serialised (writeTo / toFloat64Array): [count, min, max, sumLen, sqLen, sumParts[0..sumLen),
 * sqParts[0..sqLen)] = serializedLength doubles (5 + sumLen + sqLen).
 *
 * Invariants: partials are non-zero, non-overlapping and sorted by magnitude. Their number is bounded by the
 * span of bit positions the exact sum covers: 2–4 for millisecond timings, never more than ~2100 for doubles.
 */

/** Initial capacity of each expansion; it doubles when needed (never for real timing data). */
const INITIAL_PARTS = 16;
/** Fixed header of the serialised form: count, min, max, sumLen, sqLen. */
export const EXACT_MOMENTS_HEADER = 5;

/** Dekker's splitter for 53-bit doubles: 2^27 + 1. */
const SPLITTER = 134217729;

/** A growable expansion: a sum of non-overlapping doubles held exactly. */
class Expansion {
  parts: Float64Array;
  length: number;

  constructor() {
    this.parts = new Float64Array(INITIAL_PARTS);
    this.length = 0;
  }

  /** Adds `x` exactly (Shewchuk's grow-expansion with zero elimination, as in Python's msum). */
  add(x: number): void {
    SCRATCH[0] = x;
    this.addFrom(SCRATCH, 0);
  }

  /**
   * add(src[at]): the value is read out of an array because V8 boxes a double passed to a call it does not
   * inline, and this is called for every pooled gap.
   */
  addFrom(src: Float64Array, at: number): void {
    let x = src[at] as number;
    let parts = this.parts;
    const len = this.length;
    let used = 0;
    for (let k = 0; k < len; k++) {
      let y = parts[k] as number;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) parts[used++] = lo;
      x = hi;
    }
    if (x !== 0) {
      if (used === parts.length) {
        const grown = new Float64Array(parts.length * 2);
        grown.set(parts);
        this.parts = parts = grown;
      }
      parts[used++] = x;
    }
    this.length = used;
  }

  /** The exact value rounded once to the nearest double (ties to even), as math.fsum rounds. */
  round(): number {
    const parts = this.parts;
    let n = this.length;
    if (n === 0) return 0;
    let hi = parts[--n] as number;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = parts[--n] as number;
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // Half-way case: hi + lo lies exactly between two doubles and the partials below push it one way.
    if (n > 0) {
      const below = parts[n - 1] as number;
      if ((lo < 0 && below < 0) || (lo > 0 && below > 0)) {
        const y = lo * 2;
        const x = hi + y;
        const yr = x - hi;
        if (y === yr) hi = x;
      }
    }
    return hi;
  }

  clear(): void {
    this.parts.fill(0);
    this.length = 0;
  }
}

/** One-value scratch for Expansion.add (see addFrom). */
const SCRATCH = new Float64Array(1);

/** Exact product a·b = out[0] + out[1] (Dekker/Veltkamp; exact barring overflow and underflow). */
function twoProductInto(a: number, b: number, out: Float64Array): void {
  const hi = a * b;
  let t = SPLITTER * a;
  const aHi = t - (t - a);
  const aLo = a - aHi;
  t = SPLITTER * b;
  const bHi = t - (t - b);
  const bLo = b - bHi;
  out[0] = hi;
  out[1] = aLo * bLo - (hi - aHi * bHi - aLo * bHi - aHi * bLo);
}

export class ExactMoments {
  count: number;
  min: number;
  max: number;
  private readonly sumX: Expansion;
  private readonly sumSq: Expansion;
  private readonly product: Float64Array;

  constructor() {
    this.count = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.sumX = new Expansion();
    this.sumSq = new Expansion();
    this.product = new Float64Array(2);
  }

  /** Records one finite value. */
  add(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`ExactMoments.add: value must be finite, got ${x}`);
    this.count++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.sumX.add(x);
    const p = this.product;
    twoProductInto(x, x, p);
    this.sumSq.addFrom(p, 0);
    this.sumSq.addFrom(p, 1);
  }

  /** Records the finite value x `times` times (an integer ≥ 1): Σx += times·x and Σx² += times·x², exactly. */
  addTimes(x: number, times: number): void {
    if (times === 1) {
      this.add(x);
      return;
    }
    if (!Number.isFinite(x)) throw new RangeError(`ExactMoments.addTimes: value must be finite, got ${x}`);
    if (!(Number.isSafeInteger(times) && times >= 1))
      throw new RangeError(`ExactMoments.addTimes: times must be an integer ≥ 1, got ${times}`);
    this.count += times;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    // times·x = p0 + p1 and x² = q0 + q1 exactly, then times·q0 and times·q1 exactly: six exact terms.
    const p = this.product;
    twoProductInto(x, times, p);
    this.sumX.addFrom(p, 0);
    this.sumX.addFrom(p, 1);
    twoProductInto(x, x, p);
    const q1 = p[1] as number;
    twoProductInto(p[0] as number, times, p);
    this.sumSq.addFrom(p, 0);
    this.sumSq.addFrom(p, 1);
    twoProductInto(q1, times, p);
    this.sumSq.addFrom(p, 0);
    this.sumSq.addFrom(p, 1);
  }

  /** Adds every value `other` has seen; exact, so merges commute and associate. */
  merge(other: ExactMoments): void {
    if (other.count === 0) return;
    this.count += other.count;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    for (let k = 0; k < other.sumX.length; k++) this.sumX.add(other.sumX.parts[k] as number);
    for (let k = 0; k < other.sumSq.length; k++) this.sumSq.add(other.sumSq.parts[k] as number);
  }

  /** Σx, correctly rounded. */
  get sum(): number {
    return this.sumX.round();
  }

  /** Σx², correctly rounded. */
  get sumOfSquares(): number {
    return this.sumSq.round();
  }

  /** Σx / n (0 when empty). */
  get mean(): number {
    return this.count === 0 ? 0 : this.sumX.round() / this.count;
  }

  /**
   * Population standard deviation √(n·Σx² − (Σx)²) / n. n·Σx² − (Σx)² is evaluated exactly as an expansion (no
   * cancellation, however small the spread) and rounded once. 0 when fewer than two values.
   */
  get populationStd(): number {
    const n = this.count;
    if (n < 2) return 0;
    const acc = new Expansion();
    const p = this.product;
    const sq = this.sumSq;
    for (let k = 0; k < sq.length; k++) {
      twoProductInto(sq.parts[k] as number, n, p);
      acc.add(p[0] as number);
      acc.add(p[1] as number);
    }
    const s = this.sumX;
    for (let i = 0; i < s.length; i++) {
      for (let j = 0; j < s.length; j++) {
        twoProductInto(s.parts[i] as number, s.parts[j] as number, p);
        acc.add(-(p[0] as number));
        acc.add(-(p[1] as number));
      }
    }
    const scaledVariance = acc.round();
    return scaledVariance <= 0 ? 0 : Math.sqrt(scaledVariance) / n;
  }

  reset(): void {
    this.count = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.sumX.clear();
    this.sumSq.clear();
  }

  /** Doubles `writeTo` needs: EXACT_MOMENTS_HEADER + the two expansions' lengths. */
  get serializedLength(): number {
    return EXACT_MOMENTS_HEADER + this.sumX.length + this.sumSq.length;
  }

  /** Writes [count, min, max, sumLen, sqLen, sum partials, sum-of-squares partials] at `out[offset ..]`. */
  writeTo(out: Float64Array, offset: number): void {
    if (out.length - offset < this.serializedLength)
      throw new RangeError("ExactMoments.writeTo: buffer too small");
    out[offset] = this.count;
    out[offset + 1] = this.min;
    out[offset + 2] = this.max;
    out[offset + 3] = this.sumX.length;
    out[offset + 4] = this.sumSq.length;
    const at = offset + EXACT_MOMENTS_HEADER;
    out.set(this.sumX.parts.subarray(0, this.sumX.length), at);
    out.set(this.sumSq.parts.subarray(0, this.sumSq.length), at + this.sumX.length);
  }

  toFloat64Array(): Float64Array {
    const out = new Float64Array(this.serializedLength);
    this.writeTo(out, 0);
    return out;
  }

  /** Reads what `writeTo` wrote at `data[offset ..]`; the length read is the result's `serializedLength`. */
  static readFrom(data: Float64Array, offset: number): ExactMoments {
    const count = data[offset];
    const sumLen = data[offset + 3];
    const sqLen = data[offset + 4];
    const isCount = (v: number | undefined): v is number => v !== undefined && Number.isInteger(v) && v >= 0;
    if (!isCount(count) || !isCount(sumLen) || !isCount(sqLen)) {
      throw new RangeError("ExactMoments.readFrom: malformed header");
    }
    const at = offset + EXACT_MOMENTS_HEADER;
    if (data.length < at + sumLen + sqLen) throw new RangeError("ExactMoments.readFrom: data too short");
    const m = new ExactMoments();
    m.count = count;
    m.min = data[offset + 1] as number;
    m.max = data[offset + 2] as number;
    for (let k = 0; k < sumLen; k++) m.sumX.add(data[at + k] as number);
    for (let k = 0; k < sqLen; k++) m.sumSq.add(data[at + sumLen + k] as number);
    return m;
  }

  static fromFloat64Array(data: Float64Array): ExactMoments {
    return ExactMoments.readFrom(data, 0);
  }
}
