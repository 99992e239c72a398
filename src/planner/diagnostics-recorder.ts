// Per-tick diagnostics snapshots (docs/planner.md#diagnostics) and report scheduling. This module produces
// the data and a JSON export; HTML rendering belongs to the report layer, which consumes `takeReport()`
// batches.

import type { PlannerConfig } from "./config.js";
import type { FpmMap, PlannerEffects, TickInput } from "./types.js";

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

export interface RecordTickArgs {
  /** What the state machine was given this tick (its time, worker counts, FPMs, traffic). */
  readonly input: TickInput;
  readonly effects: PlannerEffects;
  /** Ready replica counts after the tick's inventory update. */
  readonly numPrefillReplicas: number | null;
  readonly numDecodeReplicas: number | null;
  readonly observed: ObservedTraffic | null;
  readonly gpuHours: number;
}

type PerInterval = (count: number | null | undefined) => number | null;

/**
 * Every field of a tick snapshot, in the order snapshots (and the result JSON's `diagnostics`, whose keys are
 * these names snake-cased) list them, with where its value comes from. The one place a new diagnostic is added:
 * TickSnapshot, its JSON form (report/planner-result.ts) and the JSON writers derive from this table.
 */
const TICK_SNAPSHOT_FIELDS = {
  timestampS: (a) => a.input.nowS,
  numPrefillReplicas: (a) => a.numPrefillReplicas,
  numDecodeReplicas: (a) => a.numDecodeReplicas,
  observedTtftMs: (a) => a.observed?.ttftMs ?? null,
  observedItlMs: (a) => a.observed?.itlMs ?? null,
  /** observed num_req / throughput_adjustment_interval (the configured interval, as upstream). */
  observedRequestsPerSecond: (a, perInterval) => perInterval(a.observed?.numReq),
  observedRequestDurationSeconds: (a) => a.observed?.requestDurationS ?? null,
  observedInputSequenceTokens: (a) => a.observed?.isl ?? null,
  observedOutputSequenceTokens: (a) => a.observed?.osl ?? null,
  observedKvHitRate: (a) => a.observed?.kvHitRate ?? null,
  estimatedTtftMs: (a) => a.effects.diagnostics.estimatedTtftMs,
  estimatedItlMs: (a) => a.effects.diagnostics.estimatedItlMs,
  /** predicted num_req / throughput_adjustment_interval. */
  predictedRequestsPerSecond: (a, perInterval) => perInterval(a.effects.diagnostics.predictedNumReq),
  predictedInputSequenceTokens: (a) => a.effects.diagnostics.predictedIsl,
  predictedOutputSequenceTokens: (a) => a.effects.diagnostics.predictedOsl,
  predictedKvHitRate: (a) => a.effects.diagnostics.predictedKvHitRate,
  engineRpsPrefill: (a) => a.effects.diagnostics.engineRpsPrefill,
  engineRpsDecode: (a) => a.effects.diagnostics.engineRpsDecode,
  loadDecisionReason: (a) => a.effects.diagnostics.loadDecisionReason,
  throughputDecisionReason: (a) => a.effects.diagnostics.throughputDecisionReason,
  loadDecisionReasonPrefill: (a) => a.effects.diagnostics.loadDecisionReasonPrefill,
  loadDecisionReasonDecode: (a) => a.effects.diagnostics.loadDecisionReasonDecode,
  throughputDecisionReasonPrefill: (a) => a.effects.diagnostics.throughputDecisionReasonPrefill,
  throughputDecisionReasonDecode: (a) => a.effects.diagnostics.throughputDecisionReasonDecode,
  prefillEngines: (a): readonly PerEngineFpm[] => perEngine(a.input.fpmObservations?.prefill ?? null),
  decodeEngines: (a): readonly PerEngineFpm[] => perEngine(a.input.fpmObservations?.decode ?? null),
  throughputLowerBoundPrefill: (a) => a.effects.diagnostics.throughputLowerBoundPrefill,
  throughputLowerBoundDecode: (a) => a.effects.diagnostics.throughputLowerBoundDecode,
  scaleToPrefill: (a) => a.effects.scaleTo?.numPrefill ?? null,
  scaleToDecode: (a) => a.effects.scaleTo?.numDecode ?? null,
  /** Cumulative GPU-hours as computed by the driver. */
  gpuHours: (a) => a.gpuHours,
} satisfies Record<string, (args: RecordTickArgs, perInterval: PerInterval) => unknown>;

type SnapshotFields = typeof TICK_SNAPSHOT_FIELDS;

/** One tick's diagnostics (docs/planner.md#diagnostics): the fields of TICK_SNAPSHOT_FIELDS, in its order. */
export type TickSnapshot = { readonly [K in keyof SnapshotFields]: ReturnType<SnapshotFields[K]> };

const TICK_SNAPSHOT_KEYS = Object.keys(TICK_SNAPSHOT_FIELDS) as (keyof SnapshotFields)[];

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
    const perInterval: PerInterval = (x) =>
      x === null || x === undefined ? null : x / this.throughputIntervalS;
    const snapshot: Record<string, unknown> = {};
    for (const key of TICK_SNAPSHOT_KEYS) snapshot[key] = TICK_SNAPSHOT_FIELDS[key](args, perInterval);
    this.buffer.push(snapshot as TickSnapshot);
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
