/**
 * Log-linear histogram over non-negative doubles (HdrHistogram-like): one bucket for exact zero, then for every
 * power of two 2^e (e = −30 .. 49) 2^b linear sub-buckets, b = subBucketBits.
 *
 *   counts (Float64Array, 1 + 80·2^b):
 *   | zero | e=−30: sub 0 .. 2^b−1 | e=−29: sub 0 .. 2^b−1 | ... | e=49: sub 0 .. 2^b−1 |
 *
 *   index(v) = 1 + (e − (−30))·2^b + sub  for v in [2^e·(1 + sub/2^b), 2^e·(1 + (sub+1)/2^b))
 *   e and sub are read straight from the IEEE-754 bits: biased exponent and the top b mantissa bits.
 *
 * Exact range [2^−30, 2^50) ≈ [9.3e−10, 1.13e15] covers 1e−9 .. 1e15. Zero is counted exactly; positive values
 * below 2^−30 count in the first sub-bucket and values ≥ 2^50 in the last (clamped), while count, min, max and
 * sum stay exact for every value.
 *
 * Quantiles report a bucket's midpoint, clamped to [min, max]: within 2^−(b+1) of the true value relative to it,
 * so within the documented bound 2^−b (b = 7: < 0.8 %; b = 10: < 0.1 %). Rank 0 and rank n−1 report min and max.
 *
 * Transfer layout (toFloat64Array / fromFloat64Array), fixed for a given b:
 *   | FORMAT=1 | b | count | min | max | sum | counts[0 .. 1 + 80·2^b) |
 *   (min = +Infinity and max = −Infinity when empty.)
 *
 * Invariants: Σ counts = count; counts are non-negative integers; min ≤ every recorded value ≤ max.
 */

const MIN_EXPONENT = -30;
const MAX_EXPONENT = 49;
const EXPONENTS = MAX_EXPONENT - MIN_EXPONENT + 1;
const HEADER = 6;
const FORMAT = 1;
const MIN_SUB_BUCKET_BITS = 1;
const MAX_SUB_BUCKET_BITS = 12;

/** Smallest positive value recorded within the relative error bound (2^−30 ≈ 9.31e−10). */
export const HISTOGRAM_LOWEST_EXACT_VALUE = 2 ** MIN_EXPONENT;
/** Values at or above this (2^50 ≈ 1.126e15) clamp to the last bucket. */
export const HISTOGRAM_HIGHEST_EXACT_VALUE_EXCLUSIVE = 2 ** (MAX_EXPONENT + 1);

const bitsScratch = new Float64Array(1);
const bitsWords = new Uint32Array(bitsScratch.buffer);
bitsScratch[0] = 1; // 1.0 = 0x3ff00000_00000000: find which word holds sign, exponent and top mantissa bits
const HI_WORD = bitsWords[1] === 0x3ff00000 ? 1 : 0;

function bucketCount(subBucketBits: number): number {
  return 1 + EXPONENTS * (1 << subBucketBits);
}

function checkSubBucketBits(b: number): void {
  if (!Number.isInteger(b) || b < MIN_SUB_BUCKET_BITS || b > MAX_SUB_BUCKET_BITS) {
    throw new RangeError(
      `subBucketBits must be an integer in [${MIN_SUB_BUCKET_BITS}, ${MAX_SUB_BUCKET_BITS}], got ${b}`,
    );
  }
}

export class LogLinearHistogram {
  private readonly bits: number;
  private readonly shift: number;
  private readonly lastIndex: number;
  private readonly counts: Float64Array;
  private total: number;
  private minValue: number;
  private maxValue: number;
  private sumValue: number;

  constructor(subBucketBits = 7) {
    checkSubBucketBits(subBucketBits);
    this.bits = subBucketBits;
    this.shift = 20 - subBucketBits;
    this.lastIndex = bucketCount(subBucketBits) - 1;
    this.counts = new Float64Array(this.lastIndex + 1);
    this.total = 0;
    this.minValue = Number.POSITIVE_INFINITY;
    this.maxValue = Number.NEGATIVE_INFINITY;
    this.sumValue = 0;
  }

  /** Length of the toFloat64Array() export for a given subBucketBits. */
  static exportLength(subBucketBits: number): number {
    checkSubBucketBits(subBucketBits);
    return HEADER + bucketCount(subBucketBits);
  }

  get subBucketBits(): number {
    return this.bits;
  }

  /** Largest relative error of a quantile for values in [2^−30, 2^50): 2^−subBucketBits. */
  get relativeErrorBound(): number {
    return 2 ** -this.bits;
  }

  get count(): number {
    return this.total;
  }

  /** Smallest recorded value (exact), 0 when empty. */
  get min(): number {
    return this.total > 0 ? this.minValue : 0;
  }

  /** Largest recorded value (exact), 0 when empty. */
  get max(): number {
    return this.total > 0 ? this.maxValue : 0;
  }

  get sum(): number {
    return this.sumValue;
  }

  /** sum / count, 0 when empty. */
  get mean(): number {
    return this.total > 0 ? this.sumValue / this.total : 0;
  }

  /** Records `value` (finite, ≥ 0) `count` times (an integer ≥ 0, default 1). */
  record(value: number, count = 1): void {
    if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`histogram value must be a finite number ≥ 0, got ${value}`);
    }
    if (count !== 1 && !(Number.isSafeInteger(count) && count >= 0)) {
      throw new RangeError(`histogram count must be an integer ≥ 0, got ${count}`);
    }
    if (count === 0) return;
    let index = 0;
    if (value === 0) {
      value = 0; // −0 counts as 0
    } else {
      bitsScratch[0] = value;
      const hi = bitsWords[HI_WORD] as number;
      const e = (hi >>> 20) - 1023;
      if (e < MIN_EXPONENT) index = 1;
      else if (e > MAX_EXPONENT) index = this.lastIndex;
      else index = 1 + ((e - MIN_EXPONENT) << this.bits) + ((hi & 0xfffff) >>> this.shift);
    }
    this.counts[index] = (this.counts[index] as number) + count;
    this.total += count;
    this.sumValue += value * count;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
  }

  /** Adds `other`'s counts element-wise (same subBucketBits required); min, max, count and sum combine exactly. */
  merge(other: LogLinearHistogram): void {
    if (other.bits !== this.bits) {
      throw new RangeError(`cannot merge histograms with subBucketBits ${this.bits} and ${other.bits}`);
    }
    const mine = this.counts;
    const theirs = other.counts;
    for (let i = 0; i < mine.length; i++) mine[i] = (mine[i] as number) + (theirs[i] as number);
    this.total += other.total;
    this.sumValue += other.sumValue;
    if (other.minValue < this.minValue) this.minValue = other.minValue;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
  }

  /**
   * Nearest-rank quantile: the value at sorted index round((n−1)·percent/100) (halves away from zero), reported
   * as its bucket's midpoint clamped to [min, max] (exactly min at rank 0 and max at rank n−1); 0 when empty.
   */
  quantileNearestRank(percent: number): number {
    if (!(percent >= 0 && percent <= 100)) {
      throw new RangeError(`percent must be in [0, 100], got ${percent}`);
    }
    const n = this.total;
    if (n === 0) return 0;
    const rank = Math.round(((n - 1) * percent) / 100);
    if (rank === 0) return this.minValue;
    if (rank >= n - 1) return this.maxValue;
    const counts = this.counts;
    let seen = 0;
    let index = 0;
    for (; index < this.lastIndex; index++) {
      seen += counts[index] as number;
      if (seen > rank) break;
    }
    if (index === 0) return 0;
    const e = MIN_EXPONENT + ((index - 1) >> this.bits);
    const sub = (index - 1) & ((1 << this.bits) - 1);
    const mid = 2 ** e * (1 + (sub + 0.5) / (1 << this.bits));
    return Math.min(Math.max(mid, this.minValue), this.maxValue);
  }

  /** Forgets every recorded value. */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.minValue = Number.POSITIVE_INFINITY;
    this.maxValue = Number.NEGATIVE_INFINITY;
    this.sumValue = 0;
  }

  /** Writes the fixed transfer layout (see the header) into `out[offset .. offset + exportLength(b))`. */
  writeTo(out: Float64Array, offset: number): void {
    if (offset < 0 || offset + HEADER + this.counts.length > out.length) {
      throw new RangeError("histogram export does not fit in the output array");
    }
    out[offset] = FORMAT;
    out[offset + 1] = this.bits;
    out[offset + 2] = this.total;
    out[offset + 3] = this.minValue;
    out[offset + 4] = this.maxValue;
    out[offset + 5] = this.sumValue;
    out.set(this.counts, offset + HEADER);
  }

  /** A fresh array in the fixed transfer layout; its buffer can be transferred to another thread. */
  toFloat64Array(): Float64Array {
    const out = new Float64Array(HEADER + this.counts.length);
    this.writeTo(out, 0);
    return out;
  }

  /** Rebuilds a histogram from toFloat64Array() output; RangeError when the layout or its invariants are broken. */
  static fromFloat64Array(data: Float64Array): LogLinearHistogram {
    if (data.length < HEADER || data[0] !== FORMAT) throw new RangeError("not a LogLinearHistogram export");
    const b = data[1] as number;
    checkSubBucketBits(b);
    const h = new LogLinearHistogram(b);
    if (data.length !== HEADER + h.counts.length) {
      throw new RangeError(
        `histogram export has length ${data.length}, expected ${HEADER + h.counts.length}`,
      );
    }
    let total = 0;
    for (let i = 0; i < h.counts.length; i++) {
      const c = data[HEADER + i] as number;
      if (!(Number.isSafeInteger(c) && c >= 0)) throw new RangeError(`histogram bucket ${i} holds ${c}`);
      h.counts[i] = c;
      total += c;
    }
    const count = data[2] as number;
    const min = data[3] as number;
    const max = data[4] as number;
    const sum = data[5] as number;
    if (total !== count)
      throw new RangeError(`histogram export counts sum to ${total}, header says ${count}`);
    const consistent =
      count === 0
        ? min === Number.POSITIVE_INFINITY && max === Number.NEGATIVE_INFINITY && sum === 0
        : min >= 0 && min <= max && max < Number.POSITIVE_INFINITY && sum >= 0; // sum may overflow to +Infinity
    if (!consistent)
      throw new RangeError(`histogram export has inconsistent min ${min}, max ${max}, sum ${sum}`);
    h.total = count;
    h.minValue = min;
    h.maxValue = max;
    h.sumValue = sum;
    return h;
  }
}
