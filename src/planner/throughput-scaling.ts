// Throughput-based scaling (docs/planner.md#throughput-scaling): forecast next-window demand, size each
// component from its regression's best sustainable engine rate, and either set replica floors (load scaling
// on) or scale directly. The KV hit rate enters only the prefill side
// (`effective_isl = isl·(1 − clamp(hit))`): prefix hits remove prefill compute but cached blocks still occupy
// decode KV, so decode sizing uses the raw ISL.

import { applyGlobalBudget, applySingleBudget } from "./budget.js";
import { clampKvHitRate } from "./kv-hit-rate.js";
import { isUsableNumber, type PlannerState } from "./planner-state.js";
import type { ScalingDecision, TrafficObservation } from "./types.js";

export function advanceThroughput(state: PlannerState, traffic: TrafficObservation): ScalingDecision | null {
  const diag = state.diag;
  const predictors = state.predictors;
  if (!state.config.enableThroughputScaling || predictors === null) {
    diag.throughputDecisionReason = "disabled";
    return null;
  }
  let nextNumReq: number;
  let nextIsl: number;
  let nextOsl: number;
  try {
    nextNumReq = predictors.numReq.predictNext();
    nextIsl = predictors.isl.predictNext();
    nextOsl = predictors.osl.predictNext();
  } catch {
    diag.throughputDecisionReason = "predict_failed";
    return null;
  }
  diag.predictedNumReq = nextNumReq;
  diag.predictedIsl = nextIsl;
  diag.predictedOsl = nextOsl;
  if (traffic.durationS <= 0) {
    diag.throughputDecisionReason = "no_traffic_data";
    return null;
  }
  // Demand over the observed window length, not the configured interval.
  const demandRps = nextNumReq / traffic.durationS;
  let predictedHit: number | null;
  try {
    predictedHit = predictors.kvHitRate.predictNext();
  } catch {
    predictedHit = null;
  }
  diag.predictedKvHitRate = predictedHit;
  // Mixed mode: the smoothed forecast becomes the value load ticks discount by (stored unclamped).
  if (isUsableNumber(predictedHit)) state.lastKvHitRate = predictedHit;

  if (state.isAgg) return throughputAgg(state, demandRps, nextIsl, nextOsl, predictedHit);
  if (state.config.mode === "disagg")
    return throughputDisagg(state, demandRps, nextIsl, nextOsl, predictedHit);
  return throughputSingle(state, demandRps, nextIsl, nextOsl, predictedHit);
}

/** Prefill replicas for `demandRps` requests/s of `isl` tokens, discounted by the hit rate. Null = no model. */
export function computePrefillReplicas(
  state: PlannerState,
  demandRps: number,
  isl: number,
  kvHitRate: number | null,
): number | null {
  const model = state.models?.prefill ?? null;
  const effectiveIsl = isl * (1 - clampKvHitRate(kvHitRate));
  const mbt = state.capabilities.prefill?.maxNumBatchedTokens ?? 0;
  const engineRps =
    model === null ? 0 : model.findBestEnginePrefillRps(state.config.ttftMs, effectiveIsl, mbt).engineRps;
  if (!(engineRps > 0)) {
    state.diag.throughputDecisionReason = "model_not_ready";
    return null;
  }
  state.diag.engineRpsPrefill = engineRps;
  return Math.max(Math.ceil(demandRps / engineRps), state.config.minEndpoint);
}

/** Decode replicas: context `isl + osl/2` with the raw ISL (cache hits do not shrink decode KV). */
export function computeDecodeReplicas(
  state: PlannerState,
  demandRps: number,
  isl: number,
  osl: number,
): number | null {
  const model = state.models?.decode ?? null;
  const caps = state.capabilities.decode;
  const engineRps =
    model === null
      ? 0
      : model.findBestEngineDecodeRps(
          state.config.itlMs,
          isl + osl / 2,
          osl,
          caps?.maxKvTokens ?? null,
          caps?.maxNumSeqs ?? null,
        ).engineRps;
  if (!(engineRps > 0)) {
    state.diag.throughputDecisionReason = "model_not_ready";
    return null;
  }
  state.diag.engineRpsDecode = engineRps;
  return Math.max(Math.ceil(demandRps / engineRps), state.config.minEndpoint);
}

function throughputSingle(
  state: PlannerState,
  demandRps: number,
  isl: number,
  osl: number,
  kvHitRate: number | null,
): ScalingDecision | null {
  const isPrefill = state.config.mode === "prefill";
  const desired = isPrefill
    ? computePrefillReplicas(state, demandRps, isl, kvHitRate)
    : computeDecodeReplicas(state, demandRps, isl, osl);
  if (desired === null) return null;
  if (state.config.enableLoadScaling) {
    if (isPrefill) state.floorPrefill = desired;
    else state.floorDecode = desired;
    state.diag.throughputDecisionReason = "set_lower_bound";
    return null;
  }
  const numGpu = state.capabilities[isPrefill ? "prefill" : "decode"]?.numGpu;
  const final = applySingleBudget(desired, numGpu, state.limits);
  state.diag.throughputDecisionReason = "scale";
  return isPrefill ? { numPrefill: final, numDecode: null } : { numPrefill: null, numDecode: final };
}

function throughputDisagg(
  state: PlannerState,
  demandRps: number,
  isl: number,
  osl: number,
  kvHitRate: number | null,
): ScalingDecision | null {
  const diag = state.diag;
  const prefill = computePrefillReplicas(state, demandRps, isl, kvHitRate);
  const decode = computeDecodeReplicas(state, demandRps, isl, osl);
  if (prefill === null || decode === null) {
    // The aggregate reason stays model_not_ready, set by the failing computation.
    diag.throughputDecisionReasonPrefill = prefill === null ? "model_not_ready" : "partner_not_ready";
    diag.throughputDecisionReasonDecode = decode === null ? "model_not_ready" : "partner_not_ready";
    return null;
  }
  const reason = state.config.enableLoadScaling ? "set_lower_bound" : "scale";
  diag.throughputDecisionReasonPrefill = reason;
  diag.throughputDecisionReasonDecode = reason;
  diag.throughputDecisionReason = reason;
  if (state.config.enableLoadScaling) {
    state.floorPrefill = prefill;
    state.floorDecode = decode;
    return null;
  }
  const budgeted = applyGlobalBudget(
    prefill,
    decode,
    state.capabilities.prefill?.numGpu,
    state.capabilities.decode?.numGpu,
    state.limits,
  );
  return { numPrefill: budgeted.numPrefill, numDecode: budgeted.numDecode };
}

function throughputAgg(
  state: PlannerState,
  demandRps: number,
  isl: number,
  osl: number,
  kvHitRate: number | null,
): ScalingDecision | null {
  const diag = state.diag;
  const caps = state.capabilities.decode;
  const mbt = caps?.maxNumBatchedTokens ?? 0;
  const model = state.models?.agg ?? null;
  if (model === null || !(mbt > 0)) {
    diag.throughputDecisionReason = "model_not_ready";
    return null;
  }
  const { engineRps } = model.findBestEngineAggRps(
    isl,
    osl,
    mbt,
    state.config.ttftMs,
    state.config.itlMs,
    caps?.maxKvTokens ?? null,
    caps?.maxNumSeqs ?? null,
    kvHitRate,
  );
  if (!(engineRps > 0)) {
    diag.throughputDecisionReason = "model_not_ready";
    return null;
  }
  diag.engineRpsPrefill = engineRps;
  diag.engineRpsDecode = engineRps;
  const desired = Math.max(Math.ceil(demandRps / engineRps), state.config.minEndpoint);
  if (state.config.enableLoadScaling) {
    state.floorDecode = desired;
    diag.throughputDecisionReason = "set_lower_bound";
    return null;
  }
  diag.throughputDecisionReason = "scale";
  return { numPrefill: null, numDecode: applySingleBudget(desired, caps?.numGpu, state.limits) };
}
