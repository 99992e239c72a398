// The study's three files — kv-reuse.md (workloads, table, settings), kv-reuse.json (every figure and config) and
// kv-reuse.svg (the chart) — rendered in full before any is written, each written atomically. Nothing in them
// depends on host time or thread count, so the same command rewrites them byte for byte.

import { finiteFiguresOnly, writeStudyFiles } from "../study-files.js";
import { renderStudyChartSvg } from "./chart.js";
import {
  expandKvReuseMatrix,
  KV_REUSE_ENGINE_ARGS,
  KV_REUSE_ITL_SLA_MS,
  KV_REUSE_ROUTER_CONFIG,
  KV_REUSE_TTFT_SLA_MS,
  type StudyPlannerFile,
} from "./design.js";
import type { StudyPointResult } from "./point-run.js";
import { formatPercent, studyTableMarkdown } from "./table.js";
import type { StudyWorkload } from "./workloads.js";

export const STUDY_FILES = { markdown: "kv-reuse.md", json: "kv-reuse.json", svg: "kv-reuse.svg" } as const;

/** The command that regenerates the files (the full study is committed in docs/study). */
export function studyCommand(quick: boolean): string {
  return quick ? "npx kvsim study kv-reuse --quick --out DIR" : "npx kvsim study kv-reuse --out docs/study";
}

function workloadJson(w: StudyWorkload) {
  return {
    name: w.name,
    source: w.source,
    requests: w.stats.requests,
    span_s: w.stats.spanS,
    mean_isl_tokens: w.stats.isl.mean,
    mean_osl_tokens: w.stats.osl.mean,
    infinite_cache_token_reuse: w.stats.reuse.tokens,
    p99_idle_prefill_ms: w.p99IdlePrefillMs,
    ttft_sla_ms: KV_REUSE_TTFT_SLA_MS[w.name],
    itl_sla_ms: KV_REUSE_ITL_SLA_MS,
  };
}

function pointJson({ point, figures: f }: StudyPointResult) {
  return {
    id: point.id,
    workload: point.workload,
    mode: point.mode,
    cadence: point.cadence,
    kv_hit_rate_awareness: point.awareness,
    planner_config: point.plannerFile,
    gpu_hours: f.gpuHours,
    gpu_hours_prefill: f.gpuHoursPrefill,
    gpu_hours_decode: f.gpuHoursDecode,
    peak_prefill_replicas: f.peakPrefillReplicas,
    peak_decode_replicas: f.peakDecodeReplicas,
    mean_prefill_replicas: f.meanPrefillReplicas,
    mean_decode_replicas: f.meanDecodeReplicas,
    ttft_sla_attainment: f.ttftAttainment,
    itl_sla_attainment: f.itlAttainment,
    ttft_requests: f.ttftRequests,
    replica_transitions: f.replicaTransitions,
    scaling_events: f.scalingEvents,
    ticks: f.ticks,
    sticky_kv_hit_rate: {
      null_ticks: f.sticky.nullTicks,
      zero_ticks: f.sticky.zeroTicks,
      positive_ticks: f.sticky.positiveTicks,
      mean_applied: f.sticky.meanApplied,
      max: f.sticky.max,
    },
    realised_token_reuse: f.realisedTokenReuse,
    p90_ttft_ms: f.p90TtftMs,
    simulated_s: f.simulatedS,
  };
}

export function studyJson(study: KvReuseStudyResult): string {
  const doc = {
    study: "kv-reuse",
    quick: study.quick,
    regenerate: studyCommand(study.quick),
    settings: {
      router_mode: "kv",
      router_config: KV_REUSE_ROUTER_CONFIG,
      engine_args: KV_REUSE_ENGINE_ARGS,
      initial_workers: { agg: 1, disagg_prefill: 1, disagg_decode: 1 },
      gpus_per_replica: 1,
      benchmark_granularity: 8,
      seed: 0,
    },
    workloads: study.workloads.map(workloadJson),
    // The published key of the matrix points (docs/study/kv-reuse.json, readers of it): kept as "cells".
    cells: study.results.map(pointJson),
  };
  return `${JSON.stringify(doc, finiteFiguresOnly("kv-reuse"), 2)}\n`;
}

function yamlLines(file: StudyPlannerFile): string[] {
  return Object.entries(file).map(([key, value]) => `${key}: ${String(value)}`);
}

function workloadRow(w: StudyWorkload): string {
  const s = w.stats;
  return (
    `| ${w.name} | ${w.source.replaceAll("|", "\\|")} | ${s.requests} | ${s.spanS.toFixed(0)} s | ` +
    `${s.isl.mean.toFixed(0)} | ${s.osl.mean.toFixed(0)} | ${formatPercent(s.reuse.tokens)} | ` +
    `${w.p99IdlePrefillMs.toFixed(0)} ms | ${KV_REUSE_TTFT_SLA_MS[w.name]} ms | ${KV_REUSE_ITL_SLA_MS} ms |`
  );
}

const COLUMN_NOTES = [
  "- **GPU-hours**: every provisioned worker (starting, active or draining) × 1 GPU, integrated over simulated time " +
    "until the last token; **vs off**: change against the same configuration with awareness off.",
  "- **peak prefill** / **peak decode/agg**: largest scaled-to pool size (agg has no prefill pool).",
  "- **TTFT SLA met**: requests with TTFT ≤ the workload's TTFT SLA; **ITL SLA met**: requests with mean ITL ≤ 40 ms.",
  "- **transitions**: ticks at which a pool's replica count differs from the previous tick's (planner diagnostics).",
  "- **applied hit rate**: mean over ticks of the discount the planner applies, clamp(sticky KV hit rate) " +
    "(0 when the planner never received a hit rate).",
  "- **realised reuse**: prompt tokens the engines served from their prefix caches / all prompt tokens (the " +
    "finite-cache counterpart of the workload's infinite-cache reuse).",
];

export function studyMarkdown(study: KvReuseStudyResult): string {
  const first = expandKvReuseMatrix()[0];
  const pointsRun = study.results.length;
  const lines = [
    "# KV-reuse study",
    "",
    `Generated by \`${studyCommand(study.quick)}\` — do not edit by hand; rerun the command.`,
    "",
    `${pointsRun} planner-in-the-loop replays: 2 workloads × {agg, disagg} × {mixed, load-only} cadence × ` +
      "KV-hit-rate awareness on/off. Mixed = throughput scaling (sets floors from the predicted hit rate) + " +
      "load scaling; load-only = load scaling with the raw last-window hit rate. Awareness off feeds the planner " +
      "null hit rates, so it never discounts prefill work.",
    "",
    "## Workloads",
    "",
    "| workload | source | requests | span | mean ISL | mean OSL | infinite-cache token reuse | p99 idle prefill | TTFT SLA | ITL SLA |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...study.workloads.map(workloadRow),
    "",
    "p99 idle prefill: 99th percentile over prompts of the prefill time on an idle engine with an empty cache; " +
      "each TTFT SLA is that rounded up to a whole second, so almost every prompt can meet it.",
    "",
    "## Results",
    "",
    studyTableMarkdown(study.results).trimEnd(),
    "",
    ...COLUMN_NOTES,
    "",
    `![GPU-hours and TTFT SLA attainment, awareness on vs off](${STUDY_FILES.svg})`,
    "",
    "## Settings",
    "",
    `- Engines (every pool): \`${JSON.stringify(KV_REUSE_ENGINE_ARGS)}\` over the default mock vLLM engine ` +
      "(16384 KV blocks × 64 tokens, max_num_batched_tokens 8192, max_num_seqs 256, prefix caching on, " +
      "polynomial perf model, workers ready at once): prefill 4× slower than the default, decode at default speed.",
    `- Router: KV-aware, \`${JSON.stringify(KV_REUSE_ROUTER_CONFIG)}\` (arrivals go straight to an engine, so ` +
      "backlogs show in the forward-pass metrics the load path reads); seed 0.",
    "- Start: 1 aggregated worker (agg) or 1 prefill + 1 decode worker (disagg); 1 GPU per replica.",
    "- Planner regressions bootstrapped from the engines' own perf model (benchmark granularity 8).",
    // "first cell": the committed kv-reuse.md's wording, kept byte for byte.
    `- Planner config of the first cell (${first?.id ?? ""}); the others change \`mode\`, ` +
      "`enable_throughput_scaling` (mixed: true, load-only: false), `kv_hit_rate_awareness` and `ttft` " +
      "(per workload, table above):",
    "",
    "```yaml",
    ...(first === undefined ? [] : yamlLines(first.plannerFile)),
    "```",
    "",
  ];
  return lines.join("\n");
}

export interface StudyOutputPaths {
  readonly markdown: string;
  readonly json: string;
  readonly svg: string;
}

/** Renders the three files, then writes each atomically into `outDir` (created if missing). */
export function writeStudyOutputs(outDir: string, study: KvReuseStudyResult): StudyOutputPaths {
  const texts = {
    markdown: studyMarkdown(study),
    json: studyJson(study),
    svg: renderStudyChartSvg(study.results),
  };
  const [markdown, json, svg] = writeStudyFiles(outDir, [
    [STUDY_FILES.markdown, texts.markdown],
    [STUDY_FILES.json, texts.json],
    [STUDY_FILES.svg, texts.svg],
  ]) as [string, string, string];
  return { markdown, json, svg };
}

export interface KvReuseStudyResult {
  readonly quick: boolean;
  readonly workloads: readonly StudyWorkload[];
  /** One per point, matrix order. */
  readonly results: readonly StudyPointResult[];
  readonly threads: number;
  readonly wallTimeMs: number;
}
