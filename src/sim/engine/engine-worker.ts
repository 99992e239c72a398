import type { EngineRole } from "../../signals/stages.js";
import { type InputError, inputErrorAt } from "../../util/errors.js";
import { requireFields } from "../../util/options.js";
import type { RequestTable } from "../request-table.js";
import type { EngineArgs } from "./engine-args.js";
import { findEngineInvariantViolation } from "./engine-invariants.js";
import { isPartialKey } from "./kv-pool.js";
import type { PassResult } from "./pass-result.js";
import type { PassTimeModel } from "./pass-time-model.js";
import { VllmScheduler } from "./scheduler.js";

export type { EngineRole };

export interface EngineWorkerOptions {
  readonly id: number;
  readonly role: EngineRole;
  readonly args: EngineArgs;
  readonly passTime: PassTimeModel;
  readonly requests: RequestTable;
  /** Check the engine's invariants after every pass and throw on a violation (slow; tests and debugging). */
  readonly checkInvariants?: boolean;
  /** Fill PassResult.fpm (default true); turn off when no planner reads the snapshots. */
  readonly computeFpm?: boolean;
  /** Consecutive zero-time token-less passes after which a pass reports no progress (default 65536). */
  readonly zeroTimeStreakLimit?: number;
  /** Consecutive token-less passes after which the engine gives up with a livelock error (default 10^6). */
  readonly tokenlessPassLimit?: number;
}

const ENGINE_WORKER_REQUIRED = ["id", "role", "args", "passTime", "requests"] as const;

/**
 * Liveness guards (docs/design.md#liveness). Some tiny configurations cycle forever: two requests that keep
 * preempting each other, recomputing only generated tokens (which costs budget but no prefill time), so passes
 * take no time, emit nothing, yet admit and preempt. Such a streak reports madeProgress = false once it exceeds
 * zeroTimeStreakLimit (the cluster then parks the worker instead of spinning at one instant). A livelock that
 * does advance time (every pass prefills a chunk that a later preemption throws away) ends with an error after
 * tokenlessPassLimit passes without a token, instead of running forever. Neither limit is reachable by an
 * honest workload: a prompt prefilled one budget-sized chunk per pass needs ⌈isl / budget⌉ passes.
 */
const DEFAULT_ZERO_TIME_STREAK_LIMIT = 65_536;
const DEFAULT_TOKENLESS_PASS_LIMIT = 1_000_000;

/** The error an engine gives up with after `limit` token-less passes in a row (a preemption livelock). */
export function livelockError(engineId: number, limit: number): InputError {
  return inputErrorAt(
    "engine args",
    null,
    "num_gpu_blocks",
    `engine ${engineId} ran ${limit} passes in a row without emitting a token: its requests keep ` +
      `preempting each other (raise num_gpu_blocks or max_num_batched_tokens)`,
  );
}

/**
 * One mock vLLM worker (docs/design.md#engines): a waiting queue, a running batch and a KV block pool,
 * advanced one scheduler pass at a time by the cluster loop. Passes are non-preemptive: requests enqueued
 * during a pass wait for the next one.
 */
export class EngineWorker {
  readonly id: number;
  readonly role: EngineRole;
  private readonly scheduler: VllmScheduler;
  private readonly checkInvariants: boolean;
  private readonly zeroTimeStreakLimit: number;
  private readonly tokenlessPassLimit: number;
  private zeroTimeStreak: number;
  private tokenlessPasses: number;

  constructor(options: EngineWorkerOptions) {
    requireFields(options, ENGINE_WORKER_REQUIRED, "EngineWorker");
    this.id = options.id;
    this.role = options.role;
    this.scheduler = new VllmScheduler(options.role, options.args, options.passTime, options.requests);
    this.scheduler.computeFpm = options.computeFpm ?? true;
    this.checkInvariants = options.checkInvariants ?? false;
    this.zeroTimeStreakLimit = options.zeroTimeStreakLimit ?? DEFAULT_ZERO_TIME_STREAK_LIMIT;
    this.tokenlessPassLimit = options.tokenlessPassLimit ?? DEFAULT_TOKENLESS_PASS_LIMIT;
    this.zeroTimeStreak = 0;
    this.tokenlessPasses = 0;
  }

  /** Joins the waiting queue (a prefill worker treats the request's max output as 1). */
  enqueue(requestId: number): void {
    this.scheduler.enqueue(requestId);
    this.zeroTimeStreak = 0;
  }

  /** Requests enqueued and not completed. */
  get inFlight(): number {
    return this.scheduler.inFlight;
  }

  /** True while the waiting queue or the running batch is non-empty. */
  hasWork(): boolean {
    return this.scheduler.hasWork();
  }

  /** Runs one scheduler pass starting at `nowMs` and writes what it did into `out` (reset first). */
  executePass(nowMs: number, out: PassResult): void {
    this.scheduler.executePass(nowMs, out);
    if (out.tokenCount > 0) {
      this.tokenlessPasses = 0;
      this.zeroTimeStreak = 0;
    } else {
      if (++this.tokenlessPasses > this.tokenlessPassLimit) throw this.livelockError();
      if (out.endMs !== nowMs) this.zeroTimeStreak = 0;
      else if (++this.zeroTimeStreak > this.zeroTimeStreakLimit) out.madeProgress = false;
    }
    if (this.checkInvariants) this.verify(nowMs);
  }

  /** See ClusterEngine.silentPassesAhead (src/sim/cluster/cluster-engine.ts). */
  silentPassesAhead(): number {
    return this.scheduler.silentPassesAhead();
  }

  /** See ClusterEngine.runSilentPasses; the invariants are checked once after the run (silent passes only
   * advance generated and computed, so a later check sees everything an earlier one would). */
  runSilentPasses(
    startMs: number,
    ahead: number,
    horizonMs: number,
    untilMs: number,
    endsOut: Float64Array,
  ): number {
    const passes = this.scheduler.runSilentPasses(startMs, ahead, horizonMs, untilMs, endsOut);
    this.tokenlessPasses = 0;
    this.zeroTimeStreak = 0;
    if (this.checkInvariants) this.verify(endsOut[passes - 1] as number);
    return passes;
  }

  /** Requests that emitted in the last silent passes: silentTokenIds[0 .. silentTokenCount). */
  get silentTokenIds(): Int32Array {
    return this.scheduler.silentTokenIds;
  }

  get silentTokenCount(): number {
    return this.scheduler.silentTokenCount;
  }

  /** Debug: a full block with this hash is resident (active or inactive). */
  holdsBlock(blockHash: number): boolean {
    return !isPartialKey(blockHash) && this.scheduler.pool.contains(blockHash);
  }

  /** Debug: resident full blocks published in KV events (every resident full block while caching is on). */
  publishedBlockCount(): number {
    return this.scheduler.publishesKvEvents ? this.scheduler.pool.residentFullBlocks() : 0;
  }

  private verify(nowMs: number): void {
    const problem = findEngineInvariantViolation(this.scheduler);
    if (problem !== null)
      throw new Error(`engine ${this.id} invariant violated after the pass at ${nowMs} ms: ${problem}`);
  }

  private livelockError(): InputError {
    return livelockError(this.id, this.tokenlessPassLimit);
  }

  get activeBlocks(): number {
    return this.scheduler.pool.activeCount;
  }

  get inactiveBlocks(): number {
    return this.scheduler.pool.inactiveCount;
  }

  get capacityBlocks(): number {
    return this.scheduler.capacityBlocks;
  }

  get waitingCount(): number {
    return this.scheduler.waiting.size;
  }

  get runningCount(): number {
    return this.scheduler.running.count;
  }
}
