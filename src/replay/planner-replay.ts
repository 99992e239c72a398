// The planner in the loop of a replay (docs/design.md#the-planner-loop): the adapter that drives a simulation
// tick by tick through the planner state machine and applies its decisions at each tick's virtual time.
//
//   tick = initialTick(0)
//   loop: advance the simulation to tick.at  → done? stop (that tick is not processed)
//         build the TickInput (worker counts with pending targets as `expected`, FPM caches pruned to the active
//         count, traffic drained only when the tick asks) → onTick → record diagnostics, KV usage, GPU-hours
//         → clear reached targets → apply scale_to, log scaling events → tick = effects.nextTick
//
// now_s is the time of the last simulated event at or before the tick (upstream's bridge reports that, so the
// next tick is scheduled from it and drift accumulates). When no event ran since the previous tick the
// simulation's clock — moved to the tick across the idle gap — is used instead; otherwise an idle gap longer than
// the load interval would reschedule the same tick forever.
//
// The config's `advisory` flag is not consulted: upstream's replay forces it on and still applies every decision.

import {
  isCompletePlannerConfig,
  type PlannerConfig,
  type PlannerConfigInput,
  resolvePlannerConfig,
} from "../planner/config.js";
import {
  countReplicaTransitions,
  DiagnosticsRecorder,
  type ObservedTraffic,
} from "../planner/diagnostics-recorder.js";
import { clampKvHitRate } from "../planner/kv-hit-rate.js";
import type { KvTierDiscount } from "../planner/kv-tier-discount.js";
import { PlannerStateMachine, type WarmupWindow } from "../planner/state-machine.js";
import type {
  ForwardPassMetrics,
  FpmObservations,
  PlannerEffects,
  ScheduledTick,
  TickInput,
  TrafficObservation,
  WorkerCapabilities,
} from "../planner/types.js";
import { tieredBytesPerToken } from "../report/kv-tiers.js";
import type {
  KvUtilisationJson,
  PlannerSection,
  PolicyJson,
  ScalingEvent,
  TickExtras,
} from "../report/planner-result.js";
import type { ClusterOptions } from "../sim/cluster/cluster-options.js";
import type { StageCounts } from "../sim/cluster/cluster-simulation.js";
import { tierConfigOf } from "../sim/engine/kv-tiers.js";
import { passTimeModelFromArgs } from "../sim/engine/pass-time-arg.js";
import { InputError, inputErrorAt } from "../util/errors.js";
import { type BenchmarkFpms, benchmarkFpmsFor, DEFAULT_BENCHMARK_GRANULARITY } from "./bootstrap-fpms.js";
import { replayCapabilities } from "./capabilities.js";
import {
  cdfOfHistogram,
  cdfOfValues,
  meanItlValuesMs,
  tierDistributions,
  ttftValuesMs,
} from "./distributions.js";
import { allButLastPerWorker, FpmCache } from "./fpm-cache.js";
import { exactGpuHours, type GpusPerReplica, TickSampledGpuHours } from "./gpu-hours.js";
import {
  gpuHoursJson,
  plannerConfigJson,
  replicaStatsJson,
  scalingEventJson,
  slaAttainmentJson,
  tickSnapshotJson,
} from "./planner-result-json.js";
import type { PlannerSimulation, StageLayout } from "./planner-simulation.js";
import { stageLayout } from "./planner-simulation.js";
import { ReplicaTimeline } from "./replica-stats.js";
import { ScalingLog, type ScalingTargets } from "./scaling-log.js";
import { slaAttainment } from "./sla-attainment.js";
import {
  observedItlOf,
  observedTrafficOf,
  type PrefillMsOf,
  tierDiscountsOf,
  trafficObservationOf,
  workerCountsFor,
} from "./tick-input.js";

/** Everything the adapter needs besides the simulation. */
export interface PlannerReplaySetup {
  readonly layout: StageLayout;
  readonly config: PlannerConfig;
  readonly capabilities: WorkerCapabilities;
  /** Regression bootstrap points (used in SLA mode; easy mode has no regressions). */
  readonly benchmarkFpms: BenchmarkFpms | null;
  /** Historical traffic windows that warm the num_req/isl/osl predictors (SLA mode). */
  readonly warmup: readonly WarmupWindow[] | null;
  readonly traceName: string;
  /** The workers have a host or disk KV tier: the section adds the onboarding-time CDF. */
  readonly kvTiered: boolean;
  /**
   * With KV tiers on the first pool: its engines' uncached prefill time of one request, ms (the tier discount's
   * prefill_ms, docs/planner.md#kv-tier-discount); absent without tiers.
   */
  readonly tierPrefillMsOf?: PrefillMsOf;
}

export class PlannerReplay {
  private readonly sim: PlannerSimulation;
  private readonly setup: PlannerReplaySetup;
  private readonly layout: StageLayout;
  private readonly sm: PlannerStateMachine;
  private readonly recorder: DiagnosticsRecorder;
  private readonly prefillCache = new FpmCache();
  private readonly decodeCache = new FpmCache();
  private readonly scaling: ScalingLog;
  private readonly gpus: GpusPerReplica;
  private readonly tickGpuHours: TickSampledGpuHours;
  private readonly prefillReplicas: ReplicaTimeline | null;
  private readonly decodeReplicas: ReplicaTimeline;
  private readonly extras: TickExtras[] = [];
  private readonly kvRows: KvUtilisationJson[] = [];
  private observed: ObservedTraffic | null = null;
  /** The tier discount of the last drained window (KV tiers only; null when it had no tier figures). */
  private tierDiscount: KvTierDiscount | null = null;
  /** The kvsim policy reads backlogs and reports its own tick record. */
  private readonly kvsimPolicy: boolean;
  /** The tier discount's prefill model: tiers on and `kv_tier_discount` on; undefined = no discount applied. */
  private readonly discountPrefillMsOf: PrefillMsOf | undefined;
  private ticks = 0;

  constructor(sim: PlannerSimulation, setup: PlannerReplaySetup) {
    this.sim = sim;
    this.setup = setup;
    this.layout = setup.layout;
    this.kvsimPolicy = setup.config.scalingPolicy === "kvsim";
    this.discountPrefillMsOf = setup.config.kvTierDiscount ? setup.tierPrefillMsOf : undefined;
    this.sm = new PlannerStateMachine(setup.config, setup.capabilities, setup.warmup);
    if (setup.benchmarkFpms !== null) {
      this.sm.loadBenchmarkFpms({ prefill: setup.benchmarkFpms.prefill, decode: setup.benchmarkFpms.decode });
    }
    // Keep every snapshot: the result holds one diagnostics entry per tick.
    this.recorder = new DiagnosticsRecorder(
      setup.config,
      setup.capabilities.decode?.maxKvTokens ?? null,
      Number.POSITIVE_INFINITY,
    );
    this.scaling = new ScalingLog(this.layout);
    this.gpus = {
      prefill: setup.capabilities.prefill?.numGpu ?? 1,
      decode: setup.capabilities.decode?.numGpu ?? 1,
    };
    this.tickGpuHours = new TickSampledGpuHours(this.gpus);
    const scaled = (c: StageCounts): number => c.active + c.starting;
    const p = this.layout.prefillStage;
    this.prefillReplicas = p === null ? null : new ReplicaTimeline(scaled(sim.counts(p)));
    this.decodeReplicas = new ReplicaTimeline(scaled(sim.counts(this.layout.decodeStage)));
  }

  /** The planner driven by this replay (read its models, predictors and sticky state; do not tick it). */
  get stateMachine(): PlannerStateMachine {
    return this.sm;
  }

  get scalingEvents(): readonly ScalingEvent[] {
    return this.scaling.events;
  }

  /** Runs the whole replay under the planner (once) and returns the report's planner section. */
  run(): PlannerSection {
    const sim = this.sim;
    let tick = this.sm.initialTick(0);
    let endMs = 0;
    for (;;) {
      const clockBeforeMs = sim.now;
      const advanced = sim.advanceTo(tick.atS * 1000);
      if (advanced.isDone) {
        endMs = advanced.lastEventMs;
        break;
      }
      this.checkCanProgress(tick.atS);
      const nowMs = advanced.lastEventMs > clockBeforeMs ? advanced.lastEventMs : sim.now;
      tick = this.processTick(tick, nowMs / 1000).nextTick;
    }
    return this.section(endMs);
  }

  private processTick(tick: ScheduledTick, nowS: number): PlannerEffects {
    const { sim, layout } = this;
    const prefill = layout.prefillStage === null ? null : sim.counts(layout.prefillStage);
    const decode = sim.counts(layout.decodeStage);
    // Take the snapshots every tick so they never pile up; only FPM ticks use them (as upstream).
    const prefillSnapshots = layout.prefillStage === null ? [] : sim.takeFpmSnapshots(layout.prefillStage);
    const decodeSnapshots = sim.takeFpmSnapshots(layout.decodeStage);
    let fpm: FpmObservations | null = null;
    if (tick.needWorkerFpm) fpm = this.observeFpms(prefillSnapshots, decodeSnapshots, prefill, decode);
    const input: TickInput = {
      nowS,
      workerCounts: tick.needWorkerStates ? workerCountsFor(prefill, decode, this.scaling.pending) : null,
      fpmObservations: fpm,
      traffic: tick.needTrafficMetrics ? this.drainTraffic() : null,
      observedItl: this.kvsimPolicy ? observedItlOf(decodeSnapshots) : null,
      backlog: this.kvsimPolicy
        ? {
            prefill: layout.prefillStage === null ? null : sim.backlog(layout.prefillStage),
            decode: sim.backlog(layout.decodeStage),
          }
        : null,
    };
    const effects = this.sm.onTick(tick, input);
    this.ticks++;
    this.record(input, effects, prefill, decode);
    this.scaling.clearReached(prefill?.active ?? null, decode.active);
    if (effects.scaleTo !== null) {
      const targets = this.scaling.plan(effects.scaleTo, prefill?.active ?? null, decode.active, nowS);
      if (targets !== null) this.apply(targets, nowS);
    }
    return effects;
  }

  /**
   * Updates the last-seen caches and prunes them to the active counts. In SLA mode every snapshot but the last of
   * its worker trains the regression here (heartbeats excluded); the last ones reach it through the observations.
   */
  private observeFpms(
    prefillSnapshots: readonly ForwardPassMetrics[],
    decodeSnapshots: readonly ForwardPassMetrics[],
    prefill: StageCounts | null,
    decode: StageCounts,
  ): FpmObservations {
    const models = this.sm.regressionModels;
    if (models !== null) {
      const decodeModel = models.agg ?? models.decode;
      for (const fpm of allButLastPerWorker(prefillSnapshots)) {
        if (fpm.wallTime > 0) models.prefill?.addObservation(fpm);
      }
      for (const fpm of allButLastPerWorker(decodeSnapshots)) {
        if (fpm.wallTime > 0) decodeModel?.addObservation(fpm);
      }
    }
    this.decodeCache.update(decodeSnapshots);
    this.decodeCache.pruneTo(decode.active);
    if (prefill === null) return { prefill: null, decode: this.decodeCache.observations() };
    this.prefillCache.update(prefillSnapshots);
    this.prefillCache.pruneTo(prefill.active);
    return { prefill: this.prefillCache.observations(), decode: this.decodeCache.observations() };
  }

  private drainTraffic(): TrafficObservation | null {
    const stats = this.sim.drainTraffic();
    const config = this.setup.config;
    this.observed = observedTrafficOf(stats, config.throughputAdjustmentIntervalS, this.observed);
    if (this.discountPrefillMsOf === undefined || !(stats.durationS > 0))
      return trafficObservationOf(stats, config.kvHitRateAwareness);
    const tiers = tierDiscountsOf(stats, this.discountPrefillMsOf);
    // The discount the policy applies: the kvsim policy sizes prefill on the engines' reuse, dynamo on the router's.
    this.tierDiscount = tiers === null ? null : this.kvsimPolicy ? tiers.engine : tiers.router;
    return trafficObservationOf(stats, config.kvHitRateAwareness, tiers);
  }

  private record(
    input: TickInput,
    effects: PlannerEffects,
    prefill: StageCounts | null,
    decode: StageCounts,
  ): void {
    const nowS = input.nowS;
    const gpuHours = this.tickGpuHours.sample(nowS, prefill?.active ?? 0, decode.active);
    this.recorder.record({
      input,
      effects,
      numPrefillReplicas: prefill === null ? null : this.sm.numPrefillWorkers,
      numDecodeReplicas: this.sm.numDecodeWorkers,
      observed: this.observed,
      gpuHours,
    });
    const sticky = this.sm.lastKvHitRate;
    const isl = this.observed?.isl ?? null;
    this.extras.push({
      effectiveIsl: isl === null ? null : isl * (1 - clampKvHitRate(sticky)),
      stickyKvHitRate: sticky,
      ...(this.kvsimPolicy ? { kvsim: effects.kvsim ?? null } : {}),
      ...(this.discountPrefillMsOf !== undefined ? { kvTiers: this.tierDiscount } : {}),
    });
    if (this.layout.prefillStage !== null) this.sampleKv(nowS, this.layout.prefillStage, "prefill");
    this.sampleKv(nowS, this.layout.decodeStage, this.layout.decodeComponent);
  }

  private sampleKv(atS: number, stage: number, component: KvUtilisationJson["component"]): void {
    for (const w of this.sim.kvUsage(stage)) {
      this.kvRows.push({
        at_s: atS,
        component,
        worker_id: w.workerId,
        active_blocks: w.activeBlocks,
        inactive_blocks: w.inactiveBlocks,
        capacity_blocks: w.capacityBlocks,
      });
    }
  }

  private apply(targets: ScalingTargets, atS: number): void {
    const { layout, sim } = this;
    const zero =
      targets.decode < 1
        ? layout.decodeComponent
        : layout.prefillStage !== null && targets.prefill < 1
          ? "prefill"
          : null;
    if (zero !== null) {
      const c = this.setup.config;
      throw inputErrorAt(
        "planner config",
        null,
        "max_gpu_budget",
        `the planner scaled the ${zero} pool to 0 workers at t=${atS.toFixed(1)}s, so the replay could never finish ` +
          `(budget ${c.maxGpuBudget} GPUs, min_endpoint ${c.minEndpoint}, GPUs per replica: prefill ${this.gpus.prefill}, decode ${this.gpus.decode})`,
      );
    }
    sim.applyScaling(targets.prefill, targets.decode);
    if (layout.prefillStage !== null && this.prefillReplicas !== null) {
      const c = sim.counts(layout.prefillStage);
      this.prefillReplicas.observe(atS, c.active + c.starting);
    }
    const d = sim.counts(layout.decodeStage);
    this.decodeReplicas.observe(atS, d.active + d.starting);
  }

  /** A simulation with work left but no event ahead would be advanced tick after tick forever. */
  private checkCanProgress(atS: number): void {
    if (this.sim.nextEventMs !== Number.POSITIVE_INFINITY) return;
    throw new Error(
      `planner replay stalled at t=${atS.toFixed(1)}s: requests are unfinished but no simulated event is left ` +
        "(a prompt larger than a worker's KV cache, or no worker to route to?)",
    );
  }

  private section(endMs: number): PlannerSection {
    const { sim, setup, layout } = this;
    const endS = endMs / 1000;
    const snapshots = this.recorder.snapshots;
    const collector = sim.collector;
    const replicas: Record<string, ReturnType<typeof replicaStatsJson>> = {};
    if (this.prefillReplicas !== null) replicas.prefill = replicaStatsJson(this.prefillReplicas.stats(endS));
    replicas[layout.decodeComponent] = replicaStatsJson(this.decodeReplicas.stats(endS));
    return {
      mode: layout.mode,
      trace_name: setup.traceName,
      config: plannerConfigJson(setup.config, setup.tierPrefillMsOf !== undefined),
      ticks: this.ticks,
      scaling_events: this.scaling.events.map(scalingEventJson),
      gpu_hours: gpuHoursJson(exactGpuHours(sim, layout, this.gpus, endMs)),
      gpu_hours_tick_sampled: this.tickGpuHours.total,
      replicas,
      replica_transitions: countReplicaTransitions(snapshots),
      sla_attainment: slaAttainmentJson(slaAttainment(collector, setup.config.ttftMs, setup.config.itlMs)),
      diagnostics: snapshots.map((s, i) => tickSnapshotJson(s, this.extras[i] as TickExtras)),
      kv_utilisation: this.kvRows,
      distributions: {
        ttft_ms_cdf: cdfOfValues(ttftValuesMs(collector)),
        itl_ms_cdf: cdfOfHistogram(collector.itlHistogram),
        mean_itl_ms_cdf: cdfOfValues(meanItlValuesMs(collector)),
        ...tierDistributions(collector, setup.kvTiered),
      },
      max_kv_tokens: setup.capabilities.decode?.maxKvTokens ?? null,
      ...(this.kvsimPolicy ? { policy: KVSIM_POLICY } : {}),
    };
  }
}

/** The planner section's mark of a kvsim-policy run (docs/planner.md#kvsim-policy). */
const KVSIM_POLICY: PolicyJson = {
  name: "kvsim",
  origin: "kvsim",
  summary:
    "kvsim's own planner, not in Dynamo: arrival-counted, reuse- and backlog-aware sizing against an SLA error " +
    "budget, startup-aware forecasts, hysteresis and a scale-down cooldown",
};

export interface PlannerReplayOptions {
  /** parsePlannerConfig / loadPlannerConfig output, or any subset of its fields (resolved by resolvePlannerConfig). */
  readonly config: PlannerConfigInput;
  /**
   * Points per sweep axis of the regression bootstrap (docs/planner-in-the-loop.md#regression-bootstrap;
   * default 8).
   */
  readonly benchmarkGranularity?: number;
  readonly warmup?: readonly WarmupWindow[] | null;
  /** Trace file name for the report ("synthetic" by default). */
  readonly traceName?: string;
}

/** The planner must run the cluster's topology: agg over an agg cluster, disagg over a disagg one. */
export function checkPlannerMode(config: PlannerConfig, clusterMode: ClusterOptions["mode"]): void {
  if (config.mode !== "agg" && config.mode !== "disagg") {
    throw new InputError(
      `planner config: field "mode": replay runs "agg" or "disagg" planners (got "${config.mode}")`,
    );
  }
  if (config.mode !== clusterMode) {
    throw new InputError(
      `planner config: field "mode": must match the ${clusterMode} cluster (got "${config.mode}")`,
    );
  }
}

/** The planner config of the options: required; a partial one is resolved as a config file would be. */
export function plannerConfigOf(options: PlannerReplayOptions): PlannerConfig {
  const config: unknown = options?.config;
  if (config === undefined || config === null) {
    throw new TypeError(
      "runReplay: planner.config is required (parsePlannerConfig, loadPlannerConfig or resolvePlannerConfig)",
    );
  }
  return isCompletePlannerConfig(options.config)
    ? options.config
    : resolvePlannerConfig(options.config, "planner config");
}

/** The adapter setup for one cluster: its stage layout, capabilities and regression bootstrap. */
export function plannerReplaySetup(
  clusterOptions: ClusterOptions,
  options: PlannerReplayOptions,
): PlannerReplaySetup {
  const config = plannerConfigOf(options);
  checkPlannerMode(config, clusterOptions.mode);
  const granularity = options.benchmarkGranularity ?? DEFAULT_BENCHMARK_GRANULARITY;
  const sla = config.optimizationTarget === "sla";
  return {
    layout: stageLayout(clusterOptions.mode),
    config,
    capabilities: replayCapabilities(clusterOptions, config),
    benchmarkFpms: sla ? benchmarkFpmsFor(clusterOptions, granularity) : null,
    warmup: options.warmup ?? null,
    traceName: options.traceName ?? "synthetic",
    kvTiered: tieredBytesPerToken(clusterOptions) !== null,
    ...tierPrefillMs(clusterOptions),
  };
}

/**
 * The tier discount's prefill_ms (docs/planner.md#kv-tier-discount): the first pool's engine perf model for one
 * request of `isl` tokens with nothing cached, over its speedup_ratio, as the scheduler times a prefill pass.
 * Nothing without a host or disk tier.
 */
function tierPrefillMs(options: ClusterOptions): { tierPrefillMsOf?: PrefillMsOf } {
  const args = options.mode === "agg" ? options.engineArgs : options.prefillEngineArgs;
  if (tierConfigOf(args) === null) return {};
  const model = passTimeModelFromArgs(args);
  const scale = args.speedup_ratio > 0 ? args.speedup_ratio : 1;
  return { tierPrefillMsOf: (isl) => (isl > 0 ? model.prefillMs(1, isl, 0) / scale : Number.NaN) };
}
