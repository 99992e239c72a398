import type { PlannerSection } from "../../report/planner-result.js";
import type { ReplayReport } from "../../report/summary.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { CellLayout } from "./run-cells.js";
import { formatShardKey } from "./shard-key.js";

/**
 * The "cells" section of a sharded replay's report and its summary lines, with the error of K cells against the
 * unsharded (K = 1) replay of the same config:
 *
 *   TTFT p50 / p99   median_ttft_ms / p99_ttft_ms of the two reports
 *   GPU-hours        with a planner: planner.gpu_hours.total; without: the fixed worker count (1 GPU per worker,
 *                    as the planner counts a mock worker when *_engine_num_gpu is unset) × duration_ms
 *   relative error   (sharded − unsharded) / unsharded; null when the unsharded figure is 0
 *
 * Nothing here depends on the thread count, so the section is byte-identical for every --threads.
 */

export const COMPARED_METRICS = ["ttft_p50_ms", "ttft_p99_ms", "gpu_hours"] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

export interface MetricComparison {
  /** null: no sample (a run that completed no request). */
  readonly unsharded: number | null;
  readonly sharded: number | null;
  readonly relative_error: number | null;
}

export type UnshardedComparison = Readonly<Record<ComparedMetric, MetricComparison>>;

/** What a run contributes to the comparison. */
export interface ComparableRun {
  readonly report: ReplayReport;
  readonly planner: PlannerSection | null;
}

const MS_PER_HOUR = 3_600_000;

/** GPU-hours of a run: the planner's exact figure, else every fixed worker over the simulated duration. */
export function runGpuHours(run: ComparableRun, options: ClusterOptions): number {
  if (run.planner !== null) return run.planner.gpu_hours.total;
  const workers =
    options.mode === "agg" ? options.numWorkers : options.numPrefillWorkers + options.numDecodeWorkers;
  return (workers * run.report.duration_ms) / MS_PER_HOUR;
}

function compare(unsharded: number | null, sharded: number | null): MetricComparison {
  const error =
    unsharded === null || sharded === null || unsharded === 0 ? null : (sharded - unsharded) / unsharded;
  return { unsharded, sharded, relative_error: error };
}

export function compareWithUnsharded(
  sharded: ComparableRun,
  unsharded: ComparableRun,
  options: ClusterOptions,
): UnshardedComparison {
  return {
    ttft_p50_ms: compare(unsharded.report.median_ttft_ms, sharded.report.median_ttft_ms),
    ttft_p99_ms: compare(unsharded.report.p99_ttft_ms, sharded.report.p99_ttft_ms),
    gpu_hours: compare(runGpuHours(unsharded, options), runGpuHours(sharded, options)),
  };
}

export interface CellsSection {
  readonly count: number;
  readonly shard_key: string;
  readonly groups: number;
  readonly requests: readonly number[];
  readonly tokens: readonly number[];
  readonly workers: Readonly<Record<string, readonly number[]>>;
  /** Time of each cell's last simulated event, ms. */
  readonly end_ms: readonly number[];
  /** null under --no-compare-unsharded. */
  readonly compare_unsharded: UnshardedComparison | null;
}

export function cellsSection(
  layout: CellLayout,
  cellEndMs: readonly number[],
  comparison: UnshardedComparison | null,
): CellsSection {
  return {
    count: layout.count,
    shard_key: formatShardKey(layout.shardKey),
    groups: layout.groupCount,
    requests: layout.requests,
    tokens: layout.tokens,
    workers: layout.workers,
    end_ms: cellEndMs,
    compare_unsharded: comparison,
  };
}

function scalarJson(v: unknown): string {
  if (typeof v === "number" && !Number.isFinite(v))
    throw new RangeError(`cells section: non-finite number ${v}`);
  return Object.is(v, -0) ? "0" : JSON.stringify(v);
}

/** Objects one key per line, arrays of scalars on one line, nested at `indent`. */
function pretty(v: unknown, indent: string): string {
  if (v === null || typeof v !== "object") return scalarJson(v);
  if (Array.isArray(v)) return `[${v.map((x) => pretty(x, indent)).join(",")}]`;
  const inner = `${indent}  `;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner)}`).join(",\n")}\n${indent}}`;
}

/**
 * Appends `"cells": {...}` as the last key of a report's JSON text (the flat report, or report + planner): the
 * text before it is byte-for-byte what the unsharded run writes.
 */
export function appendCellsSection(json: string, section: CellsSection): string {
  const end = json.lastIndexOf("}");
  if (end < 0) throw new RangeError("appendCellsSection: not a JSON object");
  const head = json.slice(0, end).replace(/\s+$/, "");
  return `${head},\n  "cells": ${pretty(section, "  ")}\n}\n`;
}

function percent(e: number | null): string {
  if (e === null) return "n/a";
  const p = 100 * e;
  return `${p >= 0 ? "+" : ""}${p.toFixed(2)}%`;
}

function grouped(n: number | null, digits: number): string {
  if (n === null) return "N/A";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The lines printed after the table (and the planner summary). */
export function cellsSummaryLines(section: CellsSection): string[] {
  const mean = section.requests.reduce((a, b) => a + b, 0) / section.count;
  const lines = [
    `Cells: ${section.count} (shard key ${section.shard_key}, ${grouped(section.groups, 0)} groups); requests per ` +
      `cell ${section.requests.map((r) => grouped(r, 0)).join(" / ")} (max/mean ${(Math.max(...section.requests) / mean).toFixed(3)})`,
  ];
  const c = section.compare_unsharded;
  if (c === null) lines.push("Error vs unsharded: not measured (--no-compare-unsharded)");
  else {
    const item = (label: string, m: MetricComparison, digits: number, unit: string): string =>
      `${label} ${grouped(m.sharded, digits)}${unit} vs ${grouped(m.unsharded, digits)}${unit} (${percent(m.relative_error)})`;
    lines.push(
      `Error vs unsharded (K=1): ${item("TTFT p50", c.ttft_p50_ms, 2, " ms")}; ${item("TTFT p99", c.ttft_p99_ms, 2, " ms")}; ` +
        `${item("GPU-hours", c.gpu_hours, 4, "")}`,
    );
  }
  return lines;
}
