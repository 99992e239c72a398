// Feeding observations into the planner state (docs/planner.md#one-tick, #sticky-kv-hit-rate).
//
// The sticky KV hit rate: load-only deployments discount by the raw last-window value; throughput-enabled
// ("mixed" or throughput-only) deployments feed the kv predictor instead and let the throughput tick promote its
// forecast. Null/NaN never overwrite the sticky value, so a scrape gap is never mistaken for "no reuse".

import { isUsableNumber, type PlannerState } from "./planner-state.js";
import type { FpmObservations, TrafficObservation } from "./types.js";

export function observeTraffic(state: PlannerState, traffic: TrafficObservation): void {
  const predictors = state.predictors;
  const throughputOn = state.config.enableThroughputScaling;
  // In load-only mode num_req/isl/osl are zero placeholders of a hit-rate-only scrape: not fed.
  if (throughputOn && predictors !== null) {
    predictors.numReq.addDataPoint(traffic.numReq);
    predictors.isl.addDataPoint(traffic.isl);
    predictors.osl.addDataPoint(traffic.osl);
  }
  if (!isUsableNumber(traffic.kvHitRate)) return;
  if (throughputOn) predictors?.kvHitRate.addDataPoint(traffic.kvHitRate);
  else state.lastKvHitRate = traffic.kvHitRate;
}

/**
 * Warm num_req/isl/osl from historical windows (SLA mode only; easy mode has no predictors). The kv predictor
 * is never warmed: a trace carries no hit rates. The idle skip is re-armed afterwards so post-deployment idle
 * zeros are dropped again.
 */
export function warmLoadPredictors(state: PlannerState, observations: readonly TrafficObservation[]): void {
  const predictors = state.predictors;
  if (state.isEasy || predictors === null) return;
  for (const obs of observations) {
    predictors.numReq.addDataPoint(obs.numReq);
    predictors.isl.addDataPoint(obs.isl);
    predictors.osl.addDataPoint(obs.osl);
  }
  predictors.numReq.resetIdleSkip();
  predictors.isl.resetIdleSkip();
  predictors.osl.resetIdleSkip();
}

/** SLA mode: every FPM in the maps trains its regression (re-added even when unchanged since last tick). */
export function observeFpm(state: PlannerState, obs: FpmObservations): void {
  const models = state.models;
  if (state.isEasy || models === null) return;
  if (models.agg !== null) {
    for (const fpm of obs.decode?.values() ?? []) models.agg.addObservation(fpm);
    return;
  }
  if (models.prefill !== null)
    for (const fpm of obs.prefill?.values() ?? []) models.prefill.addObservation(fpm);
  if (models.decode !== null) for (const fpm of obs.decode?.values() ?? []) models.decode.addObservation(fpm);
}
