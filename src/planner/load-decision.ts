// SLA-mode load decisions (docs/planner.md#sla-load-rule, #the-kv-reuse-discount): per-engine TTFT/ITL
// estimates from the regressions and the ±1 dead-band rule. The KV hit rate discounts only the prefill
// estimate (cache hits do not shrink decode KV).

import { easyDecodeDecision, easyPrefillDecision } from "./easy-mode.js";
import type { Component } from "./inventory.js";
import type { PlannerState } from "./planner-state.js";
import type { FpmMap } from "./types.js";

/**
 * The dead band `[sla·sensitivity, sla]`, strict on both sides: ALL estimates above the SLA → N + 1; N > 1 and
 * ALL below `sla·sensitivity` → max(N − 1, min_endpoint); otherwise no change (null). No estimates → null.
 */
export function slaScaleDecision(
  state: PlannerState,
  estimatesMs: readonly number[],
  slaMs: number,
  numWorkers: number,
): number | null {
  if (estimatesMs.length === 0) {
    state.diag.loadDecisionReason = "insufficient_data";
    return null;
  }
  const sensitivity = state.config.loadScalingDownSensitivityPct / 100;
  if (estimatesMs.every((e) => e > slaMs)) return numWorkers + 1;
  if (numWorkers > 1 && estimatesMs.every((e) => e < slaMs * sensitivity)) {
    return Math.max(numWorkers - 1, state.config.minEndpoint);
  }
  state.diag.loadDecisionReason = "no_change";
  return null;
}

/** Prefill: estimated TTFT of a request arriving now at each engine, vs the `ttft` SLA. */
export function slaPrefillDecision(state: PlannerState, fpms: FpmMap, numWorkers: number): number | null {
  const model = state.models?.prefill ?? null;
  const mbt = state.capabilities.prefill?.maxNumBatchedTokens ?? 0;
  if (model === null || !model.hasSufficientData() || numWorkers <= 0 || !(mbt > 0)) {
    state.diag.loadDecisionReason = "insufficient_data";
    return null;
  }
  const estimatesMs: number[] = [];
  for (const fpm of fpms.values()) {
    const ttftS = model.estimateNextTtft(fpm.queued.sumPrefillTokens, mbt, state.lastKvHitRate);
    if (ttftS !== null) estimatesMs.push(ttftS * 1000);
  }
  if (estimatesMs.length > 0) state.diag.estimatedTtftMs = Math.max(...estimatesMs);
  return slaScaleDecision(state, estimatesMs, state.config.ttftMs, numWorkers);
}

/** Decode: estimated ITL of the next pass at each engine (no KV-hit discount), vs the `itl` SLA. */
export function slaDecodeDecision(state: PlannerState, fpms: FpmMap, numWorkers: number): number | null {
  const model = state.models?.decode ?? null;
  if (model === null || !model.hasSufficientData() || numWorkers <= 0) {
    state.diag.loadDecisionReason = "insufficient_data";
    return null;
  }
  const estimatesMs: number[] = [];
  for (const fpm of fpms.values()) {
    const itlS = model.estimateNextItl(fpm.scheduled.sumDecodeKvTokens, fpm.queued.sumDecodeKvTokens);
    if (itlS !== null) estimatesMs.push(itlS * 1000);
  }
  if (estimatesMs.length > 0) state.diag.estimatedItlMs = Math.max(...estimatesMs);
  return slaScaleDecision(state, estimatesMs, state.config.itlMs, numWorkers);
}

/** One component's load rule, easy or SLA. Null = no opinion (reason already recorded). */
export function componentLoadDecision(
  state: PlannerState,
  component: Component,
  fpms: FpmMap,
  numWorkers: number,
): number | null {
  if (component === "prefill") {
    return state.isEasy
      ? easyPrefillDecision(state, fpms, numWorkers)
      : slaPrefillDecision(state, fpms, numWorkers);
  }
  return state.isEasy
    ? easyDecodeDecision(state, fpms, numWorkers)
    : slaDecodeDecision(state, fpms, numWorkers);
}
