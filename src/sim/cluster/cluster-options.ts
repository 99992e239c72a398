import type { EngineArgs } from "../engine/engine-args.js";
import type { KvRouterConfig } from "../router/router-config.js";
import type { RouterMode } from "../router/router-policies.js";

export type ClusterMode = "agg" | "disagg";

/** Everything that shapes one simulated cluster (already validated). */
export interface ClusterOptions {
  readonly mode: ClusterMode;
  /** Aggregated workers (agg mode). */
  readonly numWorkers: number;
  readonly numPrefillWorkers: number;
  readonly numDecodeWorkers: number;
  readonly routerMode: RouterMode;
  readonly routerConfig: KvRouterConfig;
  /** Engine args of the aggregated workers (agg); in disagg, the args both pools share, before their own. */
  readonly engineArgs: EngineArgs;
  /** Engine args of the prefill / decode workers (disagg): the shared args with the pool's own on top. */
  readonly prefillEngineArgs: EngineArgs;
  readonly decodeEngineArgs: EngineArgs;
  /** Multiplies arrival rate: timestamps and inter-turn delays are divided by it. */
  readonly arrivalSpeedupRatio: number;
  /** Closed-loop cap on requests in flight; null = trace timestamps drive arrivals. */
  readonly concurrency: number | null;
  readonly seed: number;
  /** Check engine invariants after every pass (slow; for tests and debugging). */
  readonly checkInvariants: boolean;
  /** Keep every pass's forward-pass snapshot for a planner to read (off unless a planner consumes them). */
  readonly collectFpm: boolean;
  /**
   * KV routers read the engines' pools instead of replaying their KV events (src/sim/router/pool-mirror.ts;
   * exact either way). Default true. A search that copies simulations turns it off: a mirrored router keeps the
   * whole pool of every worker it ever had, removed ones too, and each copy carries them.
   */
  readonly mirrorPools?: boolean;
}
