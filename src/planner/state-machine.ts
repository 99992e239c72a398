// PlannerStateMachine (docs/planner.md#state-machine): the pure planner core. No I/O, no clock, no threads: a
// driver asks `initialTick(startS)` for the first ScheduledTick, gathers what the tick asks for into a
// TickInput, calls `onTick(tick, input)`, applies `effects.scaleTo` and waits for `effects.nextTick`.

import { TickScheduler } from "./cadence.js";
import { validateCapabilities } from "./capabilities.js";
import {
  isCompletePlannerConfig,
  type PlannerConfig,
  type PlannerConfigInput,
  resolvePlannerConfig,
} from "./config.js";
import type { KvsimTickDiagnostics } from "./kvsim/diagnostics.js";
import { KvsimPolicy } from "./kvsim/policy.js";
import { recordKvsimDiagnostics } from "./kvsim/reference-diagnostics.js";
import { advanceLoad } from "./load-scaling.js";
import {
  createPlannerState,
  emptyDiagnostics,
  type LoadPredictors,
  type PlannerState,
  type PredictorFactory,
  type RegressionModels,
} from "./planner-state.js";
import { createPredictor } from "./predictors/factory.js";
import { advanceThroughput } from "./throughput-scaling.js";
import { observeFpm, observeTraffic, warmLoadPredictors } from "./traffic-observation.js";
import type {
  EngineCapabilities,
  ForwardPassMetrics,
  PlannerEffects,
  ScalingDecision,
  ScheduledTick,
  TickDiagnostics,
  TickInput,
  TrafficObservation,
  WorkerCapabilities,
} from "./types.js";

/** One historical traffic bucket used to warm the predictors (e.g. from a mooncake trace). */
export interface WarmupWindow {
  readonly requestCount: number;
  readonly avgIsl: number;
  readonly avgOsl: number;
}

export interface PlannerStateMachineOptions {
  /** Predictor constructor (default: the built-in predictors chosen by `load_predictor`). */
  readonly createPredictor?: PredictorFactory;
}

export class PlannerStateMachine {
  private readonly state: PlannerState;
  private readonly scheduler: TickScheduler;
  private readonly kvsim: KvsimPolicy | null;

  /**
   * @param config a complete config (parsePlannerConfig, loadPlannerConfig) is used as given; a partial one is
   *   resolved as a config file with the same keys would be (resolvePlannerConfig: defaults, then the rules).
   * @param capabilities what is known of each component's engines (default: nothing known).
   * @param warmup historical windows (oldest first) that warm the num_req/isl/osl predictors, each taken as one
   *   `throughput_adjustment_interval` window; ignored in easy mode.
   */
  constructor(
    configInput: PlannerConfigInput,
    capabilities: WorkerCapabilities = {},
    warmup?: readonly WarmupWindow[] | null,
    options: PlannerStateMachineOptions = {},
  ) {
    const config: PlannerConfig = isCompletePlannerConfig(configInput)
      ? configInput
      : resolvePlannerConfig(configInput, "PlannerStateMachine config");
    validateCapabilities(capabilities);
    this.state = createPlannerState(config, capabilities, options.createPredictor ?? createPredictor);
    // kvsim decides on the load cadence alone and reads a traffic window on every load tick.
    this.kvsim = config.scalingPolicy === "kvsim" ? new KvsimPolicy(this.state) : null;
    this.scheduler = new TickScheduler({
      loadIntervalS: config.loadAdjustmentIntervalS,
      throughputIntervalS: config.throughputAdjustmentIntervalS,
      throughputEnabled: config.enableThroughputScaling && this.kvsim === null,
    });
    if (warmup !== undefined && warmup !== null && warmup.length > 0) {
      this.warmLoadPredictors(
        warmup.map((w) => ({
          durationS: config.throughputAdjustmentIntervalS,
          numReq: w.requestCount,
          isl: w.avgIsl,
          osl: w.avgOsl,
          kvHitRate: null,
        })),
      );
    }
  }

  /** Schedules the first ticks relative to `startS` and returns the first one. */
  initialTick(startS: number): ScheduledTick {
    return this.scheduler.initialTick(startS);
  }

  /** The next tick as currently scheduled (what `effects.nextTick` of the last tick returned). */
  nextScheduledTick(): ScheduledTick {
    return this.scheduler.nextScheduledTick();
  }

  onTick(tick: ScheduledTick, input: TickInput): PlannerEffects {
    const state = this.state;
    state.diag = emptyDiagnostics();
    if (input.workerCounts !== undefined && input.workerCounts !== null) {
      state.inventory.update(input.workerCounts);
    }
    if (this.kvsim !== null) return this.onKvsimTick(this.kvsim, tick, input);
    const traffic = input.traffic ?? null;
    let throughputDecision: ScalingDecision | null = null;
    // Throughput first, so a freshly raised floor is visible to the load pass of a merged tick.
    if (tick.runThroughputScaling) {
      if (traffic !== null) {
        observeTraffic(state, traffic);
        throughputDecision = advanceThroughput(state, traffic);
      }
      this.scheduler.throughputTickDone(input.nowS);
    }
    let scaleTo: ScalingDecision | null = null;
    if (tick.runLoadScaling) {
      // Load-only deployments receive a hit-rate-only scrape on load ticks.
      if (!tick.runThroughputScaling && traffic !== null) observeTraffic(state, traffic);
      const fpm = input.fpmObservations ?? null;
      if (fpm !== null) {
        // Train before deciding, so this tick's FPMs shape this tick's estimate.
        observeFpm(state, fpm);
        scaleTo = advanceLoad(state, fpm);
      }
      this.scheduler.loadTickDone(input.nowS);
    }
    if (scaleTo === null && throughputDecision !== null) scaleTo = throughputDecision;
    return { scaleTo, nextTick: this.scheduler.nextScheduledTick(), diagnostics: this.buildDiagnostics() };
  }

  /** The kvsim policy's tick: regressions learn from the FPMs as under dynamo, then the policy decides. */
  private onKvsimTick(policy: KvsimPolicy, tick: ScheduledTick, input: TickInput): PlannerEffects {
    const state = this.state;
    let scaleTo: ScalingDecision | null = null;
    let kvsim: KvsimTickDiagnostics | null = null;
    if (tick.runLoadScaling) {
      const fpm = input.fpmObservations ?? null;
      if (fpm !== null) observeFpm(state, fpm);
      const result = policy.onLoadTick(state, input);
      scaleTo = result.decision;
      kvsim = result.diagnostics;
      recordKvsimDiagnostics(state.diag, kvsim);
      this.scheduler.loadTickDone(input.nowS);
    }
    return {
      scaleTo,
      nextTick: this.scheduler.nextScheduledTick(),
      diagnostics: this.buildDiagnostics(),
      kvsim,
    };
  }

  /** Feed historical windows to num_req/isl/osl (never the kv predictor), then re-arm their idle skip. */
  warmLoadPredictors(observations: readonly TrafficObservation[]): void {
    warmLoadPredictors(this.state, observations);
  }

  /**
   * Pre-deployment bootstrap of the regressions (SLA mode; a no-op in easy mode). Agg loads both lists into its
   * single model (prefill points, then decode points).
   */
  loadBenchmarkFpms(fpms: {
    readonly prefill?: readonly ForwardPassMetrics[];
    readonly decode?: readonly ForwardPassMetrics[];
  }): void {
    const models = this.state.models;
    if (models === null) return;
    if (models.agg !== null) {
      models.agg.loadBenchmarkFpms(fpms.prefill ?? []);
      models.agg.loadBenchmarkFpms(fpms.decode ?? []);
      return;
    }
    if (models.prefill !== null && fpms.prefill !== undefined) models.prefill.loadBenchmarkFpms(fpms.prefill);
    if (models.decode !== null && fpms.decode !== undefined) models.decode.loadBenchmarkFpms(fpms.decode);
  }

  private buildDiagnostics(): TickDiagnostics {
    return {
      ...this.state.diag,
      throughputLowerBoundPrefill: this.state.floorPrefill,
      throughputLowerBoundDecode: this.state.floorDecode,
    };
  }

  // ---- read-only state for drivers and diagnostics ----

  get config(): PlannerConfig {
    return this.state.config;
  }
  get capabilities(): WorkerCapabilities {
    return this.state.capabilities;
  }
  /** Ready prefill workers as last reported (0 until reported). */
  get numPrefillWorkers(): number {
    return this.state.inventory.numPrefill;
  }
  /** Ready decode workers (agg workers too) as last reported. */
  get numDecodeWorkers(): number {
    return this.state.inventory.numDecode;
  }
  get expectedNumPrefill(): number | null {
    return this.state.inventory.expectedPrefill;
  }
  get expectedNumDecode(): number | null {
    return this.state.inventory.expectedDecode;
  }
  get throughputLowerBoundPrefill(): number {
    return this.state.floorPrefill;
  }
  get throughputLowerBoundDecode(): number {
    return this.state.floorDecode;
  }
  /** The sticky hit rate load ticks discount by (unclamped; null = never observed). */
  get lastKvHitRate(): number | null {
    return this.state.lastKvHitRate;
  }
  get nextLoadS(): number {
    return this.scheduler.nextLoadS;
  }
  get nextThroughputS(): number {
    return this.scheduler.nextThroughputS;
  }
  /** Regression models (null in easy mode). */
  get regressionModels(): RegressionModels | null {
    return this.state.models;
  }
  /** The four load predictors (null in easy mode). */
  get loadPredictors(): LoadPredictors | null {
    return this.state.predictors;
  }
  /** GPUs per replica of a component, from the capabilities (null when unknown). */
  numGpu(component: "prefill" | "decode"): number | null {
    const caps: EngineCapabilities | null | undefined = this.state.capabilities[component];
    return caps?.numGpu ?? null;
  }
}
