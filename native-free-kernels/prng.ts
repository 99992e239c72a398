/**
 * Seeded pseudo-random numbers: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c)
 * in 32-bit integer arithmetic (Math.imul, >>> 0; no BigInt).
 *
 *   state  Int32Array[4]   | s0 | s1 | s2 | s3 |   (the reference's uint32_t s[4], held as signed int32 bits)
 *
 *   next:  out = rotl(s1 · 5, 7) · 9;  t = s1 << 9;
 *          s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
 *
 * Seeding is splitmix-style: the seed's 64 IEEE-754 bits split into two 32-bit lanes, each lane advanced by a
 * Weyl increment per state word and passed through a 32-bit finaliser, the two results xor-ed.
 * fork(streamId) derives a child state by chaining the same finaliser through the parent's four words and the
 * stream id's lanes; it does not advance the parent, so adding a fork never perturbs the parent's stream.
 *
 * Invariants: the state is never all zero (the one fixed point of xoshiro); period 2^128 − 1.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;
const GOLDEN_LO = 0x9e3779b9 | 0; // splitmix64's Weyl constant 0x9e3779b97f4a7c15, split in two lanes
const GOLDEN_HI = 0x7f4a7c15 | 0;

const bitsScratch = new Float64Array(1);
const bitsWords = new Uint32Array(bitsScratch.buffer);
bitsScratch[0] = 1; // 1.0 = 0x3ff00000_00000000: find which word holds the high half on this platform
const HI_WORD = bitsWords[1] === 0x3ff00000 ? 1 : 0;
const LO_WORD = 1 - HI_WORD;

/** MurmurHash3's fmix32: a bijection on 32-bit words with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** A second, independent 32-bit finaliser (constants of the "lowbias32" hash by C. Wellons). */
function lowbias32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h | 0;
}

function checkedBits(x: number, what: string): void {
  if (!Number.isFinite(x)) throw new RangeError(`${what} must be a finite number, got ${x}`);
  bitsScratch[0] = x === 0 ? 0 : x; // -0 and 0 are the same seed
}

export class Prng {
  private readonly s: Int32Array;

  constructor(seed: number) {
    this.s = new Int32Array(4);
    checkedBits(seed, "seed");
    let lo = bitsWords[LO_WORD] as number;
    let hi = bitsWords[HI_WORD] as number;
    for (let i = 0; i < 4; i++) {
      lo = (lo + GOLDEN_LO) | 0;
      hi = (hi + GOLDEN_HI) | 0;
      this.s[i] = fmix32(lo) ^ lowbias32(hi);
    }
    this.avoidZeroState();
  }

  /** A generator with exactly this xoshiro128** state (words as unsigned or signed 32-bit integers). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Prng {
    const p = new Prng(0);
    p.setState(s0, s1, s2, s3);
    return p;
  }

  /** Overwrites the state (an all-zero state is replaced by s0 = 1, the generator's one forbidden point). */
  setState(s0: number, s1: number, s2: number, s3: number): void {
    this.s[0] = s0 | 0;
    this.s[1] = s1 | 0;
    this.s[2] = s2 | 0;
    this.s[3] = s3 | 0;
    this.avoidZeroState();
  }

  /** The four state words as unsigned 32-bit integers (for checkpoints and tests). */
  getState(): [number, number, number, number] {
    const s = this.s;
    return [(s[0] as number) >>> 0, (s[1] as number) >>> 0, (s[2] as number) >>> 0, (s[3] as number) >>> 0];
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const s2 = (s[2] as number) ^ s0;
    const s3 = (s[3] as number) ^ s1;
    const x = Math.imul(s1, 5);
    const out = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return out;
  }

  /** Uniform in [0, 1) with 53 random bits: (27 high bits of one draw · 2^26 + 26 of the next) / 2^53. */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) * TWO_POW_MINUS_53;
  }

  /**
   * Unbiased integer in [0, n) for an integer 1 ≤ n ≤ 2^32, by rejection: draws at or above the largest
   * multiple of n below 2^32 are redrawn, so every residue has exactly floor(2^32 / n) preimages.
   */
  nextBelow(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || Math.floor(n) !== n) {
      throw new RangeError(`nextBelow(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % n;
  }

  /**
   * An independent, deterministic sub-stream: the same parent state and stream id give the same child; distinct
   * ids (by their IEEE-754 bits) give distinct child states. The parent's state is not advanced.
   */
  fork(streamId: number): Prng {
    checkedBits(streamId, "streamId");
    const idLo = bitsWords[LO_WORD] as number;
    const idHi = bitsWords[HI_WORD] as number;
    const s = this.s;
    const x = fmix32(idLo ^ GOLDEN_LO);
    const y = lowbias32(idHi ^ GOLDEN_HI ^ x);
    const c0 = fmix32((s[0] as number) ^ x);
    const c1 = fmix32((s[1] as number) ^ y ^ lowbias32(c0));
    const c2 = fmix32((s[2] as number) ^ lowbias32(c1 ^ x));
    const c3 = fmix32((s[3] as number) ^ lowbias32(c2 ^ y));
    const child = new Prng(0);
    child.setState(c0, c1, c2, c3);
    return child;
  }

  private avoidZeroState(): void {
    const s = this.s;
    if (((s[0] as number) | (s[1] as number) | (s[2] as number) | (s[3] as number)) === 0) s[0] = 1;
  }
}
