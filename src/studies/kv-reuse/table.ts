// The study table: one row per point, as GitHub markdown (README, kv-reuse.md) and as aligned plain text (the
// console). Table cells are formatted once, so both forms show the same digits.

import { formatPercent, type TableColumn, tableMarkdown, tableText } from "../table-format.js";
import type { StudyPoint } from "./design.js";
import type { StudyPointFigures, StudyPointResult } from "./point-run.js";

export type StudyColumn = TableColumn;

export const STUDY_COLUMNS: readonly StudyColumn[] = [
  { header: "workload", numeric: false },
  { header: "mode", numeric: false },
  { header: "cadence", numeric: false },
  { header: "KV awareness", numeric: false },
  { header: "GPU-hours", numeric: true },
  { header: "vs off", numeric: true },
  { header: "peak prefill", numeric: true },
  { header: "peak decode/agg", numeric: true },
  { header: "TTFT SLA met", numeric: true },
  { header: "ITL SLA met", numeric: true },
  { header: "transitions", numeric: true },
  { header: "applied hit rate", numeric: true },
  { header: "realised reuse", numeric: true },
];

const DASH = "—";

/** (on − off) / off as a signed percentage; "n/a" when off is 0. */
export function formatChange(on: number, off: number): string {
  if (off === 0) return "n/a";
  const pct = ((on - off) / off) * 100;
  const text = pct.toFixed(1);
  // A change that rounds to zero reads as 0.0%, never "-0.0%".
  if (text === "0.0" || text === "-0.0") return "0.0%";
  return `${pct > 0 ? "+" : ""}${text}%`;
}

/** The awareness-off twin of a point (same workload, mode and cadence), if the results hold it. */
function offTwin(results: readonly StudyPointResult[], point: StudyPoint): StudyPointFigures | null {
  const twin = results.find(
    (r) =>
      !r.point.awareness &&
      r.point.workload === point.workload &&
      r.point.mode === point.mode &&
      r.point.cadence === point.cadence,
  );
  return twin === undefined ? null : twin.figures;
}

/** Every row's cells as text, in STUDY_COLUMNS order. */
export function studyTableRows(results: readonly StudyPointResult[]): string[][] {
  return results.map(({ point, figures: f }) => {
    const off = point.awareness ? offTwin(results, point) : null;
    return [
      point.workload,
      point.mode,
      point.cadence,
      point.awareness ? "on" : "off",
      f.gpuHours.toFixed(3),
      off === null ? "" : formatChange(f.gpuHours, off.gpuHours),
      f.peakPrefillReplicas === null ? DASH : String(f.peakPrefillReplicas),
      String(f.peakDecodeReplicas),
      formatPercent(f.ttftAttainment),
      formatPercent(f.itlAttainment),
      String(f.replicaTransitions),
      f.sticky.meanApplied.toFixed(2),
      formatPercent(f.realisedTokenReuse),
    ];
  });
}

/** GitHub markdown table (numbers right-aligned). */
export function studyTableMarkdown(results: readonly StudyPointResult[]): string {
  return tableMarkdown(STUDY_COLUMNS, studyTableRows(results));
}

/** Aligned plain text: a header, a rule, one line per point; columns two spaces apart. */
export function studyTableText(results: readonly StudyPointResult[]): string {
  return tableText(STUDY_COLUMNS, studyTableRows(results));
}

export { formatPercent };
