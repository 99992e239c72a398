// Per-tick diagnostics snapshots (docs/planner.md#diagnostics) and report scheduling. This module produces
// the data and a JSON export; HTML rendering belongs to the report layer, which consumes `takeReport()`
// batches.

import type { PlannerConfig } from "./config.js";
import type { FpmMap, FpmObservations, LoadReason, PlannerEffects, ThroughputReason } from "./types.js";

/** Snapshots kept before the oldest are trimmed. */
export const MAX_DIAGNOSTIC_SNAPSHOTS = 50_000;

export interface PerEngineFpm {
  readonly workerId: string;
  readonly dpRank: number;
  readonly queuedPrefillTokens: number;
  readonly queuedDecodeKvTokens: number;
  /** Scheduled (in-flight) decode KV tokens. */
  readonly inflightDecodeKvTokens: number;
}

/** Observed traffic as last scraped/drained by the driver (sticky between scrapes). */
export interface ObservedTraffic {
  readonly ttftMs: number | null;
  readonly itlMs: number | null;
  readonly numReq: number | null;
  readonly requestDurationS: number | null;
  readonly isl: number | null;
  readonly osl: number | null;
  readonly kvHitRate: number | null;
}

export interface TickSnapshot {
  readonly timestampS: number;
  readonly numPrefillReplicas: number | null;
  readonly numDecodeReplicas: number | null;
  readonly observedTtftMs: number | null;
  readonly observedItlMs: number | null;
  /** observed num_req / throughput_adjustment_interval (the configured interval, as upstream). */
  readonly observedRequestsPerSecond: number | null;
  readonly observedRequestDurationSeconds: number | null;
  readonly observedInputSequenceTokens: number | null;
  readonly observedOutputSequenceTokens: number | null;
  readonly observedKvHitRate: number | null;
  readonly estimatedTtftMs: number | null;
  readonly estimatedItlMs: number | null;
  /** predicted num_req / throughput_adjustment_interval. */
  readonly predictedRequestsPerSecond: number | null;
  readonly predictedInputSequenceTokens: number | null;
  readonly predictedOutputSequenceTokens: number | null;
  readonly predictedKvHitRate: number | null;
  readonly engineRpsPrefill: number | null;
  readonly engineRpsDecode: number | null;
  readonly loadDecisionReason: LoadReason | null;
  readonly throughputDecisionReason: ThroughputReason | null;
  readonly loadDecisionReasonPrefill: LoadReason | null;
  readonly loadDecisionReasonDecode: LoadReason | null;
  readonly throughputDecisionReasonPrefill: ThroughputReason | null;
  readonly throughputDecisionReasonDecode: ThroughputReason | null;
  readonly prefillEngines: readonly PerEngineFpm[];
  readonly decodeEngines: readonly PerEngineFpm[];
  readonly throughputLowerBoundPrefill: number;
  readonly throughputLowerBoundDecode: number;
  readonly scaleToPrefill: number | null;
  readonly scaleToDecode: number | null;
  /** Cumulative GPU-hours as computed by the driver. */
  readonly gpuHours: number;
}

export interface RecordTickArgs {
  readonly nowS: number;
  readonly effects: PlannerEffects;
  /** Ready replica counts after the tick's inventory update. */
  readonly numPrefillReplicas: number | null;
  readonly numDecodeReplicas: number | null;
  readonly observed: ObservedTraffic | null;
  readonly fpmObservations: FpmObservations | null;
  readonly gpuHours: number;
}

export interface DiagnosticsSummary {
  readonly tickCount: number;
  readonly firstTimestampS: number | null;
  readonly lastTimestampS: number | null;
  /** Changes between consecutive non-null prefill counts plus the same for decode. */
  readonly replicaTransitions: number;
  /** GPU-hours of the last snapshot. */
  readonly gpuHours: number;
  readonly ttftSlaMs: number;
  readonly itlSlaMs: number;
  /** Decode KV capacity drawn on the engine-load chart, when known. */
  readonly maxKvTokens: number | null;
}

/** One report's worth of snapshots, handed to a renderer. */
export interface DiagnosticsReportBatch {
  readonly fileName: string;
  readonly summary: DiagnosticsSummary;
  readonly snapshots: readonly TickSnapshot[];
}

export class DiagnosticsRecorder {
  readonly intervalS: number;
  /** Periodic reports or the live dashboard are on. */
  readonly enabled: boolean;
  private readonly ttftSlaMs: number;
  private readonly itlSlaMs: number;
  private readonly throughputIntervalS: number;
  private readonly reportFilename: string | null;
  private readonly maxKvTokens: number | null;
  private readonly maxSnapshots: number;
  /** Live snapshots are `buffer[head..]`; the dead prefix is compacted away in bulk. */
  private buffer: TickSnapshot[] = [];
  private head = 0;
  private lastReportS: number | null = null;
  private reportsTaken = 0;

  constructor(
    config: PlannerConfig,
    maxKvTokens: number | null = null,
    maxSnapshots = MAX_DIAGNOSTIC_SNAPSHOTS,
  ) {
    this.intervalS = config.reportIntervalHours === null ? 0 : config.reportIntervalHours * 3600;
    this.enabled = this.intervalS > 0 || config.liveDashboardPort !== 0;
    this.ttftSlaMs = config.ttftMs;
    this.itlSlaMs = config.itlMs;
    this.throughputIntervalS = config.throughputAdjustmentIntervalS;
    this.reportFilename = config.reportFilename;
    this.maxKvTokens = maxKvTokens;
    this.maxSnapshots = maxSnapshots;
  }

  get size(): number {
    return this.buffer.length - this.head;
  }

  get snapshots(): readonly TickSnapshot[] {
    return this.buffer.slice(this.head);
  }

  record(args: RecordTickArgs): void {
    const d = args.effects.diagnostics;
    const o = args.observed;
    const perInterval = (x: number | null | undefined): number | null =>
      x === null || x === undefined ? null : x / this.throughputIntervalS;
    this.buffer.push({
      timestampS: args.nowS,
      numPrefillReplicas: args.numPrefillReplicas,
      numDecodeReplicas: args.numDecodeReplicas,
      observedTtftMs: o?.ttftMs ?? null,
      observedItlMs: o?.itlMs ?? null,
      observedRequestsPerSecond: perInterval(o?.numReq),
      observedRequestDurationSeconds: o?.requestDurationS ?? null,
      observedInputSequenceTokens: o?.isl ?? null,
      observedOutputSequenceTokens: o?.osl ?? null,
      observedKvHitRate: o?.kvHitRate ?? null,
      estimatedTtftMs: d.estimatedTtftMs,
      estimatedItlMs: d.estimatedItlMs,
      predictedRequestsPerSecond: perInterval(d.predictedNumReq),
      predictedInputSequenceTokens: d.predictedIsl,
      predictedOutputSequenceTokens: d.predictedOsl,
      predictedKvHitRate: d.predictedKvHitRate,
      engineRpsPrefill: d.engineRpsPrefill,
      engineRpsDecode: d.engineRpsDecode,
      loadDecisionReason: d.loadDecisionReason,
      throughputDecisionReason: d.throughputDecisionReason,
      loadDecisionReasonPrefill: d.loadDecisionReasonPrefill,
      loadDecisionReasonDecode: d.loadDecisionReasonDecode,
      throughputDecisionReasonPrefill: d.throughputDecisionReasonPrefill,
      throughputDecisionReasonDecode: d.throughputDecisionReasonDecode,
      prefillEngines: perEngine(args.fpmObservations?.prefill ?? null),
      decodeEngines: perEngine(args.fpmObservations?.decode ?? null),
      throughputLowerBoundPrefill: d.throughputLowerBoundPrefill,
      throughputLowerBoundDecode: d.throughputLowerBoundDecode,
      scaleToPrefill: args.effects.scaleTo?.numPrefill ?? null,
      scaleToDecode: args.effects.scaleTo?.numDecode ?? null,
      gpuHours: args.gpuHours,
    });
    if (this.size > this.maxSnapshots) this.head++;
    if (this.head > this.maxSnapshots) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * True when a periodic report is due: enabled, some snapshots, and `interval_s` elapsed since the last report
   * (the first call starts the clock at the first snapshot). With no report interval but the dashboard on,
   * `interval_s` is 0, so this is true on every tick (upstream quirk).
   */
  shouldGenerateReport(nowS: number): boolean {
    if (!this.enabled || this.size === 0) return false;
    if (this.lastReportS === null) this.lastReportS = this.first()?.timestampS ?? nowS;
    return nowS - this.lastReportS >= this.intervalS;
  }

  /** Takes every snapshot for one report: restarts the report clock at the last snapshot and clears the buffer. */
  takeReport(): DiagnosticsReportBatch | null {
    const last = this.last();
    if (last === undefined) return null;
    this.reportsTaken++;
    const batch: DiagnosticsReportBatch = {
      fileName: this.reportFilename ?? defaultReportFileName(last.timestampS, this.reportsTaken),
      summary: this.summary(),
      snapshots: this.snapshots,
    };
    this.lastReportS = last.timestampS;
    this.buffer = [];
    this.head = 0;
    return batch;
  }

  /** End of run: whatever remains, as a last report batch (null when empty). */
  finalize(): DiagnosticsReportBatch | null {
    return this.takeReport();
  }

  summary(): DiagnosticsSummary {
    const snapshots = this.snapshots;
    return {
      tickCount: snapshots.length,
      firstTimestampS: snapshots[0]?.timestampS ?? null,
      lastTimestampS: snapshots[snapshots.length - 1]?.timestampS ?? null,
      replicaTransitions: countReplicaTransitions(snapshots),
      gpuHours: snapshots[snapshots.length - 1]?.gpuHours ?? 0,
      ttftSlaMs: this.ttftSlaMs,
      itlSlaMs: this.itlSlaMs,
      maxKvTokens: this.maxKvTokens,
    };
  }

  /** JSON export of the current snapshots with their summary (camelCase keys, as the TypeScript types). */
  toJSON(): { readonly summary: DiagnosticsSummary; readonly snapshots: readonly TickSnapshot[] } {
    return { summary: this.summary(), snapshots: this.snapshots };
  }

  private first(): TickSnapshot | undefined {
    return this.buffer[this.head];
  }

  private last(): TickSnapshot | undefined {
    return this.size === 0 ? undefined : this.buffer[this.buffer.length - 1];
  }
}

function perEngine(fpms: FpmMap | null): PerEngineFpm[] {
  if (fpms === null) return [];
  return [...fpms.values()].map((fpm) => ({
    workerId: fpm.workerId,
    dpRank: fpm.dpRank,
    queuedPrefillTokens: fpm.queued.sumPrefillTokens,
    queuedDecodeKvTokens: fpm.queued.sumDecodeKvTokens,
    inflightDecodeKvTokens: fpm.scheduled.sumDecodeKvTokens,
  }));
}

/** Replica transitions: changes between consecutive non-null counts, prefill and decode counted separately. */
export function countReplicaTransitions(snapshots: readonly TickSnapshot[]): number {
  let transitions = 0;
  let lastPrefill: number | null = null;
  let lastDecode: number | null = null;
  for (const s of snapshots) {
    if (s.numPrefillReplicas !== null) {
      if (lastPrefill !== null && s.numPrefillReplicas !== lastPrefill) transitions++;
      lastPrefill = s.numPrefillReplicas;
    }
    if (s.numDecodeReplicas !== null) {
      if (lastDecode !== null && s.numDecodeReplicas !== lastDecode) transitions++;
      lastDecode = s.numDecodeReplicas;
    }
  }
  return transitions;
}

/** `planner_report_<UTC yyyymmdd_HHMMSS of the last snapshot>_<NNN>.html`, NNN = 1-based report sequence. */
export function defaultReportFileName(lastTimestampS: number, sequence: number): string {
  const t = new Date(Math.floor(lastTimestampS) * 1000);
  const p2 = (n: number): string => String(n).padStart(2, "0");
  const stamp =
    `${t.getUTCFullYear()}${p2(t.getUTCMonth() + 1)}${p2(t.getUTCDate())}_` +
    `${p2(t.getUTCHours())}${p2(t.getUTCMinutes())}${p2(t.getUTCSeconds())}`;
  return `planner_report_${stamp}_${String(sequence).padStart(3, "0")}.html`;
}
