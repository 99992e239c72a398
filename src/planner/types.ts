// Boundary types of the planner core (reference: planner spec §1.3). Times: ticks in seconds; SLAs and latency
// estimates reported to users in ms; perf-model estimates in seconds.

/** What the state machine asks its driver to do at the next tick. */
export interface ScheduledTick {
  readonly atS: number;
  readonly runLoadScaling: boolean;
  readonly runThroughputScaling: boolean;
  readonly needTrafficMetrics: boolean;
  /** Window the traffic observation should span, seconds (0 when no traffic is needed). */
  readonly trafficMetricsDurationS: number;
  readonly needWorkerStates: boolean;
  readonly needWorkerFpm: boolean;
}

/** One window of router/frontend traffic. `kvHitRate` is the mean of per-request overlap/isl block ratios. */
export interface TrafficObservation {
  readonly durationS: number;
  readonly numReq: number;
  /** Average input sequence length, tokens. */
  readonly isl: number;
  /** Average output sequence length, tokens. */
  readonly osl: number;
  readonly kvHitRate: number | null;
}

export interface WorkerCounts {
  readonly readyNumPrefill: number | null;
  readonly readyNumDecode: number | null;
  readonly expectedNumPrefill: number | null;
  readonly expectedNumDecode: number | null;
}

/** Requests scheduled in one engine iteration (forward pass). */
export interface ScheduledRequestMetrics {
  readonly numPrefillRequests: number;
  /** Tokens freshly computed this pass (post prefix cache, chunk size). */
  readonly sumPrefillTokens: number;
  readonly varPrefillLength: number;
  readonly sumPrefillKvTokens: number;
  readonly numDecodeRequests: number;
  readonly sumDecodeKvTokens: number;
  readonly varDecodeKvTokens: number;
}

/** Requests waiting after one engine iteration's scheduling. */
export interface QueuedRequestMetrics {
  readonly numPrefillRequests: number;
  /** Raw prompt totals: cache effects are unknown while queued. */
  readonly sumPrefillTokens: number;
  readonly varPrefillLength: number;
  /** Preempted requests waiting to resume. */
  readonly numDecodeRequests: number;
  readonly sumDecodeKvTokens: number;
  readonly varDecodeKvTokens: number;
}

/** One message per engine iteration; an idle heartbeat has wallTime = 0. */
export interface ForwardPassMetrics {
  readonly workerId: string;
  readonly dpRank: number;
  readonly counterId: number;
  /** Pass duration, seconds. */
  readonly wallTime: number;
  readonly scheduled: ScheduledRequestMetrics;
  readonly queued: QueuedRequestMetrics;
}

/** Latest FPM per engine, keyed by fpmKey(workerId, dpRank). */
export type FpmMap = ReadonlyMap<string, ForwardPassMetrics>;

export function fpmKey(workerId: string, dpRank: number): string {
  return `${workerId}\u0000${dpRank}`;
}

export interface FpmObservations {
  readonly prefill: FpmMap | null;
  readonly decode: FpmMap | null;
}

export interface TickInput {
  readonly nowS: number;
  readonly traffic?: TrafficObservation | null;
  readonly workerCounts?: WorkerCounts | null;
  readonly fpmObservations?: FpmObservations | null;
}

/** Absolute replica targets; null = no opinion on that component. */
export interface ScalingDecision {
  readonly numPrefill: number | null;
  readonly numDecode: number | null;
}

/** Load-scaling reasons, in the reference's enum order (the Prometheus enum adds "unset"). */
export const LOAD_REASONS = [
  "disabled",
  "no_fpm_data",
  "scaling_in_progress",
  "worker_count_mismatch",
  "insufficient_data",
  "no_change",
  "scale_up",
  "scale_down",
  "scale_down_capped_by_throughput",
] as const;

export type LoadReason = (typeof LOAD_REASONS)[number];

/** Throughput-scaling reasons; `partner_not_ready` appears only in per-component diagnostics. */
export const THROUGHPUT_REASONS = [
  "disabled",
  "no_traffic_data",
  "predict_failed",
  "model_not_ready",
  "partner_not_ready",
  "set_lower_bound",
  "scale",
] as const;

export type ThroughputReason = (typeof THROUGHPUT_REASONS)[number];

/** Per-tick scratch values, all reset to null at the start of every tick. */
export interface TickDiagnostics {
  estimatedTtftMs: number | null;
  estimatedItlMs: number | null;
  predictedNumReq: number | null;
  predictedIsl: number | null;
  predictedOsl: number | null;
  predictedKvHitRate: number | null;
  engineRpsPrefill: number | null;
  engineRpsDecode: number | null;
  throughputLowerBoundPrefill: number;
  throughputLowerBoundDecode: number;
  loadDecisionReason: LoadReason | null;
  throughputDecisionReason: ThroughputReason | null;
  loadDecisionReasonPrefill: LoadReason | null;
  loadDecisionReasonDecode: LoadReason | null;
  throughputDecisionReasonPrefill: ThroughputReason | null;
  throughputDecisionReasonDecode: ThroughputReason | null;
}

export interface PlannerEffects {
  readonly scaleTo: ScalingDecision | null;
  readonly nextTick: ScheduledTick;
  readonly diagnostics: TickDiagnostics;
}

export interface EngineCapabilities {
  readonly numGpu?: number | null;
  readonly maxNumBatchedTokens?: number | null;
  readonly maxNumSeqs?: number | null;
  readonly contextLength?: number | null;
  readonly maxKvTokens?: number | null;
}

/** Agg deployments use only `decode`. */
export interface WorkerCapabilities {
  readonly prefill?: EngineCapabilities | null;
  readonly decode?: EngineCapabilities | null;
}
