// The planner study table: one row per replay, plus one "cheapest static" row per workload and topology (the
// cluster the hindsight point's search verified), as markdown (docs) and aligned text (console).

import { formatPercent, type TableColumn, tableMarkdown, tableText } from "../table-format.js";
import { SLA_ATTAINMENT_TARGET } from "./design.js";
import type { PlannerPointFigures, PlannerPointResult } from "./point-run.js";

export const PLANNER_STUDY_COLUMNS: readonly TableColumn[] = [
  { header: "workload", numeric: false },
  { header: "mode", numeric: false },
  { header: "planner", numeric: false },
  { header: "KV awareness", numeric: false },
  { header: "GPU-hours", numeric: true },
  { header: "vs hindsight", numeric: true },
  { header: "vs static", numeric: true },
  { header: "TTFT SLA met", numeric: true },
  { header: "ITL SLA met", numeric: true },
  { header: "meets target", numeric: false },
  { header: "peak prefill", numeric: true },
  { header: "peak decode/agg", numeric: true },
  { header: "transitions", numeric: true },
  { header: "per pool per 5 min", numeric: true },
];

const DASH = "—";

/** A row's figures and labels, whether it is a replay or the static cluster of a hindsight point. */
export interface PlannerRow {
  readonly workload: string;
  readonly mode: string;
  readonly planner: string;
  readonly awareness: string;
  readonly gpuHours: number;
  readonly ttftAttainment: number;
  readonly itlAttainment: number;
  readonly peakPrefill: number | null;
  readonly peakDecode: number;
  readonly transitions: number | null;
  readonly transitionsPer5MinPerPool: number | null;
  /** GPU-hours of the same workload and mode's hindsight schedule and cheapest static cluster. */
  readonly hindsightGpuHours: number | null;
  readonly staticGpuHours: number | null;
}

/** Whether both attainments reach the study's target (what kvsim aims for; what hindsight must meet). */
export function meetsTarget(ttft: number, itl: number): boolean {
  return ttft >= SLA_ATTAINMENT_TARGET && itl >= SLA_ATTAINMENT_TARGET;
}

function replayRow(r: PlannerPointResult, hindsight: PlannerPointFigures | null): PlannerRow {
  const f = r.figures;
  return {
    workload: r.point.workload,
    mode: r.point.mode,
    planner: r.point.policy,
    awareness: r.point.awareness === null ? DASH : r.point.awareness ? "on" : "off",
    gpuHours: f.gpuHours,
    ttftAttainment: f.ttftAttainment,
    itlAttainment: f.itlAttainment,
    peakPrefill: f.peakPrefillReplicas,
    peakDecode: f.peakDecodeReplicas,
    transitions: f.replicaTransitions,
    transitionsPer5MinPerPool: f.transitionsPer5MinPerPool,
    hindsightGpuHours: hindsight?.gpuHours ?? null,
    staticGpuHours: hindsight?.staticCluster?.gpuHours ?? null,
  };
}

/** The hindsight point of a replay's workload and mode, if the results hold it. */
function hindsightOf(
  results: readonly PlannerPointResult[],
  r: PlannerPointResult,
): PlannerPointFigures | null {
  const h = results.find(
    (x) =>
      x.point.policy === "hindsight" &&
      x.point.workload === r.point.workload &&
      x.point.mode === r.point.mode,
  );
  return h === undefined ? null : h.figures;
}

/** Every row: each replay in matrix order, each hindsight point followed by its static cluster. */
export function plannerRows(results: readonly PlannerPointResult[]): PlannerRow[] {
  const rows: PlannerRow[] = [];
  for (const r of results) {
    const h = hindsightOf(results, r);
    rows.push(replayRow(r, h));
    const s = r.point.policy === "hindsight" ? r.figures.staticCluster : null;
    if (s !== null) {
      rows.push({
        workload: r.point.workload,
        mode: r.point.mode,
        planner: s.prefill === null ? `static ${s.decode}` : `static ${s.prefill}P+${s.decode}D`,
        awareness: DASH,
        gpuHours: s.gpuHours,
        ttftAttainment: s.ttftAttainment,
        itlAttainment: s.itlAttainment,
        peakPrefill: s.prefill,
        peakDecode: s.decode,
        transitions: null,
        transitionsPer5MinPerPool: null,
        hindsightGpuHours: r.figures.gpuHours,
        staticGpuHours: s.gpuHours,
      });
    }
  }
  return rows;
}

function ratio(value: number, base: number | null): string {
  return base === null || base <= 0 ? DASH : `${(value / base).toFixed(2)}×`;
}

function cells(row: PlannerRow): string[] {
  return [
    row.workload,
    row.mode,
    row.planner,
    row.awareness,
    row.gpuHours.toFixed(3),
    ratio(row.gpuHours, row.hindsightGpuHours),
    ratio(row.gpuHours, row.staticGpuHours),
    formatPercent(row.ttftAttainment),
    formatPercent(row.itlAttainment),
    meetsTarget(row.ttftAttainment, row.itlAttainment) ? "yes" : "no",
    row.peakPrefill === null ? DASH : String(row.peakPrefill),
    String(row.peakDecode),
    row.transitions === null ? DASH : String(row.transitions),
    row.transitionsPer5MinPerPool === null ? DASH : row.transitionsPer5MinPerPool.toFixed(2),
  ];
}

export function plannerTableMarkdown(results: readonly PlannerPointResult[]): string {
  return tableMarkdown(PLANNER_STUDY_COLUMNS, plannerRows(results).map(cells));
}

export function plannerTableText(results: readonly PlannerPointResult[]): string {
  return tableText(PLANNER_STUDY_COLUMNS, plannerRows(results).map(cells));
}
