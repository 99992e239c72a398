// What every panel needs from the result, computed once: the shared time axis, the SLA targets and the tick
// subsets on which each kind of diagnostic is defined (estimates on load ticks, predictions on throughput ticks).

import type { PlannerReplayResultJson, PlannerSection, TickSnapshotJson } from "../planner-result.js";
import { type TimeRange, timeRange } from "./axes.js";
import type { Point } from "./downsample.js";

export interface ReportContext {
  readonly result: PlannerReplayResultJson;
  readonly planner: PlannerSection;
  readonly ticks: readonly TickSnapshotJson[];
  /** Ticks on which load scaling ran (some load reason recorded): estimates and engine FPMs live here. */
  readonly loadTicks: readonly TickSnapshotJson[];
  /** Ticks on which throughput scaling ran (some throughput reason recorded): predictions live here. */
  readonly throughputTicks: readonly TickSnapshotJson[];
  readonly range: TimeRange;
  readonly ttftSlaMs: number;
  readonly itlSlaMs: number;
  readonly disagg: boolean;
}

export function isLoadTick(t: TickSnapshotJson): boolean {
  return (
    t.load_decision_reason !== null ||
    t.load_decision_reason_prefill !== null ||
    t.load_decision_reason_decode !== null
  );
}

export function isThroughputTick(t: TickSnapshotJson): boolean {
  return (
    t.throughput_decision_reason !== null ||
    t.throughput_decision_reason_prefill !== null ||
    t.throughput_decision_reason_decode !== null
  );
}

/** First and last simulated second covered by the diagnostics, the scaling events and the KV samples. */
function timeBounds(planner: PlannerSection): { firstS: number; lastS: number } {
  let firstS = Number.POSITIVE_INFINITY;
  let lastS = Number.NEGATIVE_INFINITY;
  const see = (t: number): void => {
    if (!Number.isFinite(t)) return;
    if (t < firstS) firstS = t;
    if (t > lastS) lastS = t;
  };
  for (const t of planner.diagnostics) see(t.timestamp_s);
  for (const e of planner.scaling_events) see(e.at_s);
  for (const k of planner.kv_utilisation) see(k.at_s);
  if (firstS > lastS) return { firstS: 0, lastS: 1 };
  return { firstS, lastS };
}

export function buildContext(result: PlannerReplayResultJson): ReportContext {
  const planner = result.planner;
  const ticks = planner.diagnostics;
  const bounds = timeBounds(planner);
  return {
    result,
    planner,
    ticks,
    loadTicks: ticks.filter(isLoadTick),
    throughputTicks: ticks.filter(isThroughputTick),
    range: timeRange(bounds.firstS, bounds.lastS),
    ttftSlaMs: planner.sla_attainment.ttft_sla_ms,
    itlSlaMs: planner.sla_attainment.itl_sla_ms,
    disagg: planner.mode === "disagg",
  };
}

/** [timestamp, value] points of one snapshot field over the given ticks; non-finite values become gaps. */
export function column(
  ticks: readonly TickSnapshotJson[],
  pick: (t: TickSnapshotJson) => number | null | undefined,
): Point[] {
  return ticks.map((t) => {
    const v = pick(t);
    return [t.timestamp_s, v === null || v === undefined || !Number.isFinite(v) ? null : v] as const;
  });
}

export function timeSpanS(ctx: ReportContext): { firstS: number; lastS: number } | null {
  const first = ctx.ticks[0];
  const last = ctx.ticks[ctx.ticks.length - 1];
  if (first === undefined || last === undefined) return null;
  return { firstS: first.timestamp_s, lastS: last.timestamp_s };
}
