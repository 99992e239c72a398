/**
 * Multiset of doubles: how many times each distinct value was added. Open addressing keyed by the value's
 * IEEE-754 bits (so 0.1 + 0.2 and 0.3 are different keys, and exactly equal doubles the same one).
 *
 *   slot i (capacity = 2^k)   lo[i], hi[i]  Int32   the value's two 32-bit words
 *                             count[i]      Float64 times added (0 = empty slot)
 *
 * Linear probing, no deletion (drain empties the whole table). A replay adds its inter-token gaps here — a few
 * thousand distinct values over millions of tokens — and folds them into exact accumulators only when read.
 *
 * Invariants: count[i] > 0 for occupied slots; keys unique; size ≤ capacity / 2 (grows ×2 beyond).
 */

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
bits[0] = 1; // 1.0 = 0x3ff00000_00000000: find which word holds the sign and exponent
const HI = words[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

function mix(lo: number, hi: number): number {
  let h = lo ^ Math.imul(hi, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

export class ValueCounter {
  private lo: Int32Array;
  private hi: Int32Array;
  private counts: Float64Array;
  private mask: number;
  private used: number;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    this.counts = new Float64Array(cap);
    this.mask = cap - 1;
    this.used = 0;
  }

  /** Distinct values held. */
  get size(): number {
    return this.used;
  }

  /** Slots to iterate with countAt / valueAt (occupied ones have countAt > 0). */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Adds `value` (not NaN) `times` times (> 0). */
  add(value: number, times: number): void {
    bits[0] = value;
    const lo = (words[LO] as number) | 0;
    const hi = (words[HI] as number) | 0;
    const mask = this.mask;
    let i = mix(lo, hi) & mask;
    for (;;) {
      const c = this.counts[i] as number;
      if (c === 0) break;
      if (this.lo[i] === lo && this.hi[i] === hi) {
        this.counts[i] = c + times;
        return;
      }
      i = (i + 1) & mask;
    }
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.counts[i] = times;
    if (++this.used * 2 > mask + 1) this.grow();
  }

  /** Times the value in slot i was added (0: empty slot). */
  countAt(i: number): number {
    return this.counts[i] as number;
  }

  /** The value in occupied slot i. */
  valueAt(i: number): number {
    words[LO] = this.lo[i] as number;
    words[HI] = this.hi[i] as number;
    return bits[0] as number;
  }

  /** Empties the counter, keeping its capacity. */
  clear(): void {
    this.counts.fill(0);
    this.used = 0;
  }

  private grow(): void {
    const oldLo = this.lo;
    const oldHi = this.hi;
    const oldCounts = this.counts;
    const cap = (this.mask + 1) * 2;
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    this.counts = new Float64Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < oldCounts.length; j++) {
      const c = oldCounts[j] as number;
      if (c === 0) continue;
      const lo = oldLo[j] as number;
      const hi = oldHi[j] as number;
      let i = mix(lo, hi) & this.mask;
      while (this.counts[i] !== 0) i = (i + 1) & this.mask;
      this.lo[i] = lo;
      this.hi[i] = hi;
      this.counts[i] = c;
    }
  }
}
