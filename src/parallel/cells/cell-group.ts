import { type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import type { ForwardPassMetrics } from "../../planner/types.js";
import type { PlannerSimulation } from "../../replay/planner-simulation.js";
import { EMPTY_BACKLOG, type StageBacklog, sumBacklogs } from "../../signals/backlog.js";
import { TrafficAccumulator, type TrafficStats } from "../../signals/traffic-accumulator.js";
import {
  type AdvanceResult,
  STAGE_COUNT_FIELDS,
  type StageCounts,
  type WorkerKvUsage,
} from "../../sim/cluster/cluster-simulation.js";
import { RequestCollector } from "../../sim/collector.js";
import { InputError } from "../../util/errors.js";
import { decodeShardResult } from "../schema/shard-result-file.js";
import { globaliseWorkerIds, globalWorkerId } from "./cell-ids.js";
import { spreadCount } from "./cell-plan.js";
import { type DecodedView, decodeView } from "./cell-view.js";
import {
  ABORT_SLOT,
  type CellCommand,
  CellCommandTag,
  type CellReply,
  CellReplyTag,
  type FailedReply,
  replySlot,
} from "./protocol.js";

/**
 * K cells seen as one cluster: implements PlannerSimulation, so the unchanged planner adapter (PlannerReplay)
 * drives a sharded replay. Runs on the coordinator thread and blocks (Atomics.wait) while the hosts work.
 *
 * Every call that changes a cell is one round trip to every host (a barrier: all cells reach the same state
 * before the call returns); replies are merged in cell order, so the result is the same whatever thread hosts
 * which cell. Merges: advanceTo → last event = max, done = all; drainTraffic → TrafficAccumulator sums added in
 * cell order, drained at the group's clock; counts, workerHours → sums; takeFpmSnapshots → concatenation in
 * cell order, global worker ids (cell-ids.ts), counter ids renumbered in take order; kvUsage → every cell's
 * workers, lowest global id first; applyScaling → targets spread floor + remainder (cell-plan.ts); collector →
 * the cells' collectors merged into request-id space by finish(). With K = 1 each of these is the cell's own
 * value, bit for bit.
 */

/** A cell failed or the job was aborted while the coordinator waited. */
export class CellCommandError extends Error {
  readonly failure: FailedReply | null;
  constructor(failure: FailedReply | null, message: string) {
    super(message);
    this.name = "CellCommandError";
    this.failure = failure;
  }
}

/** How long one Atomics.wait lasts before the abort flag is checked again (a notify ends it at once). */
const WAIT_SLICE_MS = 250;

export class CellGroup implements PlannerSimulation {
  readonly cellCount: number;
  private readonly ports: readonly MessagePort[];
  private readonly control: Int32Array;
  private readonly cellsOfHost: readonly (readonly number[])[];
  private readonly requestCount: number;
  private readonly replies: Int32Array;
  private readonly cellViews: DecodedView[];
  private readonly pendingFpm: ForwardPassMetrics[][];
  private merged: RequestCollector | null;
  private finishedHours: Float64Array[] | null;

  constructor(
    ports: readonly MessagePort[],
    control: Int32Array,
    cellsOfHost: readonly (readonly number[])[],
    cellCount: number,
    requestCount: number,
  ) {
    this.ports = ports;
    this.control = control;
    this.cellsOfHost = cellsOfHost;
    this.cellCount = cellCount;
    this.requestCount = requestCount;
    this.replies = new Int32Array(ports.length);
    this.cellViews = [];
    this.pendingFpm = [[], []];
    this.merged = null;
    this.finishedHours = null;
    this.busyMs = [];
    this.receiveViews(this.roundTrip(() => ({ tag: CellCommandTag.Snapshot })));
  }

  get now(): number {
    let now = 0;
    for (const v of this.cellViews) if (v.nowMs > now) now = v.nowMs;
    return now;
  }

  /** Time of the next event of any cell; +Infinity when an unfinished cell has none left (it is stalled). */
  get nextEventMs(): number {
    let next = Number.POSITIVE_INFINITY;
    let anyUnfinished = false;
    for (const v of this.cellViews) {
      if (v.isDone) continue;
      anyUnfinished = true;
      if (v.nextEventMs === Number.POSITIVE_INFINITY) return v.nextEventMs;
      if (v.nextEventMs < next) next = v.nextEventMs;
    }
    if (anyUnfinished) return next;
    for (const v of this.cellViews) if (v.nextEventMs < next) next = v.nextEventMs;
    return next;
  }

  get completed(): number {
    let n = 0;
    for (const v of this.cellViews) n += v.completed;
    return n;
  }

  /** Per cell: host time its advances took, ms (filled by finish()). Not deterministic. */
  readonly busyMs: number[];

  /** Per cell: time of its last simulated event, ms. */
  get cellEndMs(): number[] {
    return this.cellViews.map((v) => v.lastEventMs);
  }

  /**
   * The merged collector. The first read collects every cell's results (finish()), so read it once the run is
   * over — as the planner adapter and runReplay do; the group takes no further commands after that.
   */
  get collector(): RequestCollector {
    return this.merged ?? this.finish();
  }

  advanceTo(untilMs: number): AdvanceResult {
    this.receiveViews(this.roundTrip(() => ({ tag: CellCommandTag.Advance, untilMs })));
    let lastEventMs = 0;
    let isDone = true;
    for (const v of this.cellViews) {
      if (v.lastEventMs > lastEventMs) lastEventMs = v.lastEventMs;
      if (!v.isDone) isDone = false;
    }
    return { lastEventMs, isDone };
  }

  drainTraffic(): TrafficStats {
    const byHost = this.roundTrip(() => ({ tag: CellCommandTag.DrainTraffic }));
    const sums = this.perCell(byHost, (reply) => (reply.tag === CellReplyTag.Traffic ? reply.traffic : null));
    const merged = TrafficAccumulator.fromFloat64Array(sums[0] as Float64Array);
    for (let k = 1; k < this.cellCount; k++)
      merged.mergeFrom(TrafficAccumulator.fromFloat64Array(sums[k] as Float64Array));
    return merged.drain(this.now);
  }

  applyScaling(targetPrefill: number, targetDecode: number): void {
    const disagg = (this.cellViews[0]?.counts.length ?? 1) > 1;
    if (targetDecode < this.cellCount) this.tooFewWorkers(disagg ? "decode" : "agg", targetDecode);
    if (disagg && targetPrefill < this.cellCount) this.tooFewWorkers("prefill", targetPrefill);
    const prefill = spreadCount(Math.max(0, targetPrefill), this.cellCount);
    const decode = spreadCount(Math.max(0, targetDecode), this.cellCount);
    this.receiveViews(
      this.roundTrip((host) => {
        const cells = this.cellsOfHost[host] as readonly number[];
        const targets = new Int32Array(2 * cells.length);
        cells.forEach((cell, i) => {
          targets[2 * i] = prefill[cell] as number;
          targets[2 * i + 1] = decode[cell] as number;
        });
        return { tag: CellCommandTag.ApplyScaling, targets };
      }),
    );
  }

  private tooFewWorkers(pool: string, target: number): never {
    throw new InputError(
      `planner config: field "min_endpoint": the planner scaled the ${pool} pool to ${target} worker(s), fewer than ` +
        `the ${this.cellCount} cells (each cell needs one); set min_endpoint >= ${this.cellCount}`,
    );
  }

  /** Every count summed over the cells, in cell order. */
  counts(stageIndex: number): StageCounts {
    const sum: Record<string, number> = {};
    for (const field of STAGE_COUNT_FIELDS) {
      let total = 0;
      for (const v of this.cellViews) total += (v.counts[stageIndex] as StageCounts)[field];
      sum[field] = total;
    }
    return sum as StageCounts;
  }

  /** Σ of the cells' backlogs (each cell's own router and engines). */
  backlog(stageIndex: number): StageBacklog {
    return sumBacklogs(this.cellViews.map((v) => v.backlog[stageIndex] ?? EMPTY_BACKLOG));
  }

  takeFpmSnapshots(stageIndex: number): ForwardPassMetrics[] {
    const out = this.pendingFpm[stageIndex] ?? [];
    this.pendingFpm[stageIndex] = [];
    return out;
  }

  /** Σ of the cells' worker-hours in cell order (a round trip, or the figures finish() collected). */
  workerHours(stageIndex: number): number {
    let perCell = this.finishedHours;
    if (perCell === null) {
      const byHost = this.roundTrip(() => ({ tag: CellCommandTag.WorkerHours }));
      perCell = this.perCell(byHost, (reply) => (reply.tag === CellReplyTag.Hours ? reply.hours : null));
    }
    let hours = 0;
    for (const h of perCell) hours += h[stageIndex] as number;
    return hours;
  }

  /** Reorders per-host reply arrays (host order) into cell order. */
  private perCell<T>(byHost: CellReply[], pick: (reply: CellReply) => readonly T[] | null): T[] {
    const out: T[] = new Array(this.cellCount);
    byHost.forEach((reply, host) => {
      const items = pick(reply);
      if (items === null) throw new Error(`cell host ${host}: unexpected reply (tag ${reply.tag})`);
      (this.cellsOfHost[host] as readonly number[]).forEach((cell, i) => {
        out[cell] = items[i] as T;
      });
    });
    return out;
  }

  kvUsage(stageIndex: number): WorkerKvUsage[] {
    const out: WorkerKvUsage[] = [];
    this.cellViews.forEach((v, cell) => {
      for (const w of v.kv[stageIndex] ?? []) {
        out.push({ ...w, workerId: globalWorkerId(w.workerId, cell, this.cellCount) });
      }
    });
    if (this.cellCount > 1) out.sort((a, b) => a.workerId - b.workerId);
    return out;
  }

  /** Collects every cell's per-request results and merges them, in cell order, into request-id space. */
  finish(): RequestCollector {
    const byHost = this.roundTrip(() => ({ tag: CellCommandTag.Finish }));
    const bytes = this.perCell(byHost, (reply) =>
      reply.tag === CellReplyTag.Finished ? reply.results : null,
    );
    this.finishedHours = this.perCell(byHost, (reply) =>
      reply.tag === CellReplyTag.Finished ? reply.hours : null,
    );
    const merged = new RequestCollector(this.requestCount);
    for (let cell = 0; cell < this.cellCount; cell++) {
      const shard = decodeShardResult(bytes[cell] as Uint8Array, `cell ${cell} result`);
      this.busyMs[cell] = shard.wallTimeMs;
      const collector = RequestCollector.fromState(shard.collector);
      globaliseWorkerIds(collector.workerId, cell, this.cellCount);
      merged.mergeFrom(collector, shard.globalIds);
    }
    this.merged = merged;
    return merged;
  }

  private receiveViews(byHost: CellReply[]): void {
    const views = this.perCell(byHost, (reply) => (reply.tag === CellReplyTag.Views ? reply.views : null));
    // Cell order; within a cell, pass order (decodeView appends each cell's FPM snapshots to the pending lists).
    views.forEach((v, cell) => {
      this.cellViews[cell] = decodeView(v, cell, this.cellCount, this.pendingFpm);
    });
  }

  /** Sends each host its command, waits for every reply (the barrier) and fails on the first failed cell. */
  private roundTrip(commandFor: (host: number) => CellCommand): CellReply[] {
    if (this.merged !== null)
      throw new Error("CellGroup: the cells have finished (their collector was taken)");
    const hosts = this.ports.length;
    for (let t = 0; t < hosts; t++) {
      const command = commandFor(t);
      this.replies[t] = (this.replies[t] as number) + 1;
      const transfer =
        command.tag === CellCommandTag.ApplyScaling ? [command.targets.buffer as ArrayBuffer] : [];
      (this.ports[t] as MessagePort).postMessage(command, transfer);
    }
    const out: CellReply[] = [];
    for (let t = 0; t < hosts; t++) {
      this.waitFor(t);
      out.push(this.receive(t));
    }
    let firstFailure: FailedReply | null = null;
    for (const reply of out) {
      if (reply.tag === CellReplyTag.Failed && (firstFailure === null || reply.cell < firstFailure.cell))
        firstFailure = reply;
    }
    if (firstFailure !== null) throw new CellCommandError(firstFailure, firstFailure.message);
    return out;
  }

  private waitFor(host: number): void {
    const slot = replySlot(host);
    const expected = this.replies[host] as number;
    for (;;) {
      if (Atomics.load(this.control, ABORT_SLOT) !== 0)
        throw new CellCommandError(null, "sharded replay aborted");
      const seen = Atomics.load(this.control, slot);
      if (seen >= expected) return;
      Atomics.wait(this.control, slot, seen, WAIT_SLICE_MS);
    }
  }

  /** The host posts its reply before it bumps its counter, so the message is already queued here. */
  private receive(host: number): CellReply {
    const port = this.ports[host] as MessagePort;
    for (let tries = 0; tries < 1000; tries++) {
      const received = receiveMessageOnPort(port);
      if (received !== undefined) return received.message as CellReply;
      Atomics.wait(this.control, ABORT_SLOT, 0, 1);
      if (Atomics.load(this.control, ABORT_SLOT) !== 0)
        throw new CellCommandError(null, "sharded replay aborted");
    }
    throw new Error(`cell host ${host}: its reply counter moved but no reply arrived`);
  }
}
