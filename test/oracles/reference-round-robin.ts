import type { RequestTable } from "../../src/sim/request-table.js";
import { AdmissionBuffer } from "../../src/sim/router/admission-list.js";
import type { KvEventBatch } from "../../src/sim/router/kv-event-batch.js";
import type { Router } from "../../src/sim/router/router.js";

/**
 * Round robin written from docs/design.md#baseline-routers with plain arrays, as the oracle for
 * RoundRobinRouter in cluster-level tests: the routable workers sorted by id, worker = sorted[counter mod n],
 * then counter = that index + 1; requests arriving while no worker is routable wait in FIFO order and go out,
 * in order, when one joins.
 */
export class ReferenceRoundRobinRouter implements Router {
  readonly admissions = new AdmissionBuffer(4);
  private readonly blockSize: number;
  private readonly requests: RequestTable;
  private routing: number[] = [];
  private readonly seen = new Set<number>();
  private readonly parked: number[] = [];
  private counter = 0;

  constructor(options: { readonly blockSize: number; readonly requests: RequestTable }) {
    this.blockSize = options.blockSize;
    this.requests = options.requests;
  }

  get pendingCount(): number {
    return this.parked.length;
  }

  addWorker(workerId: number, _nowMs: number): void {
    if (this.seen.has(workerId)) throw new Error(`worker ${workerId} already exists`);
    this.seen.add(workerId);
    this.routing = [...this.routing, workerId].sort((a, b) => a - b);
    while (this.parked.length > 0) this.admit(this.parked.shift() as number);
  }

  removeWorker(workerId: number, _nowMs: number): void {
    if (!this.routing.includes(workerId)) throw new Error(`worker ${workerId} is not routable`);
    this.routing = this.routing.filter((w) => w !== workerId);
  }

  onRequestArrival(requestId: number, _nowMs: number): void {
    if (this.routing.length === 0) this.parked.push(requestId);
    else this.admit(requestId);
  }

  onPrefillCompleted(_requestId: number, _nowMs: number): void {}

  onRequestCompleted(_requestId: number, _nowMs: number): void {}

  applyKvEvents(_workerId: number, _events: KvEventBatch): void {}

  indexedBlocks(_workerId: number): number[] {
    return [];
  }

  private admit(requestId: number): void {
    const index = this.counter % this.routing.length;
    this.counter = index + 1;
    const isl = this.requests.islTokens[requestId] as number;
    this.admissions.push(requestId, this.routing[index] as number, 0, Math.ceil(isl / this.blockSize));
  }
}
