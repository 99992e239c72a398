// Diagnostics row 4 (docs/planner-in-the-loop.md#html-report): per-engine queued prefill tokens and
// queued + in-flight decode KV tokens, one line per (worker, dp rank), with the decode KV capacity as a
// dashed reference line.

import type { PerEngineFpmJson, TickSnapshotJson } from "../planner-result.js";
import type { ReportContext } from "./context.js";
import type { Point } from "./downsample.js";
import { formatNumber } from "./format.js";
import { type LineSpec, timePanel } from "./lines.js";
import type { Panel } from "./panel.js";

/** More engines than this: lines stay, the legend goes (it would cover the plot). */
const MAX_ENGINE_LEGEND = 10;

const KV_CAPACITY_COLOR = "#555555";

interface EngineKey {
  readonly label: string;
  readonly workerId: number | string;
  readonly dpRank: number;
}

function engineLabel(fpm: PerEngineFpmJson): string {
  return `${String(fpm.worker_id)}:dp${fpm.dp_rank}`;
}

/** Numeric worker id when it is one ("10" → 10), so engines sort 2 before 10; null for other names. */
function numericId(id: number | string): number | null {
  if (typeof id === "number") return id;
  return /^\d+$/.test(id) ? Number(id) : null;
}

function compareEngines(a: EngineKey, b: EngineKey): number {
  const an = numericId(a.workerId);
  const bn = numericId(b.workerId);
  if (an !== null && bn !== null && an !== bn) return an - bn;
  if ((an === null) !== (bn === null)) return an !== null ? -1 : 1;
  const as = String(a.workerId);
  const bs = String(b.workerId);
  if (as !== bs) return as < bs ? -1 : 1;
  return a.dpRank - b.dpRank;
}

/**
 * One line per engine over the ticks that carry engine metrics; an engine absent at such a tick (not yet
 * started, or drained) is a gap there.
 */
function engineLines(
  ticks: readonly TickSnapshotJson[],
  engines: (t: TickSnapshotJson) => readonly PerEngineFpmJson[],
  value: (fpm: PerEngineFpmJson) => number,
): LineSpec[] {
  const withData = ticks.filter((t) => engines(t).length > 0);
  const keys = new Map<string, EngineKey>();
  for (const t of withData) {
    for (const fpm of engines(t)) {
      const label = engineLabel(fpm);
      if (!keys.has(label)) keys.set(label, { label, workerId: fpm.worker_id, dpRank: fpm.dp_rank });
    }
  }
  const ordered = [...keys.values()].sort(compareEngines);
  const index = new Map<string, number>(ordered.map((k, i) => [k.label, i]));
  const columns: Point[][] = ordered.map(() => []);
  for (const t of withData) {
    const row: (number | null)[] = ordered.map(() => null);
    for (const fpm of engines(t)) row[index.get(engineLabel(fpm)) as number] = value(fpm);
    for (let i = 0; i < ordered.length; i++) (columns[i] as Point[]).push([t.timestamp_s, row[i] ?? null]);
  }
  return ordered.map((k, i) => ({ name: k.label, points: columns[i] as Point[], widthPx: 1.2 }));
}

function legendNote(count: number): string {
  return count > MAX_ENGINE_LEGEND ? ` ${count} engines, one line each (legend omitted).` : "";
}

/** Agg engines sit in the decode slot (docs/planner.md#modes) and also run prefill. */
function prefillEngines(ctx: ReportContext): (t: TickSnapshotJson) => readonly PerEngineFpmJson[] {
  return ctx.disagg
    ? (t) => t.prefill_engines
    : (t) => (t.prefill_engines.length > 0 ? t.prefill_engines : t.decode_engines);
}

export function prefillEngineLoadPanel(ctx: ReportContext): Panel {
  const lines = engineLines(ctx.loadTicks, prefillEngines(ctx), (f) => f.queued_prefill_tokens);
  const who = ctx.disagg ? "prefill engine" : "agg engine";
  return timePanel({
    id: "prefill-engine-load",
    title: "Prefill Engine Load (queued prefill tokens)",
    subtitle: `Queued prefill tokens per ${who} (worker:dp rank) from the forward-pass metrics of each load tick.${legendNote(lines.length)}`,
    yAxisName: "queued prefill (tokens)",
    lines,
    range: ctx.range,
    hideLegend: lines.length > MAX_ENGINE_LEGEND,
    yAxis: { min: 0 },
    noDataMessage: "no engine metrics recorded",
  });
}

export function decodeEngineLoadPanel(ctx: ReportContext): Panel {
  const lines = engineLines(
    ctx.loadTicks,
    (t) => t.decode_engines,
    (f) => f.queued_decode_kv_tokens + f.inflight_decode_kv_tokens,
  );
  const maxKv = ctx.planner.max_kv_tokens;
  const who = ctx.disagg ? "decode engine" : "agg engine";
  const references =
    maxKv === null
      ? []
      : [{ label: `KV Capacity ${formatNumber(maxKv)} tokens`, value: maxKv, color: KV_CAPACITY_COLOR }];
  return timePanel({
    id: "decode-engine-load",
    title: "Decode Engine Load (queued + inflight decode KV tokens)",
    subtitle: `Queued plus in-flight decode KV tokens per ${who} (worker:dp rank); dashed: the engine's KV capacity.${legendNote(lines.length)}`,
    yAxisName: "decode KV (tokens)",
    lines,
    range: ctx.range,
    references,
    hideLegend: lines.length > MAX_ENGINE_LEGEND,
    yAxis: { min: 0 },
    noDataMessage: "no engine metrics recorded",
  });
}
