// What every study says of a workload: its name, how the trace was made, and its shape (as `kvsim trace stats`),
// in the studies' JSON files and at the head of their markdown workload rows; and a Mooncake trace as a workload.

import type { TraceColumns } from "../trace/columns.js";
import { computeTraceStats, type TraceStats } from "../trace/stats.js";
import { mooncakeStudyTrace } from "./study-traces.js";
import { formatPercent } from "./table-format.js";

export interface StudyWorkloadShape {
  readonly name: string;
  /** One line: how the trace was made. */
  readonly source: string;
  /** Shape and infinite-cache prefix reuse (as `kvsim trace stats`). */
  readonly stats: TraceStats;
}

/** A workload of a study whose workloads are named N. */
export interface NamedStudyWorkload<N extends string> extends StudyWorkloadShape {
  readonly name: N;
  readonly trace: TraceColumns;
}

export function namedStudyWorkload<N extends string>(
  name: N,
  source: string,
  trace: TraceColumns,
): NamedStudyWorkload<N> {
  return { name, source, trace, stats: computeTraceStats(trace) };
}

/** A Mooncake trace file as a workload: all of it, or its first `quickRows` requests (--quick). */
export function mooncakeStudyWorkload<N extends string>(
  name: N,
  path: string,
  label: string,
  quickRows: number | null,
): NamedStudyWorkload<N> {
  const { source, trace } = mooncakeStudyTrace(path, label, quickRows);
  return namedStudyWorkload(name, source, trace);
}

/** The workload fields every study's JSON starts with, in this order. */
export function workloadShapeJson(w: StudyWorkloadShape) {
  return {
    name: w.name,
    source: w.source,
    requests: w.stats.requests,
    span_s: w.stats.spanS,
    mean_isl_tokens: w.stats.isl.mean,
    mean_osl_tokens: w.stats.osl.mean,
    infinite_cache_token_reuse: w.stats.reuse.tokens,
  };
}

/** The first cells of a workload's markdown row: name, source, requests, span, mean ISL / OSL, reuse (`| … | `). */
export function workloadShapeCells(w: StudyWorkloadShape): string {
  const s = w.stats;
  return (
    `| ${w.name} | ${w.source.replaceAll("|", "\\|")} | ${s.requests} | ${s.spanS.toFixed(0)} s | ` +
    `${s.isl.mean.toFixed(0)} | ${s.osl.mean.toFixed(0)} | ${formatPercent(s.reuse.tokens)} | `
  );
}
