// Easy-mode load decisions (docs/planner.md#easy-mode, optimization_target = throughput | latency): static
// per-engine load ratios instead of regression estimates. ANY engine above its up threshold → N + 1; ALL
// engines below the down threshold (and N > 1) → max(N − 1, min_endpoint); otherwise no change (null).

import type { PlannerState } from "./planner-state.js";
import type { ForwardPassMetrics, FpmMap } from "./types.js";

interface Thresholds {
  /** Scale up when any engine's ratio passes this. */
  readonly up: number;
  /** Prefill compares `ratio >= up`; decode and agg compare strictly `ratio > up`. */
  readonly upInclusive: boolean;
  /** Scale down when every engine's ratio is below this. */
  readonly down: number;
  /** Prefill-latency compares `ratio <= 0` (all queues empty); the others strictly `ratio < down`. */
  readonly downInclusive: boolean;
}

const PREFILL = {
  throughput: { up: 1.0, upInclusive: true, down: 0.1, downInclusive: false },
  latency: { up: 0.1, upInclusive: true, down: 0.0, downInclusive: true },
} as const satisfies Record<string, Thresholds>;

/** Decode and agg share these thresholds (KV-occupancy ratios). */
const KV_OCCUPANCY = {
  throughput: { up: 1.0, upInclusive: false, down: 0.6, downInclusive: false },
  latency: { up: 0.4, upInclusive: false, down: 0.1, downInclusive: false },
} as const satisfies Record<string, Thresholds>;

function target(state: PlannerState): "throughput" | "latency" {
  return state.config.optimizationTarget === "latency" ? "latency" : "throughput";
}

/** Prefill: queued prompt tokens per engine relative to the context length. */
export function easyPrefillDecision(state: PlannerState, fpms: FpmMap, numWorkers: number): number | null {
  const contextLength = state.capabilities.prefill?.contextLength;
  return thresholdDecision(
    state,
    fpms,
    numWorkers,
    positive(contextLength),
    (fpm, cap) => fpm.queued.sumPrefillTokens / cap,
    PREFILL[target(state)],
  );
}

/** Decode: scheduled + queued decode KV per engine relative to the engine's KV capacity. */
export function easyDecodeDecision(state: PlannerState, fpms: FpmMap, numWorkers: number): number | null {
  return thresholdDecision(
    state,
    fpms,
    numWorkers,
    positive(state.capabilities.decode?.maxKvTokens),
    (fpm, cap) => (fpm.scheduled.sumDecodeKvTokens + fpm.queued.sumDecodeKvTokens) / cap,
    KV_OCCUPANCY[target(state)],
  );
}

/** Agg: decode KV plus queued prompt tokens per engine relative to the KV capacity (decode capabilities). */
export function easyAggDecision(state: PlannerState, fpms: FpmMap, numWorkers: number): number | null {
  return thresholdDecision(
    state,
    fpms,
    numWorkers,
    positive(state.capabilities.decode?.maxKvTokens),
    (fpm, cap) =>
      (fpm.scheduled.sumDecodeKvTokens + fpm.queued.sumDecodeKvTokens + fpm.queued.sumPrefillTokens) / cap,
    KV_OCCUPANCY[target(state)],
  );
}

function positive(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && x > 0 ? x : null;
}

function thresholdDecision(
  state: PlannerState,
  fpms: FpmMap,
  numWorkers: number,
  capability: number | null,
  ratioOf: (fpm: ForwardPassMetrics, capability: number) => number,
  t: Thresholds,
): number | null {
  if (capability === null || numWorkers === 0 || fpms.size === 0) {
    state.diag.loadDecisionReason = "insufficient_data";
    return null;
  }
  const ratios = [...fpms.values()].map((fpm) => ratioOf(fpm, capability));
  if (ratios.some((r) => (t.upInclusive ? r >= t.up : r > t.up))) return numWorkers + 1;
  if (numWorkers > 1 && ratios.every((r) => (t.downInclusive ? r <= t.down : r < t.down))) {
    return Math.max(numWorkers - 1, state.config.minEndpoint);
  }
  state.diag.loadDecisionReason = "no_change";
  return null;
}
