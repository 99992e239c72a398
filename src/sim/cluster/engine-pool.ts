import type { EngineArgs } from "../engine/engine-args.js";
import { type EngineRole, EngineWorker } from "../engine/engine-worker.js";
import { PassResult } from "../engine/pass-result.js";
import type { PassTimeModel } from "../engine/pass-time-model.js";
import type { RequestTable } from "../request-table.js";
import type { ClusterEngine, EngineFactory, EngineSpec } from "./cluster-engine.js";

/** The production engine: the fast EngineWorker. */
export const createFastEngine: EngineFactory = (spec: EngineSpec): ClusterEngine =>
  new EngineWorker({
    id: spec.id,
    role: spec.role,
    args: spec.args,
    passTime: spec.passTime,
    requests: spec.requests,
    checkInvariants: spec.checkInvariants,
    computeFpm: spec.computeFpm,
  });

/**
 * The workers of one stage (the aggregated pool, or the prefill or decode pool of a disaggregated cluster).
 *
 *   slot = worker id (ids are monotonic and never reused, so id order = slot order)
 *   workers[id]  ClusterEngine (EngineWorker unless a test injects another) | null (null once deleted)
 *   state[id]    Active | Starting (startup delay pending) | Draining (marked for removal, finishing work)
 *   busy[id]     a pass is running; its PassResult waits in results[id] until the completion event
 *   parked[id]   the last pass made no progress at zero cost; skip until the worker is sent work
 *                (docs/design.md#liveness)
 *
 * Provisioned workers (starting, active or draining) are integrated over simulated time for GPU-hours.
 */
export const WorkerState = { Active: 0, Starting: 1, Draining: 2, Deleted: 3 } as const;
export type WorkerStateValue = (typeof WorkerState)[keyof typeof WorkerState];

export class EnginePool {
  readonly stageIndex: number;
  readonly role: EngineRole;
  readonly args: EngineArgs;
  private readonly passTime: PassTimeModel;
  private readonly requests: RequestTable;
  private readonly checkInvariants: boolean;
  private readonly computeFpm: boolean;
  private readonly createEngine: EngineFactory;
  private readonly workers: (ClusterEngine | null)[];
  private readonly results: (PassResult | null)[];
  private readonly state: WorkerStateValue[];
  private readonly busy: boolean[];
  private readonly parked: boolean[];
  private nextWorkerId: number;
  private provisioned: number;
  private integralWorkerMs: number;
  private integralSinceMs: number;

  constructor(
    stageIndex: number,
    role: EngineRole,
    args: EngineArgs,
    passTime: PassTimeModel,
    requests: RequestTable,
    checkInvariants: boolean,
    computeFpm: boolean,
    createEngine: EngineFactory = createFastEngine,
  ) {
    this.stageIndex = stageIndex;
    this.role = role;
    this.args = args;
    this.passTime = passTime;
    this.requests = requests;
    this.checkInvariants = checkInvariants;
    this.computeFpm = computeFpm;
    this.createEngine = createEngine;
    this.workers = [];
    this.results = [];
    this.state = [];
    this.busy = [];
    this.parked = [];
    this.nextWorkerId = 0;
    this.provisioned = 0;
    this.integralWorkerMs = 0;
    this.integralSinceMs = 0;
  }

  /** One past the highest id ever created; iterate 0..idLimit and skip `!exists(id)`. */
  get idLimit(): number {
    return this.nextWorkerId;
  }

  exists(id: number): boolean {
    return this.workers[id] !== null && this.workers[id] !== undefined;
  }

  worker(id: number): ClusterEngine {
    const w = this.workers[id];
    if (w === null || w === undefined) throw new Error(`stage ${this.stageIndex}: no worker ${id}`);
    return w;
  }

  result(id: number): PassResult {
    return this.results[id] as PassResult;
  }

  stateOf(id: number): WorkerStateValue {
    return this.state[id] ?? WorkerState.Deleted;
  }

  isBusy(id: number): boolean {
    return this.busy[id] === true;
  }

  setBusy(id: number, value: boolean): void {
    this.busy[id] = value;
  }

  isParked(id: number): boolean {
    return this.parked[id] === true;
  }

  setParked(id: number, value: boolean): void {
    this.parked[id] = value;
  }

  /** Creates a worker with the next id; it starts Active or Starting. */
  createWorker(nowMs: number, starting: boolean): number {
    const id = this.nextWorkerId++;
    this.accrue(nowMs);
    this.workers[id] = this.createEngine({
      id,
      stageIndex: this.stageIndex,
      role: this.role,
      args: this.args,
      passTime: this.passTime,
      requests: this.requests,
      checkInvariants: this.checkInvariants,
      computeFpm: this.computeFpm,
    });
    this.results[id] = new PassResult();
    this.state[id] = starting ? WorkerState.Starting : WorkerState.Active;
    this.busy[id] = false;
    this.parked[id] = false;
    this.provisioned++;
    return id;
  }

  setState(id: number, state: WorkerStateValue): void {
    this.state[id] = state;
  }

  /** Deletes a worker outright (a cancelled startup, or a drained worker marked for removal). */
  deleteWorker(id: number, nowMs: number): void {
    this.accrue(nowMs);
    this.workers[id] = null;
    this.results[id] = null;
    this.state[id] = WorkerState.Deleted;
    this.provisioned--;
  }

  countIn(state: WorkerStateValue): number {
    let n = 0;
    for (let id = 0; id < this.nextWorkerId; id++) if (this.state[id] === state) n++;
    return n;
  }

  /** Active plus starting: the count a scaling target is compared with (docs/design.md#scaling-a-pool). */
  get effectiveCount(): number {
    return this.countIn(WorkerState.Active) + this.countIn(WorkerState.Starting);
  }

  get provisionedCount(): number {
    return this.provisioned;
  }

  /** Σ in-flight requests over live workers. */
  get inFlight(): number {
    let n = 0;
    for (let id = 0; id < this.nextWorkerId; id++) {
      const w = this.workers[id];
      if (w !== null && w !== undefined) n += w.inFlight;
    }
    return n;
  }

  /** Worker-milliseconds of every provisioned worker up to `nowMs` (starting, active and draining all count). */
  workerMs(nowMs: number): number {
    this.accrue(nowMs);
    return this.integralWorkerMs;
  }

  private accrue(nowMs: number): void {
    if (nowMs > this.integralSinceMs) {
      this.integralWorkerMs += this.provisioned * (nowMs - this.integralSinceMs);
      this.integralSinceMs = nowMs;
    }
  }
}
