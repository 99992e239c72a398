import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  type CapacityAnswer,
  type CapacityQuestion,
  questionToJson,
} from "../../report/capacity/question.js";
import { ROW_METRIC_KEYS } from "../../report/capacity/row-keys.js";
import { outputPathError } from "../../report/output-error.js";
import type { TraceColumns } from "../../trace/columns.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { packageRoot } from "../../util/package-root.js";
import { packMetadata } from "../schema/msgpack.js";
import { encodeSweepRows } from "../schema/sweep-rows-file.js";
import type { SweepGrid } from "./grid.js";
import type { SweepTraceSpec } from "./grid-axes.js";
import { gridHasKvTiers } from "./grid-kv-tiers.js";
import { type RowTextOptions, rowsToCsv, rowsToJsonl, type SweepRow } from "./row.js";
import type { SweepResult } from "./run-sweep.js";
import type { ShardSpec } from "./shard-spec.js";

/**
 * A sweep's output directory:
 *
 *   rows.jsonl        one JSON object per point, grid order (sweepRowKeys)
 *   rows.csv          the same rows as CSV
 *   rows.kvsweep      the same rows as FlatBuffers (src/parallel/schema/sweep_rows.fbs), any language
 *   report.html       self-contained page: answer, charts, table
 *   manifest.msgpack  MessagePack: grid, hash, slice, traces, question, answer — written LAST, so a directory
 *                     without it is not a finished sweep (kvsim merge refuses it)
 *   rows.partial.jsonl  only after a failed or interrupted run: the rows that did finish; never the final name
 *
 * Every file is written whole or not at all (temporary file, then rename).
 */

export const SWEEP_FILES = {
  jsonl: "rows.jsonl",
  csv: "rows.csv",
  kvsweep: "rows.kvsweep",
  html: "report.html",
  manifest: "manifest.msgpack",
  partial: "rows.partial.jsonl",
} as const;

export const MANIFEST_FORMAT = "kvsim-sweep-manifest";
export const MANIFEST_VERSION = 1;

export interface SweepTraceInfo {
  readonly label: string;
  /** "@default", the path as the grid wrote it, or "synthetic". */
  readonly source: string;
  readonly checksum: string;
  readonly requests: number;
}

/** Everything a sweep output directory is made from (a run's result, or a merge of slices). */
export interface SweepOutput {
  readonly gridHash: string;
  readonly grid: unknown;
  readonly title: string | null;
  readonly question: CapacityQuestion | null;
  readonly shard: ShardSpec;
  readonly totalPoints: number;
  readonly traces: readonly SweepTraceInfo[];
  readonly withPlanner: boolean;
  /** KV-tier columns: some point of the grid has a host or disk tier (gridHasKvTiers). */
  readonly withKvTiers: boolean;
  readonly rows: readonly SweepRow[];
  readonly answer: CapacityAnswer<SweepRow> | null;
  /** Null for a merge. */
  readonly threads: number | null;
  readonly wallTimeMs: number;
  /** For a merge: the slices it combined. */
  readonly mergedFrom: readonly { readonly dir: string; readonly shard: string }[] | null;
}

function traceSource(spec: SweepTraceSpec, written: unknown): string {
  if (spec.kind === "default") return "@default";
  if (spec.kind === "synthetic") return "synthetic";
  if (typeof written === "string") return written;
  const path = (written as { path?: unknown } | null)?.path;
  return typeof path === "string" ? path : spec.path;
}

export function gridHasPlanner(grid: SweepGrid): boolean {
  return grid.plannerConfigs.some((p) => p.value !== null);
}

export function sweepTraceInfo(grid: SweepGrid, traces: readonly TraceColumns[]): SweepTraceInfo[] {
  return grid.traces.map((t, k) => ({
    label: t.label,
    source: traceSource(t.value, t.written),
    checksum: traces[k]?.sourceChecksum ?? "",
    requests: traces[k]?.count ?? 0,
  }));
}

export function sweepOutputFromResult(result: SweepResult, traces: readonly TraceColumns[]): SweepOutput {
  return {
    gridHash: result.gridHash,
    grid: result.grid.written,
    title: result.grid.name,
    question: result.question,
    shard: result.shard,
    totalPoints: result.totalPoints,
    traces: sweepTraceInfo(result.grid, traces),
    withPlanner: gridHasPlanner(result.grid),
    withKvTiers: gridHasKvTiers(result.grid),
    rows: result.rows,
    answer: result.answer,
    threads: result.threads,
    wallTimeMs: result.wallTimeMs,
    mergedFrom: null,
  };
}

function kvsimVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string })
      .version;
  } catch {
    return "unknown";
  }
}

/** The manifest as plain data (MessagePack-encoded in manifest.msgpack). */
export function sweepManifest(out: SweepOutput): Record<string, unknown> {
  const answer = out.answer;
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    kvsim_version: kvsimVersion(),
    grid_hash: out.gridHash,
    title: out.title,
    grid: out.grid,
    question: out.question === null ? null : questionToJson(out.question),
    shard: { index: out.shard.index, count: out.shard.count, strategy: "round_robin" },
    total_points: out.totalPoints,
    point_indexes: out.rows.map((r) => r.index),
    traces: out.traces.map((t) => ({ ...t })),
    with_planner: out.withPlanner,
    // Only in a grid with tiers, so a manifest without them has the keys it always had.
    ...(out.withKvTiers ? { with_kv_tiers: true } : {}),
    metric_names: [...ROW_METRIC_KEYS],
    answer:
      answer === null
        ? null
        : answer.kind === "cheapest"
          ? {
              kind: "cheapest",
              index: answer.row.index,
              id: answer.row.id,
              passing: answer.passing,
              total: answer.total,
            }
          : { kind: "none", closest_index: answer.closest?.index ?? null, passing: 0, total: answer.total },
    threads: out.threads,
    wall_time_ms: out.wallTimeMs,
    merged_from: out.mergedFrom === null ? null : out.mergedFrom.map((m) => ({ ...m })),
    files: { ...SWEEP_FILES, partial: null },
  };
}

function writeOne(dir: string, name: string, data: string | Uint8Array): void {
  const path = join(dir, name);
  try {
    writeFileAtomic(path, data);
  } catch (error) {
    throw outputPathError(path, error);
  }
}

function removeOne(dir: string, name: string): void {
  const path = join(dir, name);
  try {
    rmSync(path, { force: true });
  } catch (error) {
    throw outputPathError(path, error);
  }
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw outputPathError(dir, error);
  }
}

/**
 * Writes the whole output set; the manifest goes last. Removes a partial file an earlier failed run left.
 * Async only because the chart library (~0.7 s to load) is imported here, when a page is actually written.
 */
export async function writeSweepOutputs(dir: string, out: SweepOutput): Promise<void> {
  const { renderSweepHtml } = await import("../../report/capacity/sweep-html.js");
  ensureDir(dir);
  // An earlier run's manifest would vouch for a half-replaced set if a write below fails: it goes first.
  removeOne(dir, SWEEP_FILES.manifest);
  const text = { withPlanner: out.withPlanner, withKvTiers: out.withKvTiers };
  writeOne(dir, SWEEP_FILES.jsonl, rowsToJsonl(out.rows, text));
  writeOne(dir, SWEEP_FILES.csv, rowsToCsv(out.rows, text));
  writeOne(
    dir,
    SWEEP_FILES.kvsweep,
    encodeSweepRows({
      gridHash: out.gridHash,
      shardIndex: out.shard.index,
      shardCount: out.shard.count,
      totalPoints: out.totalPoints,
      withPlanner: out.withPlanner,
      withKvTiers: out.withKvTiers,
      rows: out.rows,
    }),
  );
  writeOne(
    dir,
    SWEEP_FILES.html,
    renderSweepHtml({
      title: out.title,
      rows: out.rows,
      question: out.question,
      answer: out.answer,
      totalPoints: out.totalPoints,
      shard: out.shard,
      withKvTiers: out.withKvTiers,
    }),
  );
  writeOne(dir, SWEEP_FILES.manifest, packMetadata(sweepManifest(out)));
  removeOne(dir, SWEEP_FILES.partial);
}

/** After a failure or interruption: the finished rows under the partial name only. Returns its path. */
export function writePartialRows(dir: string, rows: readonly SweepRow[], columns: RowTextOptions): string {
  ensureDir(dir);
  writeOne(dir, SWEEP_FILES.partial, rowsToJsonl(rows, columns));
  return join(dir, SWEEP_FILES.partial);
}
