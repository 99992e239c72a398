import type { ClusterEngine, EngineSpec } from "../../src/sim/cluster/cluster-engine.js";
import { livelockError, thrashError } from "../../src/sim/engine/engine-worker.js";
import type { PassResult } from "../../src/sim/engine/pass-result.js";
import type { RequestTable } from "../../src/sim/request-table.js";
import { ReferenceEngine } from "./reference-engine.js";

export interface ReferenceEngineLimits {
  /** Zero-time token-less passes in a row after which a pass reports no progress (EngineWorker's guard). */
  readonly zeroTimeStreakLimit: number;
  /** Token-less passes in a row after which the engine gives up with EngineWorker's livelock error. */
  readonly tokenlessPassLimit: number;
  /** EngineWorker's work-scaled guard: time-advancing passes first, then tokens > factor × in-flight work. */
  readonly livelockMinPasses: number;
  readonly livelockWorkFactor: number;
}

/**
 * The slow ReferenceEngine behind the cluster's engine surface, so a whole cluster can run on it: each pass's
 * plain-object result is copied into the PassResult the cluster reads (KV events through KvEventLog, which
 * merges consecutive removals as the fast engine's log does). The liveness guards are EngineWorker's, written
 * out again here. It never promises silent passes, so the cluster drives it one pass at a time.
 */
export class ReferenceEngineWorker implements ClusterEngine {
  readonly id: number;
  readonly silentTokenIds: Int32Array;
  readonly silentTokenCount: number;
  private readonly engine: ReferenceEngine;
  private readonly capacity: number;
  private readonly publishes: boolean;
  private readonly limits: ReferenceEngineLimits;
  private zeroTimeStreak: number;
  private tokenlessPasses: number;
  private readonly role: EngineSpec["role"];
  private readonly requests: RequestTable;
  private readonly blockSize: number;
  /** The streak's time-advancing passes, their tokens, and every request preempted in it (in order). */
  private timedPasses: number;
  private workTokens: number;
  private victims: number[];

  constructor(spec: EngineSpec, limits: ReferenceEngineLimits) {
    this.id = spec.id;
    this.silentTokenIds = new Int32Array(0);
    this.silentTokenCount = 0;
    this.engine = new ReferenceEngine({
      role: spec.role,
      args: spec.args,
      passTime: spec.passTime,
      requests: spec.requests,
    });
    this.capacity = spec.args.num_gpu_blocks;
    this.publishes = spec.args.enable_prefix_caching;
    this.limits = limits;
    this.zeroTimeStreak = 0;
    this.tokenlessPasses = 0;
    this.role = spec.role;
    this.requests = spec.requests;
    this.blockSize = spec.args.block_size;
    this.timedPasses = 0;
    this.workTokens = 0;
    this.victims = [];
  }

  enqueue(requestId: number): void {
    this.engine.enqueue(requestId);
    this.zeroTimeStreak = 0;
  }

  get inFlight(): number {
    return this.engine.inFlight;
  }

  hasWork(): boolean {
    return this.engine.hasWork();
  }

  executePass(nowMs: number, out: PassResult): void {
    const p = this.engine.executePass(nowMs);
    out.reset();
    out.endMs = p.endMs;
    out.madeProgress = p.madeProgress;
    for (const a of p.admissions) out.pushAdmit(a.requestId, a.reusedTokens);
    for (const t of p.tokens) out.pushToken(t.requestId, t.completed, t.handoffMs);
    for (const id of p.preempted) out.pushPreempt(id);
    for (const e of p.events) {
      if (e.kind === "stored") out.kvEvents.pushStored(e.parent ?? Number.NaN, e.hashes, 0, e.hashes.length);
      else for (const h of e.hashes) out.kvEvents.pushRemoved(h);
    }
    p.fpm.forEach((v, i) => {
      out.fpm[i] = v;
    });
    if (out.tokenCount > 0) {
      this.tokenlessPasses = 0;
      this.zeroTimeStreak = 0;
      this.timedPasses = 0;
      this.workTokens = 0;
      this.victims = [];
    } else {
      this.tokenlessPasses++;
      if (this.tokenlessPasses > this.limits.tokenlessPassLimit)
        throw livelockError(this.id, this.limits.tokenlessPassLimit);
      this.victims.push(...p.preempted);
      if (out.endMs !== nowMs) {
        this.zeroTimeStreak = 0;
        this.timedPasses++;
        this.workTokens += p.scheduledTokens;
        const work = this.engine.inFlightWorkTokens;
        const { livelockMinPasses: minPasses, livelockWorkFactor: factor } = this.limits;
        if (this.timedPasses >= minPasses && this.victims.length > 0 && this.workTokens > factor * work) {
          // The last two distinct victims: walk back from the newest past repeats of it.
          const newer = this.victims[this.victims.length - 1] as number;
          const older = [...this.victims].reverse().find((id) => id !== newer) ?? -1;
          throw thrashError({
            role: this.role,
            id: this.id,
            requests: this.requests,
            olderVictim: older,
            newerVictim: newer,
            passes: this.tokenlessPasses,
            workTokens: this.workTokens,
            factor,
            inFlightWorkTokens: work,
            inFlight: this.engine.inFlight,
            capacityBlocks: this.capacity,
            blockSize: this.blockSize,
          });
        }
      } else {
        this.zeroTimeStreak++;
        if (this.zeroTimeStreak > this.limits.zeroTimeStreakLimit) out.madeProgress = false;
      }
    }
  }

  get activeBlocks(): number {
    return this.engine.activeBlocks;
  }

  get inactiveBlocks(): number {
    return this.engine.inactiveBlocks;
  }

  get capacityBlocks(): number {
    return this.capacity;
  }

  silentPassesAhead(): number {
    return 0;
  }

  runSilentPasses(
    _startMs: number,
    _ahead: number,
    _horizonMs: number,
    _untilMs: number,
    _ends: Float64Array,
  ): number {
    throw new Error("the reference engine runs no silent passes");
  }

  holdsBlock(blockHash: number): boolean {
    return this.engine.holdsFullBlock(blockHash);
  }

  publishedBlockCount(): number {
    return this.publishes ? this.engine.residentFullBlockCount() : 0;
  }
}
