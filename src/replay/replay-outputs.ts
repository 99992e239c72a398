// The one output writer of a replay, with or without the planner, sharded or not: the JSON report (flat report,
// plus a "kv_tiers" section when the workers have host or disk tiers and a "planner" section under the planner),
// the planner's HTML report, one JSON line per request, and the console text. Callers may append sections (the cells' comparison) to the JSON and lines to the console.

import { renderAiperfTable } from "../report/aiperf-table.js";
import { appendKvTiersSection, type KvTiersSection } from "../report/kv-tiers.js";
import { outputPathError } from "../report/output-error.js";
import type { ComparisonJson, PlannerReplayResultJson, PlannerSection } from "../report/planner-result.js";
import { plannerResultToJson } from "../report/planner-result-text.js";
import { plannerSummaryLines } from "../report/planner-summary-text.js";
import { writeRequestsJsonl } from "../report/requests-jsonl.js";
import { type ReplayReport, reportToJson } from "../report/summary.js";
import type { RequestCollector } from "../sim/collector.js";
import type { TraceColumns } from "../trace/columns.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { comparisonLines } from "./hindsight/comparison.js";

/** What a finished replay hands to its outputs. */
export interface ReplayOutcome {
  readonly report: ReplayReport;
  readonly planner: PlannerSection | null;
  readonly collector: RequestCollector;
  /** Per-tier reuse and onboarding; null or absent when the workers have no tier (outputs then as before tiers). */
  readonly kvTiers?: KvTiersSection | null;
  /** `--compare-hindsight` (planner runs only); absent otherwise, so other outputs are unchanged. */
  readonly comparison?: ComparisonJson;
}

/** Output paths; absent = not written. */
export interface ReplayOutputPaths {
  readonly reportJson?: string | undefined;
  /** The planner's HTML report (needs a planner section). */
  readonly reportHtml?: string | undefined;
  readonly requestsOut?: string | undefined;
}

function plannerResult(outcome: ReplayOutcome, planner: PlannerSection): PlannerReplayResultJson {
  const kvTiers = outcome.kvTiers ?? null;
  return {
    report: outcome.report,
    ...(kvTiers === null ? {} : { kv_tiers: kvTiers }),
    planner,
    ...(outcome.comparison === undefined ? {} : { comparison: outcome.comparison }),
  };
}

/** The JSON report text: the flat report, then the kv_tiers and planner sections when there are. */
export function replayJsonText(outcome: ReplayOutcome): string {
  if (outcome.planner !== null) return plannerResultToJson(plannerResult(outcome, outcome.planner));
  const json = reportToJson(outcome.report);
  return outcome.kvTiers === undefined || outcome.kvTiers === null
    ? json
    : appendKvTiersSection(json, outcome.kvTiers);
}

/** The console text: the metrics table, then the planner's summary and any extra lines. */
export function replayConsoleText(outcome: ReplayOutcome, extraLines: readonly string[] = []): string {
  const lines = [renderAiperfTable(outcome.report, undefined, outcome.kvTiers ?? null)];
  if (outcome.planner !== null) lines.push(...plannerSummaryLines(outcome.planner));
  if (outcome.comparison !== undefined) lines.push(...comparisonLines(outcome.comparison));
  lines.push(...extraLines);
  return `${lines.join("\n")}\n`;
}

function writeOutput(path: string, text: string): void {
  try {
    writeFileAtomic(path, text);
  } catch (error) {
    throw outputPathError(path, error);
  }
}

/** Writes every requested output; `jsonText` defaults to replayJsonText(outcome). */
export async function writeReplayOutputs(
  outcome: ReplayOutcome,
  trace: TraceColumns,
  paths: ReplayOutputPaths,
  jsonText: string = replayJsonText(outcome),
): Promise<void> {
  if (paths.reportJson !== undefined) writeOutput(paths.reportJson, jsonText);
  if (paths.reportHtml !== undefined && outcome.planner !== null) {
    // The HTML renderer pulls in echarts: loaded only when a page is asked for.
    const { renderPlannerReportHtml } = await import("../report/html/render.js");
    writeOutput(paths.reportHtml, renderPlannerReportHtml(plannerResult(outcome, outcome.planner)));
  }
  if (paths.requestsOut !== undefined) {
    const tiers = outcome.kvTiers !== undefined && outcome.kvTiers !== null;
    writeRequestsJsonl(paths.requestsOut, outcome.collector, trace, { tiers });
  }
}
