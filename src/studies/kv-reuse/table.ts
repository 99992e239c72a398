// The study table: one row per cell, as GitHub markdown (README, kv-reuse.md) and as aligned plain text (the
// console). Cells are formatted once, so both forms show the same digits.

import type { StudyCell } from "./design.js";
import type { StudyCellFigures, StudyCellResult } from "./point-run.js";

export interface StudyColumn {
  readonly header: string;
  /** Numbers align right, names left. */
  readonly numeric: boolean;
}

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

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** (on − off) / off as a signed percentage; "n/a" when off is 0. */
export function formatChange(on: number, off: number): string {
  if (off === 0) return "n/a";
  const pct = ((on - off) / off) * 100;
  const text = pct.toFixed(1);
  // A change that rounds to zero reads as 0.0%, never "-0.0%".
  if (text === "0.0" || text === "-0.0") return "0.0%";
  return `${pct > 0 ? "+" : ""}${text}%`;
}

/** The awareness-off twin of a cell (same workload, mode and cadence), if the results hold it. */
function offTwin(results: readonly StudyCellResult[], cell: StudyCell): StudyCellFigures | null {
  const twin = results.find(
    (r) =>
      !r.cell.awareness &&
      r.cell.workload === cell.workload &&
      r.cell.mode === cell.mode &&
      r.cell.cadence === cell.cadence,
  );
  return twin === undefined ? null : twin.figures;
}

/** Every row's cells as text, in STUDY_COLUMNS order. */
export function studyTableRows(results: readonly StudyCellResult[]): string[][] {
  return results.map(({ cell, figures: f }) => {
    const off = cell.awareness ? offTwin(results, cell) : null;
    return [
      cell.workload,
      cell.mode,
      cell.cadence,
      cell.awareness ? "on" : "off",
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

function escapeMarkdownCell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/** GitHub markdown table (numbers right-aligned). */
export function studyTableMarkdown(results: readonly StudyCellResult[]): string {
  const lines = [
    `| ${STUDY_COLUMNS.map((c) => c.header).join(" | ")} |`,
    `|${STUDY_COLUMNS.map((c) => (c.numeric ? "---:" : "---")).join("|")}|`,
  ];
  for (const row of studyTableRows(results)) lines.push(`| ${row.map(escapeMarkdownCell).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

/** Aligned plain text: a header, a rule, one line per cell; columns two spaces apart. */
export function studyTableText(results: readonly StudyCellResult[]): string {
  const rows = [STUDY_COLUMNS.map((c) => c.header), ...studyTableRows(results)];
  const widths = STUDY_COLUMNS.map((_, k) => Math.max(...rows.map((r) => (r[k] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((text, k) => {
        const width = widths[k] as number;
        return (STUDY_COLUMNS[k] as StudyColumn).numeric ? text.padStart(width) : text.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const [header, ...body] = rows;
  return `${[line(header as string[]), rule, ...body.map(line)].join("\n")}\n`;
}
