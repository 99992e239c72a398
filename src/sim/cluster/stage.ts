import type { StageName } from "../../signals/stages.js";
import type { Router } from "../router/router.js";
import type { BacklogTracker } from "./backlog-tracker.js";
import type { EnginePool } from "./engine-pool.js";
import type { FpmBuffer } from "./fpm-buffer.js";

/**
 * One pool of workers with its router. Agg: a single visible stage. Disagg: a hidden prefill stage (its tokens
 * are not user-visible; its KV router feeds the traffic hit rate) then a visible decode stage.
 */
export interface Stage {
  readonly index: number;
  readonly name: StageName;
  readonly pool: EnginePool;
  readonly router: Router;
  /** Tokens reach the collector (agg, decode). */
  readonly visible: boolean;
  /** Emits the single prefill token and hands the request to the decode stage. */
  readonly isPrefill: boolean;
  /** Router admissions feed TrafficAccumulator.onAdmission (the first stage's KV router only). */
  readonly feedsTrafficHitRate: boolean;
  /**
   * The engines' KV events reach this stage's router (not for the disagg decode router,
   * docs/design.md#disagg-handoff).
   */
  readonly appliesKvEvents: boolean;
  /** Its KV router may read the engines' pools instead of their events (ClusterOptions.mirrorPools). */
  readonly mirrorsPools: boolean;
  /** New workers wait this long before joining the router, ms (0 = at once). */
  readonly startupMs: number;
  /** Forward-pass snapshots for a planner; null unless collected. */
  readonly fpm: FpmBuffer | null;
  /** Requests queued in the router or waiting for their first token on this stage; null unless collected. */
  readonly backlog: BacklogTracker | null;
}
