import * as flatbuffers from "flatbuffers";
import { KV_TIER_ROW_KEYS, PLANNER_ROW_KEYS, ROW_METRIC_KEYS } from "../../report/capacity/row-keys.js";
import type { RouterMode } from "../../sim/router/router-policies.js";
import { InputError } from "../../util/errors.js";
import type { SweepRow } from "../sweep/row.js";
import { rootInBounds, viewInBounds } from "./bounds.js";
import { SweepRow as FbSweepRow, SweepRows as FbSweepRows } from "./generated/sweep_rows_generated.js";
import { packMetadata, unpackMetadata } from "./msgpack.js";

/**
 * Sweep rows as a FlatBuffers file (.kvsweep, schema src/parallel/schema/sweep_rows.fbs, identifier "KVSW"),
 * readable from any FlatBuffers language. Nullable integers are stored as -1, absent labels as "", the
 * question verdict as -1/0/1; metrics as one double vector per row whose names the header lists, so a reader
 * needs no copy of ROW_METRIC_KEYS. Decoding checks the header against this build's layout.
 *
 * KV-tier fields (kv_tier_metric_names, each row's kv_tier_metrics) were appended later and are written only
 * for a grid with tiers — a grid without them encodes to the same bytes as before they existed — and only for
 * the points that have a tier; an older file reads as a grid without tiers.
 */

export const SWEEP_ROWS_VERSION = 1;
export const SWEEP_ROWS_IDENTIFIER = "KVSW";

export interface SweepRowsFile {
  readonly gridHash: string;
  readonly shardIndex: number;
  readonly shardCount: number;
  readonly totalPoints: number;
  /** Whether rows carry planner metrics (the grid has a planner config). */
  readonly withPlanner: boolean;
  /** Whether rows have KV-tier columns (some point of the grid has a host or disk tier). */
  readonly withKvTiers: boolean;
  readonly rows: readonly SweepRow[];
}

const orMinus1 = (v: number | null): number => (v === null ? -1 : v);
const orNull = (v: number): number | null => (v < 0 ? null : v);

export function encodeSweepRows(file: SweepRowsFile): Uint8Array {
  const b = new flatbuffers.Builder(4096 + file.rows.length * 1024);
  const rowOffsets = file.rows.map((r) => {
    const id = b.createString(r.id);
    const trace = b.createString(r.trace);
    const mode = b.createString(r.mode);
    const routerMode = b.createString(r.routerMode);
    const routerConfig = b.createString(r.routerConfig);
    const engineArgs = b.createString(r.engineArgs);
    const prefill = b.createString(r.prefillEngineArgs ?? "");
    const decode = b.createString(r.decodeEngineArgs ?? "");
    const planner = b.createString(r.plannerConfig ?? "");
    const metrics = FbSweepRow.createMetricsVector(b, r.metrics);
    const plannerMetrics = FbSweepRow.createPlannerMetricsVector(b, r.plannerMetrics ?? new Float64Array(0));
    const config = FbSweepRow.createConfigVector(b, packMetadata(r.config));
    // 0 = field absent (no bytes at all: the vtable drops trailing empty slots).
    const kvTiers =
      file.withKvTiers && r.kvTierMetrics !== null
        ? FbSweepRow.createKvTierMetricsVector(b, r.kvTierMetrics)
        : 0;
    return FbSweepRow.createSweepRow(
      b,
      r.index,
      id,
      trace,
      mode,
      orMinus1(r.numWorkers),
      orMinus1(r.numPrefillWorkers),
      orMinus1(r.numDecodeWorkers),
      routerMode,
      routerConfig,
      engineArgs,
      prefill,
      decode,
      planner,
      r.arrivalSpeedupRatio,
      orMinus1(r.concurrency),
      r.seed,
      r.gpuCount,
      r.gpuHours,
      r.slaPass === null ? -1 : r.slaPass ? 1 : 0,
      metrics,
      plannerMetrics,
      r.wallTimeMs,
      config,
      kvTiers,
    );
  });
  const gridHash = b.createString(file.gridHash);
  const metricNames = FbSweepRows.createMetricNamesVector(
    b,
    ROW_METRIC_KEYS.map((k) => b.createString(k)),
  );
  const plannerNames = FbSweepRows.createPlannerMetricNamesVector(
    b,
    (file.withPlanner ? PLANNER_ROW_KEYS : []).map((k) => b.createString(k)),
  );
  const rows = FbSweepRows.createRowsVector(b, rowOffsets);
  const kvTierNames = file.withKvTiers
    ? FbSweepRows.createKvTierMetricNamesVector(
        b,
        KV_TIER_ROW_KEYS.map((k) => b.createString(k)),
      )
    : 0;
  const root = FbSweepRows.createSweepRows(
    b,
    SWEEP_ROWS_VERSION,
    gridHash,
    file.shardIndex,
    file.shardCount,
    file.totalPoints,
    metricNames,
    plannerNames,
    rows,
    kvTierNames,
  );
  FbSweepRows.finishSweepRowsBuffer(b, root);
  return b.asUint8Array();
}

function names(n: number, at: (k: number) => string): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(at(k));
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

/** Reads a .kvsweep buffer; InputError naming `displayName` when it is foreign, truncated or of another layout. */
export function decodeSweepRows(input: Uint8Array, displayName: string): SweepRowsFile {
  const corrupt = (why: string) => new InputError(`${displayName}: not a readable .kvsweep file (${why})`);
  if (input.length < 8 || new TextDecoder().decode(input.subarray(4, 8)) !== SWEEP_ROWS_IDENTIFIER) {
    throw corrupt(`no "${SWEEP_ROWS_IDENTIFIER}" identifier`);
  }
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  if (!rootInBounds(bytes)) throw corrupt("truncated");
  try {
    const t = FbSweepRows.getRootAsSweepRows(new flatbuffers.ByteBuffer(bytes));
    const version = t.version();
    // Every writer stores a version ≥ 1; 0 is the runtime's default for an absent field: a damaged table.
    if (version === 0) throw corrupt("no version field");
    if (version !== SWEEP_ROWS_VERSION) {
      throw new InputError(
        `${displayName}: .kvsweep version ${version} is not supported (this kvsim reads version ${SWEEP_ROWS_VERSION})`,
      );
    }
    const metricNames = names(t.metricNamesLength(), (k) => t.metricNames(k));
    if (!sameList(metricNames, ROW_METRIC_KEYS)) throw corrupt("its metric columns differ from this kvsim's");
    const plannerNames = names(t.plannerMetricNamesLength(), (k) => t.plannerMetricNames(k));
    const withPlanner = plannerNames.length > 0;
    if (withPlanner && !sameList(plannerNames, PLANNER_ROW_KEYS))
      throw corrupt("its planner columns differ from this kvsim's");
    const kvTierNames = names(t.kvTierMetricNamesLength(), (k) => t.kvTierMetricNames(k));
    const withKvTiers = kvTierNames.length > 0;
    if (withKvTiers && !sameList(kvTierNames, KV_TIER_ROW_KEYS))
      throw corrupt("its KV-tier columns differ from this kvsim's");
    const rows: SweepRow[] = [];
    const row = new FbSweepRow();
    for (let k = 0; k < t.rowsLength(); k++) {
      const r = t.rows(k, row);
      if (r === null) throw corrupt(`row ${k} is missing`);
      const metrics = r.metricsArray();
      if (metrics === null || metrics.length !== ROW_METRIC_KEYS.length || !viewInBounds(bytes, metrics))
        throw corrupt(`row ${k} has no metrics`);
      const planner = r.plannerMetricsArray();
      const plannerMetrics = planner !== null && planner.length > 0 ? planner.slice() : null;
      if (withPlanner && plannerMetrics !== null && plannerMetrics.length !== PLANNER_ROW_KEYS.length)
        throw corrupt(`row ${k} has ${plannerMetrics.length} planner metrics`);
      const tiers = withKvTiers ? r.kvTierMetricsArray() : null;
      if (tiers !== null && !viewInBounds(bytes, tiers))
        throw corrupt(`row ${k} has truncated KV-tier metrics`);
      const kvTierMetrics = tiers !== null && tiers.length > 0 ? tiers.slice() : null;
      if (kvTierMetrics !== null && kvTierMetrics.length !== KV_TIER_ROW_KEYS.length)
        throw corrupt(`row ${k} has ${kvTierMetrics.length} KV-tier metrics`);
      const configBytes = r.configArray();
      const config = configBytes === null ? {} : (unpackMetadata(configBytes) as Record<string, unknown>);
      const str = (v: string | null): string => v ?? "";
      const opt = (v: string | null): string | null => (v === null || v === "" ? null : v);
      const mode = str(r.mode());
      if (mode !== "agg" && mode !== "disagg") throw corrupt(`row ${k} has mode "${mode}"`);
      const sla = r.slaPass();
      rows.push({
        index: r.index(),
        id: str(r.id()),
        trace: str(r.trace()),
        mode,
        numWorkers: orNull(r.numWorkers()),
        numPrefillWorkers: orNull(r.numPrefillWorkers()),
        numDecodeWorkers: orNull(r.numDecodeWorkers()),
        routerMode: str(r.routerMode()) as RouterMode,
        routerConfig: str(r.routerConfig()),
        engineArgs: str(r.engineArgs()),
        prefillEngineArgs: opt(r.prefillEngineArgs()),
        decodeEngineArgs: opt(r.decodeEngineArgs()),
        plannerConfig: opt(r.plannerConfig()),
        arrivalSpeedupRatio: r.arrivalSpeedupRatio(),
        concurrency: orNull(r.concurrency()),
        seed: r.seed(),
        gpuCount: r.gpuCount(),
        gpuHours: r.gpuHours(),
        slaPass: sla < 0 ? null : sla === 1,
        metrics: metrics.slice(),
        plannerMetrics,
        kvTierMetrics,
        wallTimeMs: r.wallTimeMs(),
        config,
      });
    }
    return {
      gridHash: t.gridHash() ?? "",
      shardIndex: t.shardIndex(),
      shardCount: t.shardCount(),
      totalPoints: t.totalPoints(),
      withPlanner,
      withKvTiers,
      rows,
    };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw corrupt(error instanceof Error ? error.message : String(error));
  }
}
