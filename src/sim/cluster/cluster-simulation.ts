import { EventHeap } from "../../../native-free-kernels/heap.js";
import { Prng } from "../../../native-free-kernels/prng.js";
import { EMPTY_BACKLOG, type StageBacklog } from "../../signals/backlog.js";
import type { ForwardPassMetrics } from "../../signals/forward-pass-metrics.js";
import { engineRoleOf } from "../../signals/stages.js";
import { TrafficAccumulator, type TrafficStats } from "../../signals/traffic-accumulator.js";
import type { TraceColumns } from "../../trace/columns.js";
import { RequestCollector } from "../collector.js";
import { tierConfigOf } from "../engine/kv-tiers.js";
import { passTimeModelFromArgs } from "../engine/pass-time-arg.js";
import { RequestTable } from "../request-table.js";
import { routerPolicy } from "../router/router-policies.js";
import { WorkloadDriver } from "../workload/workload-driver.js";
import { BacklogTracker } from "./backlog-tracker.js";
import type { ClusterSeams } from "./cluster-engine.js";
import type { ClusterOptions } from "./cluster-options.js";
import { deadEndError } from "./dead-end.js";
import { createFastEngine, EnginePool, WorkerState } from "./engine-pool.js";
import { ClusterEvent, completionEventOf, wakeEventOf } from "./event-kind.js";
import { FpmBuffer } from "./fpm-buffer.js";
import { type ClusterOptionsInput, completeClusterOptions } from "./resolve-options.js";
import { createStageRouter } from "./router-factory.js";
import { checkRouterView } from "./router-view-check.js";
import { SilentPassRunner } from "./silent-passes.js";
import { SimulationSnapshot } from "./simulation-snapshot.js";
import type { Stage } from "./stage.js";
import { applyTargetCount, deleteIfDrained, offerPoolToRouter, type ScalingHost } from "./stage-scaling.js";

/**
 * Per-stage gauges the planner loop samples at every tick: today the live worker counts
 * (docs/design.md#planner-simulation: `active_*_count` / `total_*_count`). A sharded replay carries these fields between threads and sums them over
 * its cells (parallel/cells), so a new gauge is a name here and its value in counts().
 */
export const STAGE_COUNT_FIELDS = ["active", "starting", "draining"] as const;

export type StageCounts = { readonly [K in (typeof STAGE_COUNT_FIELDS)[number]]: number };

/** KV blocks held by one live worker (planner-in-the-loop reports sample these at every tick). */
export interface WorkerKvUsage {
  readonly workerId: number;
  readonly activeBlocks: number;
  readonly inactiveBlocks: number;
  readonly capacityBlocks: number;
}

export interface AdvanceResult {
  /** Time of the last simulated event at or before the target (may be earlier than the target). */
  readonly lastEventMs: number;
  readonly isDone: boolean;
}

const RELEASE_BATCH = 1024;

/**
 * A deterministic discrete-event replay of one cluster (docs/design.md#the-event-loop): a virtual clock, one
 * event heap ordered by (time, insertion), a workload driver releasing arrivals, one or two stages of routers
 * and engines.
 *
 * At each timestamp the loop repeats until nothing changes: due heap events in insertion order (pass
 * completions, workers becoming ready, decode handoffs), then arrivals, then idle workers with work start a pass
 * (lowest id first; a pass that ends at once completes at once). KV events apply to the router at pass start.
 *
 * Shortcut (silent-passes.ts): a worker whose next passes are silent decode steps runs them back to back when it
 * starts a pass, recording their tokens on the spot, up to the first moment anything could send it a request —
 * the same events in the same order as the pass-by-pass loop, with one heap round trip per run instead of per
 * pass. `seams` let tests run the loop on the slow reference engines and routers (reference-cluster.ts), and with
 * checkInvariants on the router's view of every worker is checked against its engine after each pass start.
 */
export class ClusterSimulation {
  readonly options: ClusterOptions;
  readonly trace: TraceColumns;
  readonly requests: RequestTable;
  readonly collector: RequestCollector;
  readonly traffic: TrafficAccumulator;
  readonly stages: readonly Stage[];
  private readonly workload: WorkloadDriver;
  private readonly heap: EventHeap;
  private readonly prefillMarked: Uint8Array;
  private readonly releaseIds: Int32Array;
  private readonly releaseArrivalMs: Float64Array;
  private nowMs: number;
  private lastEventMs: number;
  private releasedCount: number;
  private completedCount: number;
  private progressEvery: number;
  private progressCallback: ((completed: number) => void) | null;
  private readonly silent: SilentPassRunner;
  /** The first pool's engines have a host or disk KV tier: the traffic window records their figures. */
  private readonly firstPoolTiered: boolean;
  /** Target of the advanceTo in progress: no pass completes early past it. */
  private untilMs: number;

  /**
   * `options`: resolved ClusterOptions are used as given, partial ones are resolved (resolveClusterOptions against
   * the trace's block size). `seams` substitute engines, routers or the collector (tests, benchmarks); production
   * passes none.
   */
  constructor(trace: TraceColumns, input: ClusterOptionsInput, seams: ClusterSeams = {}) {
    const options = completeClusterOptions(input, trace.traceBlockSize);
    this.options = options;
    this.trace = trace;
    const blockSize =
      options.mode === "agg" ? options.engineArgs.block_size : options.prefillEngineArgs.block_size;
    this.requests = new RequestTable(trace, blockSize);
    this.collector = seams.createCollector?.(trace.count) ?? new RequestCollector(trace.count);
    this.traffic = new TrafficAccumulator(0);
    this.firstPoolTiered =
      tierConfigOf(options.mode === "agg" ? options.engineArgs : options.prefillEngineArgs) !== null;
    this.workload = new WorkloadDriver(trace, {
      arrivalSpeedupRatio: options.arrivalSpeedupRatio,
      concurrency: options.concurrency,
    });
    this.heap = new EventHeap(256);
    this.prefillMarked = new Uint8Array(trace.count);
    this.releaseIds = new Int32Array(RELEASE_BATCH);
    this.releaseArrivalMs = new Float64Array(RELEASE_BATCH);
    this.nowMs = 0;
    this.lastEventMs = 0;
    this.releasedCount = 0;
    this.completedCount = 0;
    this.progressEvery = 0;
    this.progressCallback = null;
    // Silent passes are run on the spot only where no completion can release a request (see silent-passes.ts).
    this.silent = new SilentPassRunner(
      options.concurrency === null && this.workload.sessionCount === trace.count,
    );
    this.untilMs = Number.POSITIVE_INFINITY;
    this.stages = this.buildStages(new Prng(options.seed), seams);
  }

  private buildStages(rng: Prng, seams: ClusterSeams): Stage[] {
    const o = this.options;
    const collectFpm = o.collectFpm;
    const make = (index: number, name: Stage["name"], count: number): Stage => {
      const args =
        name === "agg" ? o.engineArgs : name === "prefill" ? o.prefillEngineArgs : o.decodeEngineArgs;
      const role = engineRoleOf(name);
      const pool = new EnginePool(
        index,
        role,
        args,
        passTimeModelFromArgs(args),
        this.requests,
        o.checkInvariants,
        collectFpm,
        seams.createEngine ?? createFastEngine,
      );
      const router = (seams.createRouter ?? createStageRouter)(
        name,
        o,
        args,
        this.requests,
        rng.fork(index + 1),
      );
      const stage: Stage = {
        index,
        name,
        pool,
        router,
        visible: name !== "prefill",
        isPrefill: name === "prefill",
        feedsTrafficHitRate: index === 0 && routerPolicy(o.routerMode).usesPrefixIndex,
        appliesKvEvents: name !== "decode",
        mirrorsPools: o.mirrorPools ?? true,
        startupMs: (args.startup_time ?? 0) * 1000,
        fpm: collectFpm ? new FpmBuffer() : null,
        backlog: collectFpm ? new BacklogTracker(this.trace.count) : null,
      };
      for (let k = 0; k < count; k++) {
        const id = pool.createWorker(0, false);
        offerPoolToRouter(stage, id);
        router.addWorker(id, 0);
      }
      return stage;
    };
    if (o.mode === "agg") return [make(0, "agg", o.numWorkers)];
    return [make(0, "prefill", o.numPrefillWorkers), make(1, "decode", o.numDecodeWorkers)];
  }

  /**
   * An exact copy of the whole state (engines, routers, event heap, RNG streams, workload, collector, traffic
   * window): restoring it and running on gives byte-identical results to running this simulation on. The trace
   * and the options are shared, not copied. `recycle`: an older snapshot no longer needed (its memory is reused).
   */
  snapshot(recycle?: SimulationSnapshot<ClusterSimulation>): SimulationSnapshot<ClusterSimulation> {
    return SimulationSnapshot.of<ClusterSimulation>(this, [this.trace, this.options], recycle);
  }

  /**
   * A runnable simulation in the snapshot's state; restoring one snapshot twice gives two independent copies.
   * `recycle`: a simulation no longer needed whose memory the copy reuses (it must not be used afterwards). The
   * copy reports progress to no one (see onProgress).
   */
  static restore(
    snapshot: SimulationSnapshot<ClusterSimulation>,
    recycle?: ClusterSimulation,
  ): ClusterSimulation {
    const sim = snapshot.copy(recycle);
    sim.progressEvery = 0;
    sim.progressCallback = null;
    return sim;
  }

  /** Calls `callback(completedRequests)` after every `every` completions (progress bars). */
  onProgress(every: number, callback: (completed: number) => void): void {
    this.progressEvery = Math.max(1, every | 0);
    this.progressCallback = callback;
  }

  get now(): number {
    return this.nowMs;
  }

  get completed(): number {
    return this.completedCount;
  }

  get released(): number {
    return this.releasedCount;
  }

  /** Requests released and not yet completed (the closed-loop concurrency cap counts these). */
  get inFlight(): number {
    return this.releasedCount - this.completedCount;
  }

  isDone(): boolean {
    return this.completedCount === this.trace.count;
  }

  /** Time of the next event (arrival, pass completion, worker ready, hand-off), ms; +Infinity when none is left. */
  get nextEventMs(): number {
    return this.nextTimestamp();
  }

  /** Runs the whole trace to completion. */
  run(): void {
    this.advanceTo(Number.POSITIVE_INFINITY);
  }

  /**
   * Processes every event with timestamp ≤ untilMs, then moves the clock to untilMs (if finite) so decisions
   * taken at that tick apply at the tick's time (docs/design.md#applying-decisions).
   */
  advanceTo(untilMs: number): AdvanceResult {
    this.untilMs = untilMs;
    this.drainCurrentTimestamp();
    while (!this.isDone()) {
      const t = this.nextTimestamp();
      if (t > untilMs) break;
      if (t === Number.POSITIVE_INFINITY) throw this.deadEnd();
      this.nowMs = t;
      this.drainCurrentTimestamp();
    }
    const lastEventMs = this.lastEventMs;
    if (Number.isFinite(untilMs) && untilMs > this.nowMs) this.nowMs = untilMs;
    return { lastEventMs, isDone: this.isDone() };
  }

  /**
   * Traffic window since the last drain (docs/design.md#traffic-accumulator), then a fresh window starting
   * now.
   */
  drainTraffic(): TrafficStats {
    return this.traffic.drain(this.nowMs);
  }

  /** The loop as scaling sees it (stage-scaling.ts). */
  private get scalingHost(): ScalingHost {
    return {
      now: this.nowMs,
      eventHeap: this.heap,
      dispatchAdmissions: (stage) => this.dispatchAdmissions(stage),
    };
  }

  /**
   * Scales each stage to its target (agg: the decode target is the aggregated target;
   * docs/design.md#scaling-a-pool).
   */
  applyScaling(targetPrefill: number, targetDecode: number): void {
    if (this.options.mode === "agg")
      applyTargetCount(this.scalingHost, this.stages[0] as Stage, targetDecode);
    else {
      applyTargetCount(this.scalingHost, this.stages[0] as Stage, targetPrefill);
      applyTargetCount(this.scalingHost, this.stages[1] as Stage, targetDecode);
    }
  }

  counts(stageIndex: number): StageCounts {
    const pool = (this.stages[stageIndex] as Stage).pool;
    return {
      active: pool.countIn(WorkerState.Active),
      starting: pool.countIn(WorkerState.Starting),
      draining: pool.countIn(WorkerState.Draining),
    };
  }

  /** Requests queued in a stage's router or waiting for their first token there (requires options.collectFpm). */
  backlog(stageIndex: number): StageBacklog {
    return (this.stages[stageIndex] as Stage).backlog?.snapshot() ?? EMPTY_BACKLOG;
  }

  /** Forward-pass snapshots of a stage since the last call (requires options.collectFpm). */
  takeFpmSnapshots(stageIndex: number): ForwardPassMetrics[] {
    const fpm = (this.stages[stageIndex] as Stage).fpm;
    return fpm === null ? [] : fpm.take();
  }

  /** Worker-hours of every provisioned worker of a stage up to now (exact simulated time). */
  workerHours(stageIndex: number): number {
    return (this.stages[stageIndex] as Stage).pool.workerMs(this.nowMs) / 3_600_000;
  }

  /** KV blocks of every live (starting, active or draining) worker of a stage, lowest id first. Read-only. */
  kvUsage(stageIndex: number): WorkerKvUsage[] {
    const pool = (this.stages[stageIndex] as Stage).pool;
    const out: WorkerKvUsage[] = [];
    for (let id = 0; id < pool.idLimit; id++) {
      if (!pool.exists(id)) continue;
      const w = pool.worker(id);
      out.push({
        workerId: id,
        activeBlocks: w.activeBlocks,
        inactiveBlocks: w.inactiveBlocks,
        capacityBlocks: w.capacityBlocks,
      });
    }
    return out;
  }

  private nextReleaseMs(): number {
    return this.workload.nextReadyTimeMs(this.inFlight);
  }

  private nextTimestamp(): number {
    return Math.min(this.workload.nextReadyTimeMs(this.inFlight), this.heap.peekTime());
  }

  private deadEnd(): Error {
    return deadEndError({
      nowMs: this.nowMs,
      inFlight: this.inFlight,
      notReleased: this.trace.count - this.releasedCount,
      options: this.options,
      stages: this.stages,
      requests: this.requests,
      collector: this.collector,
    });
  }

  private drainCurrentTimestamp(): void {
    for (;;) {
      let changed = false;
      while (this.heap.size > 0 && this.heap.peekTime() <= this.nowMs) {
        const kind = this.heap.peekKind();
        const arg = this.heap.peekArg();
        this.heap.pop();
        this.handleEvent(kind, arg);
        changed = true;
      }
      if (this.releaseArrivals()) changed = true;
      for (const stage of this.stages) if (this.driveStage(stage)) changed = true;
      if (!changed) return;
      // Passes completed on the spot (silent runs) may already have moved lastEventMs past now.
      if (this.nowMs > this.lastEventMs) this.lastEventMs = this.nowMs;
    }
  }

  private handleEvent(kind: number, arg: number): void {
    switch (kind) {
      case ClusterEvent.PrefillOrAggCompletion:
        this.completePass(this.stages[0] as Stage, arg);
        return;
      case ClusterEvent.DecodeCompletion:
        this.completePass(this.stages[1] as Stage, arg);
        return;
      case ClusterEvent.PrefillOrAggReady:
        this.workerReady(this.stages[0] as Stage, arg);
        return;
      case ClusterEvent.DecodeReady:
        this.workerReady(this.stages[1] as Stage, arg);
        return;
      case ClusterEvent.DecodeHandoff:
        this.silent.onHandoffHandled();
        this.enqueueDecode(arg);
        return;
      case ClusterEvent.PrefillOrAggWake:
        this.wakeWorker(this.stages[0] as Stage, arg);
        return;
      case ClusterEvent.DecodeWake:
        this.wakeWorker(this.stages[1] as Stage, arg);
        return;
      default:
        throw new Error(`unknown cluster event kind ${kind}`);
    }
  }

  private releaseArrivals(): boolean {
    const first = this.stages[0] as Stage;
    let any = false;
    for (;;) {
      const n = this.workload.popReady(this.nowMs, this.inFlight, this.releaseIds, this.releaseArrivalMs);
      for (let i = 0; i < n; i++) {
        const id = this.releaseIds[i] as number;
        const arrivalMs = this.releaseArrivalMs[i] as number;
        this.requests.arrivalMs[id] = arrivalMs;
        this.requests.materialize(id);
        this.collector.onArrival(id, arrivalMs);
        this.releasedCount++;
        const isl = this.requests.islTokens[id] as number;
        this.traffic.onArrival(isl, this.requests.maxOutputTokens[id] as number);
        first.backlog?.onRouterArrival(id, isl);
        first.router.onRequestArrival(id, this.nowMs);
        this.dispatchAdmissions(first);
      }
      if (n > 0) any = true;
      if (n < RELEASE_BATCH) return any;
    }
  }

  private dispatchAdmissions(stage: Stage): void {
    const adm = stage.router.admissions;
    if (adm.count === 0) return;
    for (let i = 0; i < adm.count; i++) {
      const id = adm.requestId[i] as number;
      const workerId = adm.workerId[i] as number;
      if (stage.feedsTrafficHitRate)
        this.traffic.onAdmission(
          adm.overlapBlocks[i] as number,
          adm.islBlocks[i] as number,
          adm.hostBlocks[i] as number,
          adm.diskBlocks[i] as number,
        );
      stage.backlog?.onAdmitted(id, (adm.overlapBlocks[i] as number) * this.requests.engineBlockSize);
      if (stage.visible) this.collector.onWorker(id, workerId);
      stage.pool.worker(workerId).enqueue(id);
      stage.pool.setParked(workerId, false);
    }
    adm.clear();
  }

  /** Starts a pass on every idle worker that has work, lowest id first (docs/design.md#drain-a-timestamp). */
  private driveStage(stage: Stage): boolean {
    const pool = stage.pool;
    let changed = false;
    for (let id = 0; id < pool.idLimit; id++) {
      if (!pool.exists(id) || pool.isBusy(id) || pool.isParked(id)) continue;
      const worker = pool.worker(id);
      if (!worker.hasWork()) continue;
      const result = pool.result(id);
      const ahead = this.silent.enabled ? worker.silentPassesAhead() : 0;
      const horizonMs =
        ahead > 0 ? this.silent.horizonMs(stage, this.stages, this.nextReleaseMs(), this.nowMs) : this.nowMs;
      if (horizonMs > this.nowMs) {
        const c = this.collector;
        const absorbedMs = this.silent.run(worker, ahead, this.nowMs, horizonMs, this.untilMs, c, result);
        if (absorbedMs > this.lastEventMs) this.lastEventMs = absorbedMs;
      } else worker.executePass(this.nowMs, result);
      if (!result.madeProgress) {
        // The pass is discarded, its KV events unapplied: a router reading the pools must not see them either.
        if (stage.appliesKvEvents && result.kvEvents.count > 0)
          stage.router.onDroppedKvEvents?.(id, result.kvEvents);
        pool.setParked(id, true);
        continue;
      }
      changed = true;
      for (let w = 0; w < result.wakeCount; w++) {
        const atMs = result.wakeMs[w] as number;
        this.heap.push(atMs, wakeEventOf(stage.index), id);
        this.silent.onWakeScheduled(atMs);
      }
      this.onPassStart(stage, id);
      if (result.endMs <= this.nowMs) {
        this.completePass(stage, id);
        id = -1; // a zero-time pass may have sent work to a lower id: rescan from the lowest
      } else {
        pool.setBusy(id, true);
        this.heap.push(result.endMs, completionEventOf(stage.index), id);
      }
    }
    return changed;
  }

  private onPassStart(stage: Stage, workerId: number): void {
    const r = stage.pool.result(workerId);
    if (stage.appliesKvEvents && r.kvEvents.count > 0) stage.router.applyKvEvents(workerId, r.kvEvents);
    for (let i = 0; i < r.admitCount; i++) {
      const id = r.admitIds[i] as number;
      const reused = r.admitReusedTokens[i] as number;
      this.collector.onAdmit(
        id,
        this.nowMs,
        reused,
        r.admitHostTokens[i] as number,
        r.admitDiskTokens[i] as number,
        r.admitOnboardMs[i] as number,
      );
      if (stage.index === 0) {
        this.traffic.onEngineAdmit(reused, this.requests.islTokens[id] as number);
        if (this.firstPoolTiered) {
          this.traffic.onTieredEngineAdmit(
            r.admitHostTokens[i] as number,
            r.admitDiskTokens[i] as number,
            r.admitOnboardMs[i] as number,
          );
        }
      }
    }
    for (let i = 0; i < r.preemptCount; i++) this.collector.onPreempt(r.preemptIds[i] as number);
    if (stage.fpm !== null) stage.fpm.push(workerId, stage.fpm.size, r.fpm);
    if (
      this.options.checkInvariants &&
      stage.appliesKvEvents &&
      routerPolicy(this.options.routerMode).usesPrefixIndex
    )
      checkRouterView(stage, this.nowMs);
  }

  /** A pass's outputs land (docs/design.md#drain-a-timestamp, #disagg-handoff). */
  private completePass(stage: Stage, workerId: number): void {
    const pool = stage.pool;
    pool.setBusy(workerId, false);
    const r = pool.result(workerId);
    const router = stage.router;
    // All of the pass's visible tokens first (one call, so the end time is not boxed per token); the router
    // and the traffic accumulator below read nothing the later tokens of this pass would change.
    if (!stage.isPrefill) this.collector.onTokens(r.tokenIds, r.tokenCount, r.endMs);
    for (let i = 0; i < r.tokenCount; i++) {
      const id = r.tokenIds[i] as number;
      const done = r.tokenCompleted[i] === 1;
      if (stage.isPrefill) {
        // The prefill copy asks for one token, so its only token completes it: free it on the prefill router and
        // hand the original request to the decode stage (after the KV transfer, if one is modelled).
        if (!done) continue;
        stage.backlog?.onFirstToken(id);
        router.onPrefillCompleted(id, this.nowMs);
        this.dispatchAdmissions(stage);
        router.onRequestCompleted(id, this.nowMs);
        this.dispatchAdmissions(stage);
        const handoffMs = r.tokenHandoffMs[i] as number;
        if (handoffMs > 0) {
          this.heap.push(this.nowMs + handoffMs, ClusterEvent.DecodeHandoff, id);
          this.silent.onHandoffScheduled(this.nowMs + handoffMs);
        } else this.enqueueDecode(id);
        continue;
      }
      if (done) {
        if (this.prefillMarked[id] === 0) this.onFirstToken(id);
        stage.backlog?.onFirstToken(id);
        router.onRequestCompleted(id, this.nowMs);
        this.dispatchAdmissions(stage);
        this.finishRequest(id);
      } else if (this.prefillMarked[id] === 0) {
        this.prefillMarked[id] = 1;
        this.onFirstToken(id);
        stage.backlog?.onFirstToken(id);
        router.onPrefillCompleted(id, this.nowMs);
        this.dispatchAdmissions(stage);
      }
    }
    if (pool.stateOf(workerId) === WorkerState.Draining) deleteIfDrained(stage, workerId, this.nowMs);
  }

  /** A request's first visible token: its TTFT joins the traffic window's histogram. */
  private onFirstToken(id: number): void {
    this.traffic.onFirstToken(this.nowMs - (this.requests.arrivalMs[id] as number));
  }

  private finishRequest(id: number): void {
    this.completedCount++;
    this.traffic.onRequest(
      this.requests.islTokens[id] as number,
      this.requests.maxOutputTokens[id] as number,
      this.collector.requestLatencies(id),
    );
    this.workload.onRequestCompleted(id, this.nowMs);
    this.requests.release(id);
    if (this.progressCallback !== null && this.completedCount % this.progressEvery === 0) {
      this.progressCallback(this.completedCount);
    }
  }

  private enqueueDecode(id: number): void {
    const decode = this.stages[1] as Stage;
    decode.backlog?.onRouterArrival(id, this.requests.islTokens[id] as number);
    decode.router.onRequestArrival(id, this.nowMs);
    this.dispatchAdmissions(decode);
  }

  /** Onboarded KV landed on a worker that may be parked with nothing else to do: let it pass again. */
  private wakeWorker(stage: Stage, workerId: number): void {
    this.silent.onWakeHandled();
    if (stage.pool.exists(workerId)) stage.pool.setParked(workerId, false);
  }

  private workerReady(stage: Stage, workerId: number): void {
    // A cancelled startup was deleted: its late ready event is stale and ignored.
    if (stage.pool.stateOf(workerId) !== WorkerState.Starting) return;
    stage.pool.setState(workerId, WorkerState.Active);
    stage.router.addWorker(workerId, this.nowMs);
    this.dispatchAdmissions(stage);
  }
}
