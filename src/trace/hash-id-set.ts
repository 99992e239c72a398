/**
 * A set of hash ids (non-negative integers < 2^53 held in doubles), open addressing with linear probing.
 *
 *   keys: Float64Array[capacity]   EMPTY (-1) or a member; capacity a power of two, load kept <= 1/2
 *
 * JavaScript's Set tops out near 2^24 members; a large trace has more distinct hash ids than that, so the
 * stats pass uses this instead. Invariant: every member sits in the probe run that starts at its home slot.
 */

const EMPTY = -1;
const TWO_POW_32 = 2 ** 32;

export class HashIdSet {
  size: number;
  private keys: Float64Array;
  private mask: number;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.size = 0;
  }

  has(id: number): boolean {
    const keys = this.keys;
    const mask = this.mask;
    let slot = home(id) & mask;
    for (;;) {
      const k = keys[slot] as number;
      if (k === id) return true;
      if (k === EMPTY) return false;
      slot = (slot + 1) & mask;
    }
  }

  /** Adds `id`; returns true when it was new. */
  add(id: number): boolean {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    let slot = home(id) & mask;
    for (;;) {
      const k = keys[slot] as number;
      if (k === id) return false;
      if (k === EMPTY) {
        keys[slot] = id;
        this.size++;
        return true;
      }
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Float64Array(old.length * 2).fill(EMPTY);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i++) {
      const k = old[i] as number;
      if (k !== EMPTY) this.add(k);
    }
  }
}

/** Mixes both 32-bit halves of the id (murmur3 finaliser), so dense and sparse ids spread alike. */
function home(id: number): number {
  const lo = id >>> 0;
  const hi = (id / TWO_POW_32) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
