import type { Prng } from "../../../native-free-kernels/prng.js";
import type { EngineRole, StageName } from "../../signals/stages.js";
import type { RequestCollector } from "../collector.js";
import type { EngineArgs } from "../engine/engine-args.js";
import type { KvPool } from "../engine/kv-pool.js";
import type { PassResult } from "../engine/pass-result.js";
import type { PassTimeModel } from "../engine/pass-time-model.js";
import type { RequestTable } from "../request-table.js";
import type { Router } from "../router/router.js";
import type { ClusterOptions } from "./cluster-options.js";

/**
 * What the cluster loop needs of one engine worker: the EngineWorker surface (docs/design.md#engines) plus
 * two debug reads and the silent-pass fast path. EngineWorker implements it; the slow ReferenceEngine is
 * adapted to it (test/oracles/reference-engine-worker.ts) so a whole cluster can run on the reference.
 */
export interface ClusterEngine {
  readonly id: number;
  enqueue(requestId: number): void;
  readonly inFlight: number;
  hasWork(): boolean;
  executePass(nowMs: number, out: PassResult): void;
  readonly activeBlocks: number;
  readonly inactiveBlocks: number;
  readonly capacityBlocks: number;
  /**
   * How many of the next passes are certain to be silent decode steps: every running request emits one token
   * and nothing else changes that anyone outside the engine can see (no admission, preemption, completion,
   * first token, block allocation or KV event). 0 when not sure. The reference adapter always says 0.
   */
  silentPassesAhead(): number;
  /**
   * Runs silent passes back to back from startMs, exactly as executePass would run them, at most `ahead` (what
   * silentPassesAhead() promised); pass k's end goes to endsOut[k − 1]. Stops after the first pass that is the
   * ahead-th, ends at or after horizonMs, or ends after untilMs; returns how many ran (≥ 1). The requests that
   * emitted a token in each of them are silentTokenIds[0 .. silentTokenCount), in emission order.
   */
  runSilentPasses(
    startMs: number,
    ahead: number,
    horizonMs: number,
    untilMs: number,
    endsOut: Float64Array,
  ): number;
  readonly silentTokenIds: Int32Array;
  readonly silentTokenCount: number;
  /** Debug: whether a full block with this hash is resident (active or inactive). */
  holdsBlock(blockHash: number): boolean;
  /** Debug: resident full blocks this engine has published in KV events (0 when publishing is off). */
  publishedBlockCount(): number;
  /**
   * Optional: the pool whose resident full blocks are exactly what this engine's published events say (null
   * while publishing is off), for a router to read instead of replaying events (src/sim/router/pool-mirror.ts).
   */
  mirrorablePool?(): KvPool | null;
}

/** Everything a stage's pool knows when it creates worker `id`. */
export interface EngineSpec {
  readonly id: number;
  readonly stageIndex: number;
  readonly role: EngineRole;
  readonly args: EngineArgs;
  readonly passTime: PassTimeModel;
  readonly requests: RequestTable;
  readonly checkInvariants: boolean;
  readonly computeFpm: boolean;
}

export type EngineFactory = (spec: EngineSpec) => ClusterEngine;

export type RouterFactory = (
  stage: StageName,
  options: ClusterOptions,
  args: EngineArgs,
  requests: RequestTable,
  rng: Prng,
) => Router;

/**
 * Substitutions for tests and benchmarks (all optional): the engines and routers the cluster builds, and the
 * collector it records into (e.g. one that also keeps every token time).
 */
export interface ClusterSeams {
  readonly createEngine?: EngineFactory;
  readonly createRouter?: RouterFactory;
  readonly createCollector?: (requestCount: number) => RequestCollector;
}
