// Load-scaling reasons for a final replica count (docs/planner.md#reasons).

import type { LoadReason } from "./types.js";

/** Reason priority when combining disagg per-component reasons (docs/planner.md#disaggregated-flow). */
const REASON_PRIORITY: Partial<Record<LoadReason, number>> = {
  scale_up: 4,
  scale_down_capped_by_throughput: 3,
  scale_down: 2,
  no_change: 1,
};

/** Reason for a final count vs the current one; `floorCapped` marks a scale-down cut short by the floor. */
export function finalReason(finalCount: number, current: number, floorCapped: boolean): LoadReason {
  if (finalCount > current) return "scale_up";
  if (finalCount < current) return floorCapped ? "scale_down_capped_by_throughput" : "scale_down";
  return floorCapped ? "scale_down_capped_by_throughput" : "no_change";
}

/**
 * Reason of the single-component and easy-agg flows (docs/planner.md#single-component-flow): a scale-down
 * raised above the rule's answer is "capped"; an unchanged count is always `no_change` (unlike the
 * disagg/agg-SLA rule above).
 */
export function singleReason(desired: number, current: number, original: number): LoadReason {
  if (desired < current) return desired > original ? "scale_down_capped_by_throughput" : "scale_down";
  return desired > current ? "scale_up" : "no_change";
}

/** Aggregate of the two disagg per-component reasons: scale_up > capped > scale_down > no_change. */
export function higherPriorityReason(a: LoadReason, b: LoadReason): LoadReason {
  return (REASON_PRIORITY[a] ?? 0) >= (REASON_PRIORITY[b] ?? 0) ? a : b;
}
