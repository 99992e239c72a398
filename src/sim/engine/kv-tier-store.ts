import { NumberIntTable } from "../../../native-free-kernels/table.js";

/**
 * The blocks of one engine's tiers below the GPU (host memory and local disk; docs/design.md#kv-tiers), in one
 * store: each tier is a bounded LRU list of full blocks with the parents they were published under, and one
 * table finds a block in either tier with a single probe (a block is in at most one). Moving a block down a tier
 * relinks its entry; only arriving and leaving touch the table.
 *
 *   entry e:   key[e], parent[e] (Float64; NaN parent = root), prev[e], next[e] (Int32 LRU links, −1 = none),
 *              level[e] (Uint8: 0 host, 1 disk)
 *   table:     key → entry
 *   level l:   head[l] = least recent, tail[l] = most recent, size[l] ≤ capacity[l]
 *   arrays grow ×2, so a huge tier costs memory only as it fills (~40 bytes per block held).
 *
 * Invariants: size[0] + size[1] = table.size; each list holds exactly the entries of its level; keys are unique.
 */
export const HOST_LEVEL = 0;
export const DISK_LEVEL = 1;
const NONE = -1;
const INITIAL_ENTRIES = 256;
/**
 * The table is sized up front for this many blocks (or the tiers' capacity, if smaller; 8 MB at 2^18): growing
 * it block by block rehashed every entry ~twice, 15 % of a tiered replay's CPU.
 */
const TABLE_RESERVE = 2 ** 18;

export class KvTierStore {
  readonly capacity: [number, number];
  readonly size: [number, number];
  private readonly head: [number, number];
  private readonly tail: [number, number];
  private key: Float64Array;
  private parent: Float64Array;
  private prev: Int32Array;
  private next: Int32Array;
  private level: Uint8Array;
  private readonly table: NumberIntTable;
  private used: number;
  private freeList: number;
  private readonly scratch: Float64Array;

  constructor(hostBlocks: number, diskBlocks: number) {
    for (const n of [hostBlocks, diskBlocks])
      if (!(n >= 0) || (n | 0) !== n) throw new RangeError(`tier capacity must be an integer ≥ 0, got ${n}`);
    this.capacity = [hostBlocks, diskBlocks];
    this.size = [0, 0];
    this.head = [NONE, NONE];
    this.tail = [NONE, NONE];
    const n = Math.max(1, Math.min(hostBlocks + diskBlocks, INITIAL_ENTRIES));
    this.key = new Float64Array(n);
    this.parent = new Float64Array(n);
    this.prev = new Int32Array(n);
    this.next = new Int32Array(n);
    this.level = new Uint8Array(n);
    this.table = new NumberIntTable(Math.min(hostBlocks + diskBlocks, TABLE_RESERVE));
    this.used = 0;
    this.freeList = NONE;
    this.scratch = new Float64Array(1);
  }

  /** The entry holding keys[at], −1 when in neither tier. */
  entryIn(keys: Float64Array, at: number): number {
    return this.table.getIn(keys, at);
  }

  levelOf(e: number): number {
    return this.level[e] as number;
  }

  keyOf(e: number): number {
    return this.key[e] as number;
  }

  parentOf(e: number): number {
    return this.parent[e] as number;
  }

  /** The least recent entry of a level, −1 when it is empty. */
  oldest(l: number): number {
    return this.head[l] as number;
  }

  /** Adds keys[at] (in neither tier) as the most recent entry of level l (which must have room). */
  insertIn(l: number, keys: Float64Array, at: number, parentKey: number): void {
    const e = this.takeEntry();
    this.key[e] = keys[at] as number;
    this.parent[e] = parentKey;
    this.table.setIn(keys, at, e);
    this.link(l, e);
  }

  /** Moves entry e to the most recent end of level l (which must have room). */
  moveTo(e: number, l: number): void {
    this.unlink(e);
    this.link(l, e);
  }

  /** Removes entry e from its tier and the table. */
  removeEntry(e: number): void {
    this.unlink(e);
    this.table.deleteIn(this.key, e);
    this.next[e] = this.freeList;
    this.freeList = e;
  }

  /** The keys of level l from least to most recent (tests and diagnostics). */
  keysInLruOrder(l: number): number[] {
    const out: number[] = [];
    for (let e = this.head[l] as number; e !== NONE; e = this.next[e] as number)
      out.push(this.key[e] as number);
    return out;
  }

  /** Whether level l holds `key`. */
  holds(l: number, key: number): boolean {
    this.scratch[0] = key;
    const e = this.table.getIn(this.scratch, 0);
    return e >= 0 && this.level[e] === l;
  }

  /** Checks the structure; returns a description of the first violation, or null. */
  checkInvariants(): string | null {
    let total = 0;
    for (let l = 0; l < 2; l++) {
      const size = this.size[l] as number;
      if (size > (this.capacity[l] as number))
        return `level ${l} holds ${size} blocks > capacity ${this.capacity[l]}`;
      let n = 0;
      let last = NONE;
      for (let e = this.head[l] as number; e !== NONE; e = this.next[e] as number) {
        if (this.prev[e] !== last) return `entry ${e} has a broken back link`;
        if (this.level[e] !== l) return `entry ${e} of level ${this.level[e]} is in level ${l}'s list`;
        if (this.table.getIn(this.key, e) !== e) return `entry ${e} is not indexed by its key`;
        last = e;
        if (++n > size) return `level ${l}'s list is longer than its size`;
      }
      if (last !== this.tail[l]) return `level ${l}'s tail is not its last entry`;
      if (n !== size) return `level ${l}'s list holds ${n} entries, size ${size}`;
      total += n;
    }
    if (this.table.size !== total) return `table holds ${this.table.size} keys, tiers ${total}`;
    return null;
  }

  private link(l: number, e: number): void {
    const t = this.tail[l] as number;
    this.level[e] = l;
    this.prev[e] = t;
    this.next[e] = NONE;
    if (t !== NONE) this.next[t] = e;
    else this.head[l] = e;
    this.tail[l] = e;
    this.size[l] = (this.size[l] as number) + 1;
  }

  private unlink(e: number): void {
    const l = this.level[e] as number;
    const p = this.prev[e] as number;
    const n = this.next[e] as number;
    if (p !== NONE) this.next[p] = n;
    else this.head[l] = n;
    if (n !== NONE) this.prev[n] = p;
    else this.tail[l] = p;
    this.size[l] = (this.size[l] as number) - 1;
  }

  private takeEntry(): number {
    if (this.freeList !== NONE) {
      const e = this.freeList;
      this.freeList = this.next[e] as number;
      return e;
    }
    if (this.used === this.key.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const cap = Math.min((this.capacity[0] as number) + (this.capacity[1] as number), this.key.length * 2);
    const key = new Float64Array(cap);
    key.set(this.key);
    this.key = key;
    const parent = new Float64Array(cap);
    parent.set(this.parent);
    this.parent = parent;
    const prev = new Int32Array(cap);
    prev.set(this.prev);
    this.prev = prev;
    const next = new Int32Array(cap);
    next.set(this.next);
    this.next = next;
    const level = new Uint8Array(cap);
    level.set(this.level);
    this.level = level;
  }
}
