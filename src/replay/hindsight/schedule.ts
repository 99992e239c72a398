// A piecewise-constant pool-size schedule (hindsight's answer, or a static cluster) and the one function that
// applies it to a simulation — used alike by the search's trials, by the search's committed run and by a replay of
// a finished schedule, so all three make the same calls at the same simulated times.
//
//   window w = [w·L, (w+1)·L);  sizes[w] = pool sizes for window w (beyond the last window: the last sizes)
//   provisioned target of pool p at time t = max(sizes[w(t)], sizes[k] for every later window k whose lead time
//     has begun: k·L − S_p ≤ t)      (S_p = the pool's engine startup_time)
//
// So a scale-up for window k starts its workers at k·L − S_p and they are ready (in the router) at k·L, with the
// simulation's own startup mechanism; a scale-down takes effect at the window boundary. Window 0's sizes are the
// initial cluster (ready at t = 0, like a static cluster's). Changes happen only at change points — every k·L and
// every k·L − S_p (clamped to 0) — where the driver advances the simulation to just before the point (the largest
// double below it: every event earlier than the point, none at it), then applies the targets: so the arrivals at
// exactly k·L already see window k's pools (advancing to the point itself would release them to the old pools).

import type { ClusterSimulation } from "../../sim/cluster/cluster-simulation.js";
import type { StageLayout } from "../planner-simulation.js";

/** Pool sizes of one window (agg: `prefill` is 0 and `decode` sizes the aggregated pool). */
export interface PoolSizes {
  readonly prefill: number;
  readonly decode: number;
}

export interface ScheduleTiming {
  readonly windowMs: number;
  /** Startup delay of new prefill workers, ms (0 in agg). */
  readonly prefillStartupMs: number;
  /** Startup delay of new decode (or aggregated) workers, ms. */
  readonly decodeStartupMs: number;
}

/** Sizes of window `w` in a schedule whose later windows hold the last entry. */
export function sizesAt(sizes: readonly PoolSizes[], w: number): PoolSizes {
  return sizes[Math.min(w, sizes.length - 1)] as PoolSizes;
}

function poolTarget(
  sizes: readonly PoolSizes[],
  timing: ScheduleTiming,
  pool: "prefill" | "decode",
  tMs: number,
): number {
  const L = timing.windowMs;
  const startupMs = pool === "prefill" ? timing.prefillStartupMs : timing.decodeStartupMs;
  const w = Math.floor(tMs / L);
  let target = sizesAt(sizes, w)[pool];
  // Later windows whose workers must already be starting: k·L − S ≤ t.
  const lastLead = Math.min(Math.floor((tMs + startupMs) / L), sizes.length - 1);
  for (let k = w + 1; k <= lastLead; k++) target = Math.max(target, (sizes[k] as PoolSizes)[pool]);
  return target;
}

/** Provisioned targets at time `tMs` (see the header). */
export function targetsAt(sizes: readonly PoolSizes[], timing: ScheduleTiming, tMs: number): PoolSizes {
  return {
    prefill: poolTarget(sizes, timing, "prefill", tMs),
    decode: poolTarget(sizes, timing, "decode", tMs),
  };
}

/** The largest double below `ms` (ms > 0): a simulation advanced to it has run every event before `ms`, none at it. */
export function justBeforeMs(ms: number): number {
  const f = new Float64Array([ms]);
  const bits = new BigUint64Array(f.buffer);
  bits[0] = (bits[0] as bigint) - 1n;
  return f[0] as number;
}

/** The first change point strictly after `afterMs` (every k·L and every k·L − S ≥ 0 of each pool). */
export function nextChangeMs(timing: ScheduleTiming, afterMs: number): number {
  const L = timing.windowMs;
  let next = (Math.floor(afterMs / L) + 1) * L;
  for (const s of [timing.prefillStartupMs, timing.decodeStartupMs]) {
    if (s <= 0) continue;
    let c = (Math.floor((afterMs + s) / L) + 1) * L - s;
    if (c <= afterMs) c += L; // float rounding at the grid
    if (c < next) next = c;
  }
  return next;
}

/** One applied change, for the scaling-event log and the replica timeline. */
export interface AppliedChange {
  readonly atMs: number;
  readonly before: PoolSizes;
  /** Active workers when the change was applied. */
  readonly active: PoolSizes;
  readonly after: PoolSizes;
}

/** Provisioned (active + starting) sizes of the simulation's pools. */
export function provisioned(sim: ClusterSimulation, layout: StageLayout): PoolSizes {
  const d = sim.counts(layout.decodeStage);
  const p = layout.prefillStage === null ? null : sim.counts(layout.prefillStage);
  return { prefill: p === null ? 0 : p.active + p.starting, decode: d.active + d.starting };
}

/**
 * Applies the schedule's targets at change point `atMs` (the simulation must be advanced to it): one
 * applyScaling call when a pool's provisioned size differs from its target, none otherwise.
 */
export function applyTargets(
  sim: ClusterSimulation,
  layout: StageLayout,
  targets: PoolSizes,
  atMs: number,
): AppliedChange | null {
  const before = provisioned(sim, layout);
  if (before.prefill === targets.prefill && before.decode === targets.decode) return null;
  const d = sim.counts(layout.decodeStage);
  const p = layout.prefillStage === null ? null : sim.counts(layout.prefillStage);
  sim.applyScaling(targets.prefill, targets.decode);
  return {
    atMs,
    before,
    active: { prefill: p === null ? 0 : p.active, decode: d.active },
    after: provisioned(sim, layout),
  };
}
