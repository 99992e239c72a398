import type { EngineRole } from "../../signals/stages.js";
import { type InputError, inputErrorAt } from "../../util/errors.js";
import { requireFields } from "../../util/options.js";
import type { RequestTable } from "../request-table.js";
import type { EngineArgs } from "./engine-args.js";
import { findEngineInvariantViolation } from "./engine-invariants.js";
import { isPartialKey, type KvPool } from "./kv-pool.js";
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
  /**
   * A token-less streak with preemptions that computes more than this many times the in-flight requests' work
   * (Σ prompt + output cap) is a livelock (default 8; see the liveness comment below).
   */
  readonly livelockWorkFactor?: number;
  /** Time-advancing token-less passes a streak must reach before the work-scaled guard applies (default 4096). */
  readonly livelockMinPasses?: number;
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
 *
 * That fixed limit takes a million passes (~50 s of CPU) to notice two long prompts that keep evicting each
 * other's half-computed KV (each cycle keeping a few more cached blocks, so the state never quite repeats and a
 * token does come out every ~10^6 passes). The work-scaled guard stops them in a few thousand passes: in a
 * token-less streak no request completes, so the in-flight work W = Σ (prompt + output cap) never shrinks, and
 * without a preemption every token the streak computes is new — at most W of them (a request's tokens are computed
 * once). Only preemption, which throws computed tokens away, lets a streak compute more. A streak of at least
 * livelockMinPasses time-advancing passes, with preemptions, that computed more than livelockWorkFactor · W tokens
 * has recomputed everything in flight many times over without one token: the error names the worker and the
 * requests it keeps preempting. The pass floor keeps tiny pools, where honest progress can take a few hundred
 * preempting passes for a handful of tokens, out of it; zero-time cycles are left to the parking rule above.
 * Per token-less pass this costs a few additions and comparisons; passes that emit only reset the counters.
 */
const DEFAULT_ZERO_TIME_STREAK_LIMIT = 65_536;
const DEFAULT_TOKENLESS_PASS_LIMIT = 1_000_000;
const DEFAULT_LIVELOCK_WORK_FACTOR = 8;
const DEFAULT_LIVELOCK_MIN_PASSES = 1024;

/** How a worker is named in messages: "aggregated worker 3", "prefill worker 0". */
function workerName(role: EngineRole, id: number): string {
  return `${role} worker ${id}`;
}

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

/** What the work-scaled livelock error reports (see the liveness comment). */
export interface ThrashDetails {
  readonly role: EngineRole;
  readonly id: number;
  readonly requests: RequestTable;
  /** The last two distinct requests preempted in the streak; older −1 when only one was. */
  readonly olderVictim: number;
  readonly newerVictim: number;
  /** Token-less passes in the streak, tokens they computed, and the factor × in-flight work they passed. */
  readonly passes: number;
  readonly workTokens: number;
  readonly factor: number;
  readonly inFlightWorkTokens: number;
  readonly inFlight: number;
  readonly capacityBlocks: number;
  readonly blockSize: number;
}

/** The work-scaled livelock as one line naming the worker, the requests (id, trace line, prompt) and the cure. */
export function thrashError(d: ThrashDetails): InputError {
  const describe = (id: number): string =>
    `${id} (line ${d.requests.sourceLine(id)}, ${d.requests.islTokens[id]}-token prompt)`;
  const who =
    d.olderVictim < 0
      ? `request ${describe(d.newerVictim)} keeps being preempted`
      : `requests ${describe(d.olderVictim)} and ${describe(d.newerVictim)} keep preempting each other`;
  return inputErrorAt(
    "engine args",
    null,
    "num_gpu_blocks",
    `${workerName(d.role, d.id)} is stuck: ${who}; ${d.passes} passes computed ${d.workTokens} tokens, over ` +
      `${d.factor}× the ${d.inFlightWorkTokens} its ${d.inFlight} requests need, without emitting a token ` +
      `(raise num_gpu_blocks — ${d.capacityBlocks} blocks hold ${d.capacityBlocks * d.blockSize} tokens — or ` +
      "max_num_batched_tokens, or lower the load)",
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
  private readonly livelockWorkFactor: number;
  private readonly requests: RequestTable;
  private readonly livelockMinPasses: number;
  /** Time-advancing passes, tokens they computed and preemptions suffered in the current token-less streak. */
  private streakTimedPasses: number;
  private streakWorkTokens: number;
  private streakPreemptions: number;
  /** The last two distinct requests preempted in the streak (−1 = none yet), newest first. */
  private lastVictim: number;
  private otherVictim: number;

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
    this.livelockWorkFactor = options.livelockWorkFactor ?? DEFAULT_LIVELOCK_WORK_FACTOR;
    this.livelockMinPasses = options.livelockMinPasses ?? DEFAULT_LIVELOCK_MIN_PASSES;
    this.streakTimedPasses = 0;
    this.requests = options.requests;
    this.streakWorkTokens = 0;
    this.streakPreemptions = 0;
    this.lastVictim = -1;
    this.otherVictim = -1;
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
    // A zero-time token-less pass past the streak limit is discarded (madeProgress = false, below): its events
    // must exist for a router that reads the pool instead of them (KvPool.eventsUnread).
    this.scheduler.keepKvEvents = this.zeroTimeStreak >= this.zeroTimeStreakLimit;
    this.scheduler.executePass(nowMs, out);
    if (out.tokenCount > 0) {
      this.endStreak();
    } else {
      if (++this.tokenlessPasses > this.tokenlessPassLimit) throw this.livelockError();
      if (out.preemptCount > 0) this.notePreemptions(out);
      if (out.endMs !== nowMs) {
        this.zeroTimeStreak = 0;
        this.streakWorkTokens += this.scheduler.lastScheduledTokens;
        if (
          ++this.streakTimedPasses >= this.livelockMinPasses &&
          this.streakPreemptions > 0 &&
          this.streakWorkTokens > this.livelockWorkFactor * this.scheduler.inFlightWorkTokens
        )
          throw this.thrashError();
      } else if (++this.zeroTimeStreak > this.zeroTimeStreakLimit) out.madeProgress = false;
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
    this.endStreak();
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

  /** The pool a KV router may read instead of replaying this engine's events (null while publishing is off). */
  mirrorablePool(): KvPool | null {
    return this.scheduler.publishesKvEvents ? this.scheduler.pool : null;
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

  /** A token was emitted: the token-less streak (and what it recorded) is over. */
  private endStreak(): void {
    this.tokenlessPasses = 0;
    this.zeroTimeStreak = 0;
    this.streakTimedPasses = 0;
    this.streakWorkTokens = 0;
    this.streakPreemptions = 0;
    this.lastVictim = -1;
    this.otherVictim = -1;
  }

  private notePreemptions(out: PassResult): void {
    this.streakPreemptions += out.preemptCount;
    for (let k = 0; k < out.preemptCount; k++) {
      const id = out.preemptIds[k] as number;
      if (id === this.lastVictim) continue;
      this.otherVictim = this.lastVictim;
      this.lastVictim = id;
    }
  }

  private thrashError(): InputError {
    return thrashError({
      role: this.role,
      id: this.id,
      requests: this.requests,
      olderVictim: this.otherVictim,
      newerVictim: this.lastVictim,
      passes: this.tokenlessPasses,
      workTokens: this.streakWorkTokens,
      factor: this.livelockWorkFactor,
      inFlightWorkTokens: this.scheduler.inFlightWorkTokens,
      inFlight: this.scheduler.inFlight,
      capacityBlocks: this.scheduler.capacityBlocks,
      blockSize: this.scheduler.blockSize,
    });
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
