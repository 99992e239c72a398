// Aggregated load scaling (docs/planner.md#aggregated-flow). Agg workers live in the decode slot: one engine
// type whose passes mix prefill chunks and decode steps, so both a TTFT and an ITL sub-decision are combined
// into one count.

import { applySingleBudget } from "./budget.js";
import { easyAggDecision } from "./easy-mode.js";
import { fpmMatchesWorkerCount } from "./inventory.js";
import { slaScaleDecision } from "./load-decision.js";
import { finalReason, singleReason } from "./load-reasons.js";
import type { PlannerState } from "./planner-state.js";
import type { FpmMap, ScalingDecision } from "./types.js";

export function advanceAggLoad(state: PlannerState, fpms: FpmMap | null): ScalingDecision | null {
  const diag = state.diag;
  if (fpms === null || fpms.size === 0) {
    diag.loadDecisionReason = "no_fpm_data";
    return null;
  }
  if (state.inventory.scalingInProgress("decode")) {
    diag.loadDecisionReason = "scaling_in_progress";
    return null;
  }
  const current = state.inventory.numDecode;
  if (!fpmMatchesWorkerCount(fpms, current)) {
    diag.loadDecisionReason = "worker_count_mismatch";
    return null;
  }
  return state.isEasy ? easyAgg(state, fpms, current) : slaAgg(state, fpms, current);
}

/** Raise to min_endpoint, then to the decode floor (throughput on), then clamp to the budget. */
function floorAndBudget(state: PlannerState, desired: number): number {
  desired = Math.max(desired, state.config.minEndpoint);
  if (state.config.enableThroughputScaling) desired = Math.max(desired, state.floorDecode);
  return applySingleBudget(desired, state.capabilities.decode?.numGpu, state.limits);
}

/** Easy agg: emitted even when unchanged (like the single-component flow). */
function easyAgg(state: PlannerState, fpms: FpmMap, current: number): ScalingDecision | null {
  const desired = easyAggDecision(state, fpms, current);
  if (desired === null) return null;
  const final = floorAndBudget(state, desired);
  state.diag.loadDecisionReason = singleReason(final, current, desired);
  return { numPrefill: null, numDecode: final };
}

function slaAgg(state: PlannerState, fpms: FpmMap, current: number): ScalingDecision | null {
  const diag = state.diag;
  const model = state.models?.agg ?? null;
  if (model === null || !model.hasSufficientData()) {
    diag.loadDecisionReason = "insufficient_data";
    return null;
  }
  // Prefill sub-decision: needs the batch size to chunk the queued prompts.
  const mbt = state.capabilities.decode?.maxNumBatchedTokens ?? 0;
  let prefillWants: number | null = null;
  if (mbt > 0) {
    const ttftMs: number[] = [];
    for (const fpm of fpms.values()) {
      const s = model.estimateNextTtft(
        fpm.queued.sumPrefillTokens,
        mbt,
        fpm.scheduled.sumDecodeKvTokens,
        state.lastKvHitRate,
      );
      if (s !== null) ttftMs.push(s * 1000);
    }
    if (ttftMs.length > 0) diag.estimatedTtftMs = Math.max(...ttftMs);
    prefillWants = slaScaleDecision(state, ttftMs, state.config.ttftMs, current);
  }
  const itlMs: number[] = [];
  for (const fpm of fpms.values()) {
    const s = model.estimateNextItl(fpm.scheduled.sumDecodeKvTokens, fpm.queued.sumDecodeKvTokens);
    if (s !== null) itlMs.push(s * 1000);
  }
  if (itlMs.length > 0) diag.estimatedItlMs = Math.max(...itlMs);
  const decodeWants = slaScaleDecision(state, itlMs, state.config.itlMs, current);

  const original = combineAgg(prefillWants, decodeWants, current);
  const desired = floorAndBudget(state, original);
  const floorCapped = desired > original && original < current;
  diag.loadDecisionReason = finalReason(desired, current, floorCapped);
  if (desired === current) return null;
  return { numPrefill: null, numDecode: desired };
}

/**
 * Combine the TTFT (P) and ITL (D) sub-decisions. Quirk kept from the reference: P is null both when the
 * prefill signal is unavailable and when it sat inside its dead band, so a decode-only scale-down also happens
 * while prefill is merely "no change".
 */
export function combineAgg(prefillWants: number | null, decodeWants: number | null, current: number): number {
  const p = prefillWants;
  const d = decodeWants;
  if (p !== null && p > current) return p;
  if (d !== null && d > current) return d;
  if (p === null && d !== null && d < current) return d;
  if (p !== null && d !== null && p < current && d < current) return Math.max(p, d);
  return current;
}
