import { KV_TIER_TABLE_COLUMNS } from "./kv-tier-table.js";
import { type CapacityAnswer, type CapacityQuestion, describeQuestion } from "./question.js";
import { rowMetric, type rowMetricIndex } from "./row-keys.js";
import type { SweepRow } from "./sweep-row.js";

/** Plain-text renderings of a sweep for the terminal: the points table and the capacity answer. */

function num(value: number | null, digits: number): string {
  if (value === null) return "N/A";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const metric = (row: SweepRow, key: Parameters<typeof rowMetricIndex>[0]): number | null =>
  rowMetric(row.metrics, key);

function shapeText(r: SweepRow): string {
  return r.mode === "agg"
    ? `${r.numWorkers} aggregated worker${r.numWorkers === 1 ? "" : "s"}`
    : `${r.numPrefillWorkers} prefill + ${r.numDecodeWorkers} decode workers`;
}

/**
 * A fixed-width table of the rows: id, GPUs, TTFT/ITL p99, output throughput, verdict; with `withKvTiers` (the
 * grid has a host or disk tier) the KV-tier columns before the verdict.
 */
export function formatSweepTable(
  rows: readonly SweepRow[],
  cheapestIndex: number | null,
  withKvTiers = false,
): string {
  const tiers = withKvTiers ? KV_TIER_TABLE_COLUMNS : [];
  const header = [
    "#",
    "point",
    "GPUs",
    "TTFT p99 ms",
    "ITL p99 ms",
    "out tok/s",
    ...tiers.map((c) => c.header),
    "SLA",
  ];
  const lines = rows.map((r) => [
    String(r.index),
    `${r.id}${r.index === cheapestIndex ? " *" : ""}`,
    String(r.gpuCount),
    num(metric(r, "p99_ttft_ms"), 1),
    num(metric(r, "p99_itl_ms"), 2),
    num(metric(r, "output_throughput_tok_s"), 0),
    ...tiers.map((c) => num(c.value(r), c.digits)),
    r.slaPass === null ? "-" : r.slaPass ? "pass" : "fail",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => (l[c] as string).length)));
  const left = new Set([1, header.length - 1]);
  const fmtLine = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (left.has(c) ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number)))
      .join("  ")
      .trimEnd();
  return [fmtLine(header), ...lines.map(fmtLine)].join("\n");
}

/** The capacity answer in one or two lines. */
export function formatCapacityAnswer(answer: CapacityAnswer<SweepRow>, question: CapacityQuestion): string {
  const asked = describeQuestion(question);
  if (answer.kind === "cheapest") {
    const r = answer.row;
    const measured = question.bounds
      .map((b) => `${b.key.replace(/_ms$/, "")} ${num(metric(r, b.metricKey), 2)} ms`)
      .join(", ");
    return (
      `Cheapest configuration meeting ${asked}: ${r.id} — ${shapeText(r)}, ${r.gpuCount} GPU${r.gpuCount === 1 ? "" : "s"} ` +
      `(${measured}; ${answer.passing} of ${answer.total} points meet it)`
    );
  }
  const closest = answer.closest;
  const near =
    closest === null
      ? ""
      : `; closest: ${closest.id} (${question.bounds
          .map((b) => `${b.key.replace(/_ms$/, "")} ${num(metric(closest, b.metricKey), 2)} ms`)
          .join(", ")})`;
  return `No point meets ${asked} (0 of ${answer.total})${near}`;
}
