import { type CapacityQuestion, meetsQuestion } from "../../report/capacity/question.js";
import {
  KV_TIER_ROW_KEYS,
  PLANNER_ROW_KEYS,
  ROW_METRIC_KEYS,
  rowMetricIndex,
} from "../../report/capacity/row-keys.js";
import { kvTierRowValues } from "../../report/capacity/row-kv-tiers.js";
import type { SweepRow } from "../../report/capacity/sweep-row.js";
import { type JsonScalar, stringifyFlat } from "../../report/json-stable.js";
import type { SweepPoint } from "./expand.js";
import type { PointDoneReply } from "./protocol.js";

export type { SweepRow };

/**
 * One sweep row per grid point: what the point is (its axis labels), what it costs (GPUs, GPU-hours), whether
 * it answers the capacity question, and the replay report's key metrics. Rows serialise to JSONL and CSV with
 * exactly `sweepRowKeys(...)`, in that order, numbers in shortest round-trip form — so the same points give
 * byte-identical files whatever the thread count or slicing (wall_time_ms aside).
 */

const HEAD_KEYS = [
  "index",
  "id",
  "trace",
  "mode",
  "num_workers",
  "num_prefill_workers",
  "num_decode_workers",
  "router_mode",
  "router_config",
  "engine_args",
  "prefill_engine_args",
  "decode_engine_args",
  "planner_config",
  "arrival_speedup_ratio",
  "concurrency",
  "seed",
  "gpu_count",
  "gpu_hours",
  "sla_pass",
] as const;

/**
 * Column order of JSONL/CSV rows; planner columns only when the grid has a planner config, KV-tier columns only
 * when some point of the grid has a host or disk tier (so a grid without either writes the columns it always did).
 */
export function sweepRowKeys(withPlanner: boolean, withKvTiers = false): readonly string[] {
  return [
    ...HEAD_KEYS,
    ...ROW_METRIC_KEYS,
    ...(withPlanner ? PLANNER_ROW_KEYS : []),
    ...(withKvTiers ? KV_TIER_ROW_KEYS : []),
    "wall_time_ms",
  ];
}

const MS_PER_HOUR = 3_600_000;
const DURATION = rowMetricIndex("duration_ms");
const PEAK_GPUS = PLANNER_ROW_KEYS.indexOf("planner_peak_gpus");

/** Builds a point's row from its worker reply. */
export function buildSweepRow(
  point: SweepPoint,
  reply: PointDoneReply,
  question: CapacityQuestion | null,
  config: Readonly<Record<string, unknown>>,
): SweepRow {
  const s = point.shape;
  const planner = reply.plannerMetrics;
  const gpuCount = planner === null ? point.gpuCount : (planner[PEAK_GPUS] as number);
  const gpuHours =
    reply.plannerGpuHours ?? (point.gpuCount * (reply.metrics[DURATION] as number)) / MS_PER_HOUR;
  return {
    index: point.index,
    id: point.id,
    trace: point.traceLabel,
    mode: s.mode,
    numWorkers: s.mode === "agg" ? s.numWorkers : null,
    numPrefillWorkers: s.mode === "disagg" ? s.numPrefillWorkers : null,
    numDecodeWorkers: s.mode === "disagg" ? s.numDecodeWorkers : null,
    routerMode: point.routerMode,
    routerConfig: point.routerConfig.label,
    engineArgs: point.engineArgs.label,
    prefillEngineArgs: point.prefillEngineArgs?.label ?? null,
    decodeEngineArgs: point.decodeEngineArgs?.label ?? null,
    plannerConfig: point.plannerConfig.value === null ? null : point.plannerConfig.label,
    arrivalSpeedupRatio: point.arrivalSpeedupRatio,
    concurrency: point.concurrency,
    seed: point.seed,
    gpuCount,
    gpuHours,
    slaPass: question === null ? null : meetsQuestion(reply.metrics, question),
    metrics: reply.metrics,
    plannerMetrics: planner,
    kvTierMetrics: reply.kvTierMetrics,
    wallTimeMs: reply.wallTimeMs,
    config,
  };
}

/** The same row with the question (re)applied — merge and CLI flags can ask a different one. */
export function withQuestion(row: SweepRow, question: CapacityQuestion | null): SweepRow {
  return { ...row, slaPass: question === null ? null : meetsQuestion(row.metrics, question) };
}

/** A row as a flat record of scalars, keyed by sweepRowKeys. */
export function sweepRowRecord(
  row: SweepRow,
  withPlanner: boolean,
  withKvTiers = false,
): Record<string, JsonScalar> {
  const out: Record<string, JsonScalar> = {
    index: row.index,
    id: row.id,
    trace: row.trace,
    mode: row.mode,
    num_workers: row.numWorkers,
    num_prefill_workers: row.numPrefillWorkers,
    num_decode_workers: row.numDecodeWorkers,
    router_mode: row.routerMode,
    router_config: row.routerConfig,
    engine_args: row.engineArgs,
    prefill_engine_args: row.prefillEngineArgs,
    decode_engine_args: row.decodeEngineArgs,
    planner_config: row.plannerConfig,
    arrival_speedup_ratio: row.arrivalSpeedupRatio,
    concurrency: row.concurrency,
    seed: row.seed,
    gpu_count: row.gpuCount,
    gpu_hours: row.gpuHours,
    sla_pass: row.slaPass,
  };
  ROW_METRIC_KEYS.forEach((key, k) => {
    // A statistic without samples is NaN in the row (docs/sweeps-and-sharding.md#outputs): null in JSONL, an
    // empty CSV cell.
    const v = row.metrics[k] as number;
    out[key] = Number.isNaN(v) ? null : v;
  });
  if (withPlanner) {
    PLANNER_ROW_KEYS.forEach((key, k) => {
      out[key] = row.plannerMetrics === null ? null : (row.plannerMetrics[k] as number);
    });
  }
  if (withKvTiers) Object.assign(out, kvTierRowValues(row));
  out.wall_time_ms = row.wallTimeMs;
  return out;
}

export interface RowTextOptions {
  readonly withPlanner: boolean;
  /** KV-tier columns (some point of the grid has a host or disk tier). */
  readonly withKvTiers?: boolean;
  /** Leave out wall_time_ms (byte-for-byte comparisons between runs). */
  readonly omitWallTime?: boolean;
}

function keysFor(options: RowTextOptions): readonly string[] {
  const keys = sweepRowKeys(options.withPlanner, options.withKvTiers === true);
  return options.omitWallTime === true ? keys.filter((k) => k !== "wall_time_ms") : keys;
}

function recordFor(row: SweepRow, options: RowTextOptions): Record<string, JsonScalar> {
  const record = sweepRowRecord(row, options.withPlanner, options.withKvTiers === true);
  if (options.omitWallTime === true) delete record.wall_time_ms;
  return record;
}

/** One JSON object per line, rows in the given order. */
export function rowsToJsonl(rows: readonly SweepRow[], options: RowTextOptions): string {
  const keys = keysFor(options);
  let out = "";
  for (const row of rows) out += `${stringifyFlat(recordFor(row, options), keys, 0)}\n`;
  return out;
}

function csvCell(value: JsonScalar): string {
  if (value === null) return "";
  if (typeof value === "number") return Object.is(value, -0) ? "0" : String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  return /[",\n\r]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A header line, then one line per row (RFC 4180 quoting; null = empty cell). */
export function rowsToCsv(rows: readonly SweepRow[], options: RowTextOptions): string {
  const keys = keysFor(options);
  let out = `${keys.join(",")}\n`;
  for (const row of rows) {
    const record = recordFor(row, options);
    out += `${keys.map((k) => csvCell(record[k] as JsonScalar)).join(",")}\n`;
  }
  return out;
}
