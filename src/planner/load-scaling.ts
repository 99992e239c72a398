// Load-based scaling flows (docs/planner.md#load-scaling): guards, the per-component load rule, the
// throughput floor, min_endpoint and the GPU budget, and the reason vocabulary. The agg flow is in
// load-scaling-agg.ts.
//
// The load rule itself moves at most ±1 replica; the floor, min_endpoint and the budget applied afterwards can
// move the result further (e.g. 1 → 7 under a throughput floor of 7).

import { applyGlobalBudget, applySingleBudget } from "./budget.js";
import { fpmMatchesWorkerCount } from "./inventory.js";
import { componentLoadDecision } from "./load-decision.js";
import { finalReason, higherPriorityReason, singleReason } from "./load-reasons.js";
import { advanceAggLoad } from "./load-scaling-agg.js";
import type { PlannerState } from "./planner-state.js";
import type { FpmMap, FpmObservations, LoadReason, ScalingDecision } from "./types.js";

export function advanceLoad(state: PlannerState, obs: FpmObservations): ScalingDecision | null {
  if (!state.config.enableLoadScaling) {
    state.diag.loadDecisionReason = "disabled";
    return null;
  }
  if (state.isAgg) return advanceAggLoad(state, obs.decode);
  if (state.config.mode === "disagg") return advanceDisaggLoad(state, obs);
  return advanceSingleLoad(state, obs);
}

/** Mode `prefill` or `decode`: one component; the decision is emitted even when it equals the current count. */
function advanceSingleLoad(state: PlannerState, obs: FpmObservations): ScalingDecision | null {
  const component = state.config.mode === "prefill" ? "prefill" : "decode";
  const diag = state.diag;
  if (state.inventory.scalingInProgress(component)) {
    diag.loadDecisionReason = "scaling_in_progress";
    return null;
  }
  const fpms = component === "prefill" ? obs.prefill : obs.decode;
  if (fpms === null || fpms.size === 0) {
    diag.loadDecisionReason = "no_fpm_data";
    return null;
  }
  const current = state.inventory.ready(component);
  if (!fpmMatchesWorkerCount(fpms, current)) {
    diag.loadDecisionReason = "worker_count_mismatch";
    return null;
  }
  let desired = componentLoadDecision(state, component, fpms, current);
  // Unlike disagg/agg, no floor is applied when the rule has no opinion.
  if (desired === null) return null;
  const original = desired;
  if (state.config.enableThroughputScaling) {
    desired = Math.max(desired, component === "prefill" ? state.floorPrefill : state.floorDecode);
  }
  desired = applySingleBudget(desired, state.capabilities[component]?.numGpu, state.limits);
  diag.loadDecisionReason = singleReason(desired, current, original);
  return component === "prefill"
    ? { numPrefill: desired, numDecode: null }
    : { numPrefill: null, numDecode: desired };
}

/** Disaggregated: both components, floors, min_endpoint, one joint budget; null when nothing changes. */
function advanceDisaggLoad(state: PlannerState, obs: FpmObservations): ScalingDecision | null {
  const diag = state.diag;
  const prefillFpms: FpmMap | null = obs.prefill !== null && obs.prefill.size > 0 ? obs.prefill : null;
  const decodeFpms: FpmMap | null = obs.decode !== null && obs.decode.size > 0 ? obs.decode : null;
  const setAll = (reason: LoadReason): void => {
    diag.loadDecisionReason = reason;
    diag.loadDecisionReasonPrefill = reason;
    diag.loadDecisionReasonDecode = reason;
  };
  if (prefillFpms === null && decodeFpms === null) {
    setAll("no_fpm_data");
    return null;
  }
  const currentP = state.inventory.numPrefill;
  const currentD = state.inventory.numDecode;
  if (
    (prefillFpms !== null && !fpmMatchesWorkerCount(prefillFpms, currentP)) ||
    (decodeFpms !== null && !fpmMatchesWorkerCount(decodeFpms, currentD))
  ) {
    setAll("worker_count_mismatch");
    return null;
  }
  const desiredP =
    prefillFpms === null ? null : componentLoadDecision(state, "prefill", prefillFpms, currentP);
  const desiredD = decodeFpms === null ? null : componentLoadDecision(state, "decode", decodeFpms, currentD);
  const originalP = desiredP ?? currentP;
  const originalD = desiredD ?? currentD;
  let finalP = originalP;
  let finalD = originalD;
  if (state.config.enableThroughputScaling) {
    finalP = Math.max(finalP, state.floorPrefill);
    finalD = Math.max(finalD, state.floorDecode);
  }
  const postFloorP = finalP;
  const postFloorD = finalD;
  const { minEndpoint } = state.config;
  const budgeted = applyGlobalBudget(
    Math.max(finalP, minEndpoint),
    Math.max(finalD, minEndpoint),
    state.capabilities.prefill?.numGpu,
    state.capabilities.decode?.numGpu,
    state.limits,
  );
  finalP = budgeted.numPrefill;
  finalD = budgeted.numDecode;
  const reasonP = finalReason(finalP, currentP, postFloorP > originalP && originalP < currentP);
  const reasonD = finalReason(finalD, currentD, postFloorD > originalD && originalD < currentD);
  diag.loadDecisionReasonPrefill = reasonP;
  diag.loadDecisionReasonDecode = reasonD;
  diag.loadDecisionReason = higherPriorityReason(reasonP, reasonD);
  if (finalP === currentP && finalD === currentD) return null;
  return { numPrefill: finalP, numDecode: finalD };
}
