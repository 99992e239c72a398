/**
 * Baseline routers (docs/design.md#baseline-routers): round robin and uniform random over the routable
 * workers, both admitting at once with overlap 0. They keep no per-request state; a request arriving while no
 * worker is routable is parked (FIFO) and admitted when one joins.
 *
 *   routing set: ids[0..count) ascending     parked: ring buffer parked[(head + i) mod capacity], i < parkedCount
 */

import type { Prng } from "../../../native-free-kernels/prng.js";
import { requireFields } from "../../util/options.js";
import type { RequestTable } from "../request-table.js";
import { AdmissionBuffer } from "./admission-list.js";
import type { KvEventBatch } from "./kv-event-batch.js";
import type { Router } from "./router.js";

export interface BaselineRouterOptions {
  readonly blockSize: number;
  readonly requests: RequestTable;
}

abstract class BaselineRouter implements Router {
  readonly admissions: AdmissionBuffer;
  protected ids: Int32Array;
  protected count: number;
  private readonly requests: RequestTable;
  private readonly blockSize: number;
  private readonly everAdded: Set<number>;
  private parked: Int32Array;
  private parkedHead: number;
  private parkedCount: number;

  constructor(options: BaselineRouterOptions) {
    requireFields(options, ["blockSize", "requests"], new.target.name);
    this.admissions = new AdmissionBuffer(16);
    this.ids = new Int32Array(16);
    this.count = 0;
    this.requests = options.requests;
    this.blockSize = options.blockSize;
    this.everAdded = new Set<number>();
    this.parked = new Int32Array(16);
    this.parkedHead = 0;
    this.parkedCount = 0;
  }

  get pendingCount(): number {
    return this.parkedCount;
  }

  /** Routable worker ids, ascending. */
  routingWorkers(): number[] {
    return Array.from(this.ids.subarray(0, this.count));
  }

  addWorker(workerId: number, _nowMs: number): void {
    if (!(workerId >= 0) || (workerId | 0) !== workerId)
      throw new RangeError(`worker id must be an integer ≥ 0, got ${workerId}`);
    if (this.everAdded.has(workerId)) throw new Error(`router worker ${workerId} already exists`);
    this.everAdded.add(workerId);
    if (this.count === this.ids.length) {
      const ids = new Int32Array(this.count * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    let i = this.count++;
    while (i > 0 && (this.ids[i - 1] as number) > workerId) {
      this.ids[i] = this.ids[i - 1] as number;
      i--;
    }
    this.ids[i] = workerId;
    while (this.parkedCount > 0) {
      const r = this.parked[this.parkedHead] as number;
      this.parkedHead = (this.parkedHead + 1) % this.parked.length;
      this.parkedCount--;
      this.admit(r);
    }
  }

  removeWorker(workerId: number, _nowMs: number): void {
    let i = 0;
    while (i < this.count && this.ids[i] !== workerId) i++;
    if (i === this.count) throw new Error(`router worker ${workerId} is not in the routing set`);
    this.count--;
    for (; i < this.count; i++) this.ids[i] = this.ids[i + 1] as number;
  }

  onRequestArrival(requestId: number, _nowMs: number): void {
    if (this.count > 0) this.admit(requestId);
    else this.park(requestId);
  }

  onPrefillCompleted(_requestId: number, _nowMs: number): void {}

  onRequestCompleted(_requestId: number, _nowMs: number): void {}

  applyKvEvents(_workerId: number, _events: KvEventBatch): void {}

  indexedBlocks(_workerId: number): number[] {
    return [];
  }

  /** Index into ids[0..count) (count ≥ 1) of the worker for the next request. */
  protected abstract pickIndex(): number;

  private admit(r: number): void {
    const w = this.ids[this.pickIndex()] as number;
    this.admissions.push(r, w, 0, Math.ceil((this.requests.islTokens[r] as number) / this.blockSize));
  }

  private park(r: number): void {
    if (this.parkedCount === this.parked.length) {
      const next = new Int32Array(this.parked.length * 2);
      for (let i = 0; i < this.parkedCount; i++)
        next[i] = this.parked[(this.parkedHead + i) % this.parked.length] as number;
      this.parked = next;
      this.parkedHead = 0;
    }
    this.parked[(this.parkedHead + this.parkedCount) % this.parked.length] = r;
    this.parkedCount++;
  }
}

/**
 * Round robin (docs/design.md#baseline-routers): worker = ids[counter mod n] (ids ascending), then
 * counter = that index + 1.
 */
export class RoundRobinRouter extends BaselineRouter {
  private counter: number;

  constructor(options: BaselineRouterOptions) {
    super(options);
    this.counter = 0;
  }

  protected pickIndex(): number {
    const index = this.counter % this.count;
    this.counter = index + 1;
    return index;
  }
}

/** Uniform over the routable workers (ids ascending), one rng.nextBelow(n) per admission. */
export class RandomRouter extends BaselineRouter {
  private readonly rng: Prng;

  constructor(options: BaselineRouterOptions & { readonly rng: Prng }) {
    requireFields(options, ["rng"], "RandomRouter");
    super(options);
    this.rng = options.rng;
  }

  protected pickIndex(): number {
    return this.rng.nextBelow(this.count);
  }
}
