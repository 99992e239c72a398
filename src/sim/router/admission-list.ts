/**
 * Admissions a router produced during one call, for the cluster loop to dispatch (then `clear()`).
 *
 *   index          0     1     2    ...  count−1
 *   requestId    | r0  | r1  | r2  | ... |         Int32Array  trace row
 *   workerId     | w0  | w1  | w2  | ... |         Int32Array  chosen worker
 *   overlapBlocks| o0  | o1  | o2  | ... |         Int32Array  prefix blocks the router believed cached there
 *   islBlocks    | b0  | b1  | b2  | ... |         Int32Array  ceil(isl / block size)
 *   hostBlocks   | h0  | h1  | h2  | ... |         Int32Array  blocks after the overlap it believed in the host tier
 *   diskBlocks   | d0  | d1  | d2  | ... |         Int32Array  … and in the disk tier (docs/design.md#kv-tiers)
 *
 * Columns grow ×2 when full (rare: one call admits at most the queued requests); rows are in admission order.
 */
export interface AdmissionList {
  count: number;
  requestId: Int32Array;
  workerId: Int32Array;
  overlapBlocks: Int32Array;
  islBlocks: Int32Array;
  hostBlocks: Int32Array;
  diskBlocks: Int32Array;
  clear(): void;
}

export class AdmissionBuffer implements AdmissionList {
  count: number;
  requestId: Int32Array;
  workerId: Int32Array;
  overlapBlocks: Int32Array;
  islBlocks: Int32Array;
  hostBlocks: Int32Array;
  diskBlocks: Int32Array;

  constructor(initialCapacity = 16) {
    const cap = Math.max(1, initialCapacity | 0);
    this.count = 0;
    this.requestId = new Int32Array(cap);
    this.workerId = new Int32Array(cap);
    this.overlapBlocks = new Int32Array(cap);
    this.islBlocks = new Int32Array(cap);
    this.hostBlocks = new Int32Array(cap);
    this.diskBlocks = new Int32Array(cap);
  }

  push(
    requestId: number,
    workerId: number,
    overlapBlocks: number,
    islBlocks: number,
    hostBlocks = 0,
    diskBlocks = 0,
  ): void {
    if (this.count === this.requestId.length) this.grow();
    const i = this.count++;
    this.requestId[i] = requestId;
    this.workerId[i] = workerId;
    this.overlapBlocks[i] = overlapBlocks;
    this.islBlocks[i] = islBlocks;
    this.hostBlocks[i] = hostBlocks;
    this.diskBlocks[i] = diskBlocks;
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const cap = this.requestId.length * 2;
    this.requestId = grown(this.requestId, cap);
    this.workerId = grown(this.workerId, cap);
    this.overlapBlocks = grown(this.overlapBlocks, cap);
    this.islBlocks = grown(this.islBlocks, cap);
    this.hostBlocks = grown(this.hostBlocks, cap);
    this.diskBlocks = grown(this.diskBlocks, cap);
  }
}

function grown(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}
