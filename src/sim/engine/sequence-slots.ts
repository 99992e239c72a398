/**
 * Per-request sequence state of one engine (docs/design.md#sequences), as columns indexed by slot. A slot is
 * taken when a request is enqueued and returned when it completes, so the columns grow only with the peak
 * number of requests in the engine, never with the trace.
 *
 *   slot s   requestId Int32   isl Uint32   maxOut Uint32   generated Uint32   computed Float64 (tokens)
 *            held Int32 (blocks keys[0 .. held) referenced in the pool)    status Uint8   preemptions Uint32
 *            entry Int32 (scheduled-work entry of the current pass, −1 outside)
 *            keys[s]: Float64Array, the identity of every block of the sequence, capacity ceil((isl+maxOut)/bs)
 *            poolSlots[s]: Int32Array, beside keys[s]: the KV pool slot of each held block (so a release needs no
 *            hash lookup; a held block is never evicted, so its slot is stable while held)
 *
 *            onboarding (docs/design.md#kv-tiers; all 0 unless lower tiers are on): readyAtMs Float64 (when the
 *            request's host/disk blocks land in the GPU; 0 = no onboarding), onboardedTokens Float64 (its prefix
 *            hit from every tier, counted as computed from the moment onboarding starts), hostTokens, diskTokens
 *            Float64 (the parts of that hit onboarded from G2 / G3), onboardMs Float64 (link wait + transfer)
 *
 *   len = isl + generated;  blocks = ceil(len / blockSize);  keys[0 .. blocks) are defined.
 *
 * Invariants: a FREE slot is on the free stack; held ≤ blocks; held·bs ≥ computed; a waiting slot holds
 * blocks only after a short allocation that found no victim (docs/design.md#engine-pass), and then
 * computed > 0.
 * Block j < floor(isl/bs) is the prompt's full block j; the last block may be partial (key ≤ PARTIAL_KEY_BASE).
 */
export const SlotStatus = { Free: 0, Waiting: 1, Running: 2, Preempted: 3 } as const;

export class SequenceSlots {
  requestId: Int32Array;
  isl: Uint32Array;
  maxOut: Uint32Array;
  generated: Uint32Array;
  computed: Float64Array;
  held: Int32Array;
  status: Uint8Array;
  preemptions: Uint32Array;
  entry: Int32Array;
  readyAtMs: Float64Array;
  onboardedTokens: Float64Array;
  hostTokens: Float64Array;
  diskTokens: Float64Array;
  onboardMs: Float64Array;
  keys: Float64Array[];
  poolSlots: Int32Array[];
  private freeStack: Int32Array;
  private freeCount: number;

  constructor(initialCapacity = 64) {
    const cap = Math.max(1, initialCapacity);
    this.requestId = new Int32Array(cap);
    this.isl = new Uint32Array(cap);
    this.maxOut = new Uint32Array(cap);
    this.generated = new Uint32Array(cap);
    this.computed = new Float64Array(cap);
    this.held = new Int32Array(cap);
    this.status = new Uint8Array(cap);
    this.preemptions = new Uint32Array(cap);
    this.entry = new Int32Array(cap).fill(-1);
    this.readyAtMs = new Float64Array(cap);
    this.onboardedTokens = new Float64Array(cap);
    this.hostTokens = new Float64Array(cap);
    this.diskTokens = new Float64Array(cap);
    this.onboardMs = new Float64Array(cap);
    this.keys = [];
    this.poolSlots = [];
    for (let s = 0; s < cap; s++) {
      this.keys.push(EMPTY_KEYS);
      this.poolSlots.push(EMPTY_SLOTS);
    }
    this.freeStack = new Int32Array(cap);
    for (let s = 0; s < cap; s++) this.freeStack[s] = cap - 1 - s;
    this.freeCount = cap;
  }

  get capacity(): number {
    return this.status.length;
  }

  /** Takes a free slot (growing the columns ×2 when none is left) with room for `blocks` block keys. */
  take(blocks: number): number {
    if (this.freeCount === 0) this.grow();
    const s = this.freeStack[--this.freeCount] as number;
    if ((this.keys[s] as Float64Array).length < blocks) {
      const room = Math.max(blocks, 2 * (this.keys[s] as Float64Array).length);
      this.keys[s] = new Float64Array(room);
      this.poolSlots[s] = new Int32Array(room);
    }
    this.generated[s] = 0;
    this.computed[s] = 0;
    this.held[s] = 0;
    this.preemptions[s] = 0;
    this.entry[s] = -1;
    this.clearOnboarding(s);
    return s;
  }

  /** Forgets slot s's onboarding (a fresh request, or a preempted one that must look again). */
  clearOnboarding(s: number): void {
    this.readyAtMs[s] = 0;
    this.onboardedTokens[s] = 0;
    this.hostTokens[s] = 0;
    this.diskTokens[s] = 0;
    this.onboardMs[s] = 0;
  }

  /** Returns a slot to the free stack (its key array is kept for the next request). */
  release(s: number): void {
    this.status[s] = SlotStatus.Free;
    this.freeStack[this.freeCount++] = s;
  }

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    this.requestId = grownInt32(this.requestId, cap);
    this.isl = grownUint32(this.isl, cap);
    this.maxOut = grownUint32(this.maxOut, cap);
    this.generated = grownUint32(this.generated, cap);
    const computed = new Float64Array(cap);
    computed.set(this.computed);
    this.computed = computed;
    this.held = grownInt32(this.held, cap);
    const status = new Uint8Array(cap);
    status.set(this.status);
    this.status = status;
    this.preemptions = grownUint32(this.preemptions, cap);
    const entry = new Int32Array(cap).fill(-1);
    entry.set(this.entry);
    this.entry = entry;
    this.readyAtMs = grownFloat64(this.readyAtMs, cap);
    this.onboardedTokens = grownFloat64(this.onboardedTokens, cap);
    this.hostTokens = grownFloat64(this.hostTokens, cap);
    this.diskTokens = grownFloat64(this.diskTokens, cap);
    this.onboardMs = grownFloat64(this.onboardMs, cap);
    for (let s = old; s < cap; s++) {
      this.keys.push(EMPTY_KEYS);
      this.poolSlots.push(EMPTY_SLOTS);
    }
    const stack = new Int32Array(cap);
    stack.set(this.freeStack.subarray(0, this.freeCount));
    for (let s = cap - 1; s >= old; s--) stack[this.freeCount++] = s;
    this.freeStack = stack;
  }
}

const EMPTY_KEYS = new Float64Array(0);
const EMPTY_SLOTS = new Int32Array(0);

function grownInt32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

function grownFloat64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

function grownUint32(a: Uint32Array, cap: number): Uint32Array {
  const b = new Uint32Array(cap);
  b.set(a);
  return b;
}

/** The waiting queue: a ring buffer of slots with push at both ends and removal near the front. */
export class SlotDeque {
  private buf: Int32Array;
  private head: number;
  size: number;

  constructor(initialCapacity = 64) {
    this.buf = new Int32Array(Math.max(2, initialCapacity));
    this.head = 0;
    this.size = 0;
  }

  /** The i-th slot from the front. */
  at(i: number): number {
    return this.buf[(this.head + i) % this.buf.length] as number;
  }

  pushBack(slot: number): void {
    if (this.size === this.buf.length) this.grow();
    this.buf[(this.head + this.size) % this.buf.length] = slot;
    this.size++;
  }

  pushFront(slot: number): void {
    if (this.size === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = slot;
    this.size++;
  }

  /** Removes the first occurrence of `slot`, scanning from the front (it sits within the first few). */
  remove(slot: number): void {
    const cap = this.buf.length;
    let i = 0;
    while (i < this.size && this.buf[(this.head + i) % cap] !== slot) i++;
    if (i === this.size) throw new Error(`slot ${slot} is not waiting`);
    for (let k = i; k > 0; k--)
      this.buf[(this.head + k) % cap] = this.buf[(this.head + k - 1) % cap] as number;
    this.head = (this.head + 1) % cap;
    this.size--;
  }

  private grow(): void {
    const cap = this.buf.length;
    const next = new Int32Array(cap * 2);
    for (let i = 0; i < this.size; i++) next[i] = this.buf[(this.head + i) % cap] as number;
    this.buf = next;
    this.head = 0;
  }
}

/** The running list, in admission order, with removal anywhere (shifting; n ≤ max_num_seqs). */
export class SlotList {
  items: Int32Array;
  count: number;

  constructor(initialCapacity = 64) {
    this.items = new Int32Array(Math.max(1, initialCapacity));
    this.count = 0;
  }

  push(slot: number): void {
    if (this.count === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.count++] = slot;
  }

  removeAt(i: number): void {
    this.items.copyWithin(i, i + 1, this.count);
    this.count--;
  }

  indexOf(slot: number): number {
    const items = this.items;
    for (let i = 0; i < this.count; i++) if (items[i] === slot) return i;
    return -1;
  }
}
