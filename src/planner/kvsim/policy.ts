// The kvsim scaling policy (`scaling_policy: kvsim`, docs/planner.md#kvsim-policy). On every load tick it
// (1) feeds the traffic window to its demand estimator (arrival-counted, reuse-aware), (2) sizes each pool for
// the TTFT and ITL budgets (SLA × sla_headroom) from the planner's perf models — prefill against the arrival
// stream and the backlog projected over the engines' startup time, decode against Little's law and the requests
// active now — (3) applies min_endpoint and the GPU budget, and (4) passes scale-downs through a cooldown brake.
// The reference's regressions keep learning from the forward passes exactly as under the dynamo policy.

import { ITL_BUCKET_BOUNDS_MS } from "../../signals/latency-buckets.js";
import { applyGlobalBudget, applySingleBudget, budgetClamp } from "../budget.js";
import type { PlannerState } from "../planner-state.js";
import { createPredictor } from "../predictors/factory.js";
import type { BacklogObservations, FpmMap, ObservedItl, ScalingDecision, TickInput } from "../types.js";
import { sizeAgg } from "./agg-sizing.js";
import { sizeDecode } from "./decode-sizing.js";
import { DemandEstimator, type DemandForecast } from "./demand.js";
import type { KvsimPoolDiagnostics, KvsimPoolReason, KvsimTickDiagnostics } from "./diagnostics.js";
import { expectedBacklogMisses, SlaErrorBudget } from "./error-budget.js";
import { sizePrefill } from "./prefill-sizing.js";
import { ScaleDownGate } from "./scale-down-gate.js";

/** Traffic windows the demand estimate needs before it may move a pool (a backlog may move it sooner). */
const MIN_WINDOWS = 3;
/** Replica ceiling when no GPU budget applies. */
const UNBOUNDED_REPLICAS = 1024;
/** max_num_batched_tokens when the engines report none (the router's default). */
const DEFAULT_BATCHED_TOKENS = 8192;
/** max_num_seqs when the engines report none (vLLM's default). */
const DEFAULT_MAX_SEQS = 256;

export interface KvsimTickResult {
  readonly decision: ScalingDecision | null;
  readonly diagnostics: KvsimTickDiagnostics | null;
}

interface PoolPlan {
  /** Replicas that meet the SLA itself, and with headroom (≥ trigger). */
  readonly trigger: number;
  readonly comfort: number;
  /** A backlog would have scaled the pool up, but the error budget absorbs its misses. */
  readonly absorbed: boolean;
  /** Fewer than MIN_WINDOWS traffic windows seen: only a backlog may move the pool yet. */
  readonly cold: boolean;
  /** Demand is falling beyond noise: wait for it to settle and come down in one step. */
  readonly falling: boolean;
  readonly bindingTerm: string;
  readonly capped: boolean;
}

export class KvsimPolicy {
  private readonly demand: DemandEstimator;
  private readonly prefillGate: ScaleDownGate;
  private readonly decodeGate: ScaleDownGate;
  private readonly errorBudget: SlaErrorBudget;
  /** Finished requests whose mean ITL met the ITL SLA: tightens the ITL budget when behind. */
  private readonly itlErrorBudget: SlaErrorBudget;
  /** The decode tokens' mean ITL over recent ticks (calibrates the agg ITL model). */
  private readonly itlSeen = new RecentItl();

  constructor(state: PlannerState) {
    const c = state.config;
    this.demand = new DemandEstimator(
      c.loadPredictor,
      {
        log1p: c.loadPredictorLog1p,
        kalmanQLevel: c.kalmanQLevel,
        kalmanQTrend: c.kalmanQTrend,
        kalmanR: c.kalmanR,
        kalmanMinPoints: c.kalmanMinPoints,
        windowSize: c.prophetWindowSize,
      },
      createPredictor,
      c.kvHitRateAwareness,
    );
    this.prefillGate = new ScaleDownGate(c.scaleDownCooldownS);
    this.decodeGate = new ScaleDownGate(c.scaleDownCooldownS);
    this.errorBudget = new SlaErrorBudget(c.slaAttainmentTarget, c.ttftMs);
    this.itlErrorBudget = new SlaErrorBudget(c.slaAttainmentTarget, c.itlMs, ITL_BUCKET_BOUNDS_MS);
  }

  /** One load tick: observe, size, brake. The state's FPM regressions are trained by the caller first. */
  onLoadTick(state: PlannerState, input: TickInput): KvsimTickResult {
    const traffic = input.traffic ?? null;
    if (traffic !== null) {
      this.demand.observe(traffic);
      if (traffic.ttftBucketCounts !== undefined) this.errorBudget.observe(traffic.ttftBucketCounts);
      if (traffic.itlBucketCounts !== undefined) this.itlErrorBudget.observe(traffic.itlBucketCounts);
    }
    this.itlSeen.observe(input.observedItl ?? null);
    const horizonS = this.forecastHorizonS(state);
    const forecast = this.demand.forecast(horizonS, horizonS + state.config.scaleDownCooldownS / 4);
    const models = state.models;
    if (models === null || !(forecast.isl > 0) || !(forecast.osl > 0))
      return { decision: null, diagnostics: null };
    const backlog = input.backlog ?? { prefill: null, decode: null };
    const fpm = input.fpmObservations ?? { prefill: null, decode: null };
    return state.isAgg
      ? this.tickAgg(state, input.nowS, forecast, backlog, fpm.decode)
      : this.tickDisagg(state, input.nowS, forecast, backlog, fpm.decode);
  }

  private tickDisagg(
    state: PlannerState,
    nowS: number,
    forecast: DemandForecast,
    backlog: BacklogObservations,
    decodeFpms: FpmMap | null,
  ): KvsimTickResult {
    const c = state.config;
    const prefillModel = state.models?.prefill ?? null;
    const decodeModel = state.models?.decode ?? null;
    if (
      prefillModel === null ||
      decodeModel === null ||
      !prefillModel.isFitted() ||
      !decodeModel.isFitted()
    ) {
      return { decision: null, diagnostics: null };
    }
    const pCaps = state.capabilities.prefill ?? {};
    const dCaps = state.capabilities.decode ?? {};
    const { quantile, headroom } = this.planningTargets(
      c.slaAttainmentTarget,
      c.slaHeadroom,
      forecast.rising,
    );
    const prefillNow = poolCounts(state, "prefill");
    const decodeNow = poolCounts(state, "decode");
    const prefillBacklog = prefillBacklogTokens(backlog.prefill, forecast);
    const decodeActive = activeDecodeRequests(decodeFpms, backlog.decode);
    const mbt = positiveOr(pCaps.maxNumBatchedTokens, DEFAULT_BATCHED_TOKENS);
    const pMax = maxReplicas(state, pCaps.numGpu);
    const dMax = maxReplicas(state, dCaps.numGpu);
    const sizePrefillAt = (headroom: number, backlogTokens: number, ratePerS = forecast.arrivalRatePerS) =>
      sizePrefill({
        passSeconds: (t) => prefillModel.predictPassSeconds(t) ?? Number.POSITIVE_INFINITY,
        maxBatchedTokens: mbt,
        arrivalRatePerS: ratePerS,
        uncachedTokensPerRequest: forecast.isl * (1 - forecast.appliedKvHitRate),
        backlogUncachedTokens: backlogTokens,
        readyReplicas: prefillNow.ready,
        startupS: positiveOr(pCaps.startupTimeS, 0),
        ttftBudgetS: (c.ttftMs * headroom) / 1000,
        quantile,
        variability: (forecast.arrivalScv + 1) / 2,
        minReplicas: c.minEndpoint,
        maxReplicas: pMax,
      });
    const sizeDecodeAt = (headroom: number, ratePerS = forecast.arrivalRatePerS) =>
      sizeDecode({
        passSeconds: (n, kv) => decodeModel.predictPassSeconds(n, kv) ?? Number.POSITIVE_INFINITY,
        maxBatch: positiveOr(dCaps.maxNumSeqs, DEFAULT_MAX_SEQS),
        maxKvTokens: dCaps.maxKvTokens ?? null,
        arrivalRatePerS: ratePerS,
        isl: forecast.isl,
        osl: forecast.osl,
        activeRequests: decodeActive,
        itlBudgetS: (c.itlMs * headroom * this.itlTightening()) / 1000,
        quantile,
        arrivalVariability: forecast.arrivalScv,
        minReplicas: c.minEndpoint,
        maxReplicas: dMax,
      });
    const budget = (prefillReplicas: number, decodeReplicas: number) =>
      applyGlobalBudget(
        Math.max(prefillReplicas, c.minEndpoint),
        Math.max(decodeReplicas, c.minEndpoint),
        pCaps.numGpu,
        dCaps.numGpu,
        state.limits,
      );
    const prefill = sizePrefillAt(headroom, prefillBacklog.tokens, forecast.comfortRatePerS);
    const decode = sizeDecodeAt(headroom, forecast.comfortRatePerS);
    const atSla = sizePrefillAt(1, prefillBacklog.tokens);
    const misses = expectedBacklogMisses({
      capacityTokensPerS: prefillNow.ready * atSla.capacityTokensPerS,
      demandTokensPerS: forecast.arrivalRatePerS * forecast.isl * (1 - forecast.appliedKvHitRate),
      arrivalRatePerS: forecast.arrivalRatePerS,
      backlogTokens: prefillBacklog.tokens,
      backlogRequests: prefillBacklog.requests,
      waitBudgetS: c.ttftMs / 1000 - atSla.ownPrefillS,
    });
    const absorbed = this.errorBudget.canAbsorb(misses);
    const prefillTrigger = absorbed ? sizePrefillAt(1, 0) : atSla;
    const decodeTrigger = sizeDecodeAt(1);
    const comfort = budget(prefill.replicas, decode.replicas);
    const trigger = budget(prefillTrigger.replicas, decodeTrigger.replicas);
    const p = this.gate(this.prefillGate, nowS, prefillNow, {
      trigger: trigger.numPrefill,
      comfort: comfort.numPrefill,
      bindingTerm: prefill.bindingTerm,
      capped: prefill.capped || comfort.numPrefill < prefill.replicas,
      absorbed: absorbed && atSla.replicas > prefillNow.ordered,
      cold: forecast.windows < MIN_WINDOWS,
      falling: forecast.falling,
    });
    const d = this.gate(this.decodeGate, nowS, decodeNow, {
      trigger: trigger.numDecode,
      comfort: comfort.numDecode,
      bindingTerm: decode.bindingTerm,
      capped: comfort.numDecode < decode.replicas,
      absorbed: false,
      cold: forecast.windows < MIN_WINDOWS,
      falling: forecast.falling,
    });
    const changed = p.target !== p.current || d.target !== d.current;
    const decodeItl = decodeModel.predictPassSeconds(
      Math.max(1, decodeActive / Math.max(1, decodeNow.ready)),
      Math.max(1, decodeActive / Math.max(1, decodeNow.ready)) * (forecast.isl + forecast.osl / 2),
    );
    return {
      decision: changed ? { numPrefill: p.target, numDecode: d.target } : null,
      diagnostics: {
        ...signalDiagnostics(forecast, prefillBacklog, decodeActive),
        ...this.budgetDiagnostics(misses),
        estimatedTtftMs: finiteMs(prefill.estimatedTtftS),
        estimatedItlMs: decodeItl === null ? null : finiteMs(decodeItl),
        prefill: p,
        decode: d,
      },
    };
  }

  private tickAgg(
    state: PlannerState,
    nowS: number,
    forecast: DemandForecast,
    backlog: BacklogObservations,
    fpms: FpmMap | null,
  ): KvsimTickResult {
    const c = state.config;
    const model = state.models?.agg ?? null;
    if (model === null || !model.isFitted()) return { decision: null, diagnostics: null };
    const caps = state.capabilities.decode ?? {};
    const now = poolCounts(state, "decode");
    const { quantile, headroom } = this.planningTargets(
      c.slaAttainmentTarget,
      c.slaHeadroom,
      forecast.rising,
    );
    const prefillBacklog = prefillBacklogTokens(backlog.decode, forecast);
    const active = activeDecodeRequests(fpms, null);
    const sizeAt = (headroom: number, backlogTokens: number, ratePerS = forecast.arrivalRatePerS) =>
      sizeAgg({
        passSeconds: (t, kv) => model.predictPassSeconds(t, kv) ?? Number.POSITIVE_INFINITY,
        maxBatchedTokens: positiveOr(caps.maxNumBatchedTokens, DEFAULT_BATCHED_TOKENS),
        maxBatch: positiveOr(caps.maxNumSeqs, DEFAULT_MAX_SEQS),
        maxKvTokens: caps.maxKvTokens ?? null,
        arrivalRatePerS: ratePerS,
        isl: forecast.isl,
        osl: forecast.osl,
        uncachedTokensPerRequest: forecast.isl * (1 - forecast.appliedKvHitRate),
        backlogUncachedTokens: backlogTokens,
        activeRequests: active,
        readyReplicas: now.ready,
        startupS: positiveOr(caps.startupTimeS, 0),
        ttftBudgetS: (c.ttftMs * headroom) / 1000,
        // The mean ITL a decoding token sees is held to the SLA itself (no headroom): per-request mean ITLs
        // spread around it, and the ITL error budget tightens it when requests start to miss.
        itlBudgetS: (c.itlMs * this.itlTightening()) / 1000,
        concurrencyItlS: c.itlMs / 1000,
        observedMeanItlS: this.itlSeen.meanS(),
        quantile,
        variability: (forecast.arrivalScv + 1) / 2,
        arrivalVariability: forecast.arrivalScv,
        minReplicas: c.minEndpoint,
        maxReplicas: maxReplicas(state, caps.numGpu),
      });
    // Finished requests missing the ITL SLA (their mean ITL is a per-request tail the token-mean model cannot
    // see: short outputs beside long prefills): up to half again as many engines, so fewer decode beside each one.
    const itlBump = 1 + 0.5 * this.itlErrorBudget.pressure;
    const budget = (replicas: number) =>
      applySingleBudget(Math.max(Math.ceil(replicas * itlBump), c.minEndpoint), caps.numGpu, state.limits);
    const sizing = sizeAt(headroom, prefillBacklog.tokens, forecast.comfortRatePerS);
    const comfort = budget(sizing.replicas);
    const atSla = sizeAt(1, prefillBacklog.tokens);
    const misses = expectedBacklogMisses({
      capacityTokensPerS: atSla.readyCapacityTokensPerS,
      demandTokensPerS: forecast.arrivalRatePerS * forecast.isl * (1 - forecast.appliedKvHitRate),
      arrivalRatePerS: forecast.arrivalRatePerS,
      backlogTokens: prefillBacklog.tokens,
      backlogRequests: prefillBacklog.requests,
      waitBudgetS: c.ttftMs / 1000 - atSla.readyOwnPrefillS,
    });
    const absorbed = this.errorBudget.canAbsorb(misses);
    const d = this.gate(this.decodeGate, nowS, now, {
      trigger: budget((absorbed ? sizeAt(1, 0) : atSla).replicas),
      comfort,
      bindingTerm: sizing.bindingTerm,
      capped: sizing.capped || comfort < sizing.replicas,
      absorbed: absorbed && atSla.replicas > now.ordered,
      cold: forecast.windows < MIN_WINDOWS,
      falling: forecast.falling,
    });
    return {
      decision: d.target !== d.current ? { numPrefill: null, numDecode: d.target } : null,
      diagnostics: {
        ...signalDiagnostics(forecast, prefillBacklog, active),
        ...this.budgetDiagnostics(misses),
        estimatedTtftMs: finiteMs(sizing.estimatedTtftS),
        estimatedItlMs: finiteMs(sizing.estimatedItlS),
        prefill: null,
        decode: d,
      },
    };
  }

  /**
   * The share of requests and the SLA headroom to size for, steered by the error budget: tightened as the observed
   * attainment falls behind the target (up to the 99th percentile and 70 % of the headroom at full pressure), so a
   * run that has started to miss buys its way back; eased while there is slack to spend and demand is not rising
   * (down to the 90th percentile and the SLA itself), so the run's attainment settles near its target instead of
   * far above it.
   */
  private planningTargets(
    quantile: number,
    headroom: number,
    rising: boolean,
  ): { quantile: number; headroom: number } {
    const p = this.errorBudget.pressure;
    if (p > 0) {
      return {
        quantile: quantile >= 0.99 ? quantile : quantile + (0.99 - quantile) * p,
        headroom: headroom * (1 - 0.3 * p),
      };
    }
    const e = rising ? 0 : this.errorBudget.ease;
    return {
      quantile: quantile <= 0.9 ? quantile : quantile - (quantile - 0.9) * e,
      headroom: headroom + (1 - headroom) * e,
    };
  }

  /** The ITL budget's share of the ITL SLA: 1 while requests' mean ITLs meet the target, down to 0.7 behind it. */
  private itlTightening(): number {
    return 1 - 0.3 * this.itlErrorBudget.pressure;
  }

  /** How far ahead demand is sized: the slowest pool's startup time plus one load interval. */
  private forecastHorizonS(state: PlannerState): number {
    const caps = state.capabilities;
    const startup = Math.max(
      positiveOr(caps.prefill?.startupTimeS, 0),
      positiveOr(caps.decode?.startupTimeS, 0),
    );
    return startup > 0 ? startup + state.config.loadAdjustmentIntervalS : 0;
  }

  private budgetDiagnostics(
    misses: number,
  ): Pick<KvsimTickDiagnostics, "observedTtftAttainment" | "slackRequests" | "backlogExpectedMisses"> {
    return {
      observedTtftAttainment: this.errorBudget.attainment,
      slackRequests: this.errorBudget.slackRequests,
      backlogExpectedMisses: Number.isFinite(misses) ? misses : null,
    };
  }

  private gate(gate: ScaleDownGate, nowS: number, now: PoolCounts, plan: PoolPlan): KvsimPoolDiagnostics {
    if (plan.cold && plan.bindingTerm !== "backlog") {
      return {
        current: now.ordered,
        required: Math.max(plan.trigger, plan.comfort),
        target: now.ordered,
        bindingTerm: plan.bindingTerm,
        reason: "insufficient_data",
      };
    }
    const verdict = gate.decide(
      nowS,
      now.ordered,
      plan.trigger,
      plan.comfort,
      plan.bindingTerm === "backlog",
    );
    let reason: KvsimPoolReason = verdict.reason;
    if (plan.capped && verdict.target >= now.ordered) reason = "capped_by_budget";
    else if (plan.absorbed && verdict.target <= now.ordered) reason = "backlog_absorbed";
    return {
      current: now.ordered,
      required: Math.max(plan.trigger, plan.comfort),
      target: verdict.target,
      bindingTerm: plan.bindingTerm,
      reason,
    };
  }
}

/** Token-weighted mean of the decode ITL the engines delivered over the last 12 ticks (a minute at 5 s). */
class RecentItl {
  private readonly weighted: number[] = [];
  private readonly tokens: number[] = [];

  observe(itl: ObservedItl | null): void {
    this.weighted.push(itl === null ? 0 : itl.meanS * itl.tokens);
    this.tokens.push(itl === null ? 0 : itl.tokens);
    if (this.weighted.length > 12) {
      this.weighted.shift();
      this.tokens.shift();
    }
  }

  /** Null before any decode token. */
  meanS(): number | null {
    let w = 0;
    let t = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      w += this.weighted[i] as number;
      t += this.tokens[i] as number;
    }
    return t > 0 ? w / t : null;
  }
}

interface PoolCounts {
  /** Serving now. */
  readonly ready: number;
  /** As ordered: the pending target while a scaling is in progress, else the ready count. */
  readonly ordered: number;
}

function poolCounts(state: PlannerState, component: "prefill" | "decode"): PoolCounts {
  const inv = state.inventory;
  const ready = inv.ready(component);
  const expected = component === "prefill" ? inv.expectedPrefill : inv.expectedDecode;
  return { ready, ordered: expected ?? ready };
}

/** The most replicas of one pool the GPU budget allows on its own (no budget: a large ceiling). */
function maxReplicas(state: PlannerState, gpusPerReplica: number | null | undefined): number {
  const limits = state.limits;
  if (limits.maxGpuBudget < 0 || gpusPerReplica === null || gpusPerReplica === undefined)
    return UNBOUNDED_REPLICAS;
  return Math.max(limits.minEndpoint, budgetClamp(UNBOUNDED_REPLICAS, gpusPerReplica, limits));
}

/**
 * Uncached prompt tokens waiting for prefill. With awareness off nothing is discounted. With it on, prompts
 * still in the router are discounted by the applied hit rate; prompts already on an engine lose the overlap the
 * KV router predicted for that engine — or, when the router predicts none (round robin), the applied hit rate.
 */
function prefillBacklogTokens(
  backlog: BacklogObservations["prefill"],
  forecast: DemandForecast,
): { tokens: number; requests: number } {
  if (backlog === null) return { tokens: 0, requests: 0 };
  const requests = backlog.routerQueuedRequests + backlog.enginePrefillRequests;
  const hit = forecast.appliedKvHitRate;
  if (hit === 0)
    return { tokens: backlog.routerQueuedPromptTokens + backlog.enginePrefillPromptTokens, requests };
  const routerPredicts = forecast.routerKvHitRate !== null && forecast.routerKvHitRate > 0;
  const engine = routerPredicts
    ? backlog.enginePrefillUncachedTokens
    : backlog.enginePrefillPromptTokens * (1 - hit);
  return { tokens: backlog.routerQueuedPromptTokens * (1 - hit) + engine, requests };
}

/** Requests decoding or waiting to decode (FPM scheduled + queued per engine, plus the decode router's queue). */
function activeDecodeRequests(fpms: FpmMap | null, decodeBacklog: BacklogObservations["decode"]): number {
  let n = decodeBacklog?.routerQueuedRequests ?? 0;
  if (fpms !== null) {
    for (const f of fpms.values()) {
      n += f.scheduled.numDecodeRequests + f.scheduled.numPrefillRequests;
      n += f.queued.numPrefillRequests + f.queued.numDecodeRequests;
    }
  }
  return n;
}

function signalDiagnostics(
  forecast: DemandForecast,
  backlog: { tokens: number; requests: number },
  decodeActive: number,
): Omit<
  KvsimTickDiagnostics,
  | "estimatedTtftMs"
  | "estimatedItlMs"
  | "prefill"
  | "decode"
  | "observedTtftAttainment"
  | "slackRequests"
  | "backlogExpectedMisses"
> {
  return {
    arrivalRatePerS: forecast.arrivalRatePerS,
    predictedArrivalRatePerS: forecast.predictedRatePerS,
    isl: forecast.isl,
    osl: forecast.osl,
    arrivalScv: forecast.arrivalScv,
    engineKvHitRate: forecast.engineKvHitRate,
    routerKvHitRate: forecast.routerKvHitRate,
    appliedKvHitRate: forecast.appliedKvHitRate,
    prefillBacklogTokens: backlog.tokens,
    prefillBacklogRequests: backlog.requests,
    decodeActiveRequests: decodeActive,
  };
}

function positiveOr(value: number | null | undefined, fallback: number): number {
  return value !== null && value !== undefined && value > 0 ? value : fallback;
}

function finiteMs(seconds: number): number | null {
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}
