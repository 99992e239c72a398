// The planner study's three files — planners.md (workloads, table, settings), planners.json (every figure and
// config) and planners.svg (the chart) — rendered in full before any is written, each written atomically. Nothing
// in them depends on host time or thread count, so the same command rewrites them byte for byte.

import { finiteFiguresOnly, writeStudyFiles } from "../study-files.js";
import { formatPercent } from "../table-format.js";
import { renderPlannerChartSvg } from "./chart.js";
import {
  expandPlannerMatrix,
  GPU_BUDGET,
  INITIAL_WORKERS,
  PLANNER_STUDY_ENGINE_ARGS,
  PLANNER_STUDY_SLA,
  SLA_ATTAINMENT_TARGET,
} from "./design.js";
import type { PlannerPointResult } from "./point-run.js";
import { plannerTableMarkdown } from "./table.js";
import type { PlannerWorkload } from "./workloads.js";

export const PLANNER_STUDY_FILES = {
  markdown: "planners.md",
  json: "planners.json",
  svg: "planners.svg",
} as const;

export interface PlannerStudyResult {
  readonly quick: boolean;
  readonly workloads: readonly PlannerWorkload[];
  /** One per point, matrix order. */
  readonly results: readonly PlannerPointResult[];
  readonly threads: number;
  readonly wallTimeMs: number;
}

export function plannerStudyCommand(quick: boolean): string {
  return quick ? "npx kvsim study planners --quick --out DIR" : "npx kvsim study planners --out docs/study";
}

function workloadJson(w: PlannerWorkload) {
  const sla = PLANNER_STUDY_SLA[w.name];
  return {
    name: w.name,
    source: w.source,
    requests: w.stats.requests,
    span_s: w.stats.spanS,
    mean_isl_tokens: w.stats.isl.mean,
    mean_osl_tokens: w.stats.osl.mean,
    infinite_cache_token_reuse: w.stats.reuse.tokens,
    engine_args: PLANNER_STUDY_ENGINE_ARGS[w.name],
    ttft_sla_ms: sla.ttftMs,
    itl_sla_ms: sla.itlMs,
    load_predictor: sla.predictor,
  };
}

function pointJson({ point, figures: f }: PlannerPointResult) {
  const s = f.staticCluster;
  return {
    id: point.id,
    workload: point.workload,
    mode: point.mode,
    scaling_policy: point.policy,
    kv_hit_rate_awareness: point.awareness,
    planner_config: point.plannerFile,
    gpu_hours: f.gpuHours,
    peak_prefill_replicas: f.peakPrefillReplicas,
    peak_decode_replicas: f.peakDecodeReplicas,
    ttft_sla_attainment: f.ttftAttainment,
    itl_sla_attainment: f.itlAttainment,
    replica_transitions: f.replicaTransitions,
    transitions_per_pool_per_5_min: f.transitionsPer5MinPerPool,
    realised_token_reuse: f.realisedTokenReuse,
    simulated_s: f.simulatedS,
    ...(f.hindsightChosen === null ? {} : { hindsight_chosen: f.hindsightChosen }),
    ...(s === null
      ? {}
      : {
          cheapest_static: {
            prefill: s.prefill,
            decode: s.decode,
            gpu_hours: s.gpuHours,
            ttft_sla_attainment: s.ttftAttainment,
            itl_sla_attainment: s.itlAttainment,
          },
        }),
  };
}

export function plannerStudyJson(study: PlannerStudyResult): string {
  const doc = {
    study: "planners",
    quick: study.quick,
    regenerate: plannerStudyCommand(study.quick),
    settings: {
      router_mode: "kv",
      router_config: {},
      initial_workers: INITIAL_WORKERS,
      gpus_per_replica: 1,
      max_gpu_budget: GPU_BUDGET,
      sla_attainment_target: SLA_ATTAINMENT_TARGET,
      seed: 0,
    },
    workloads: study.workloads.map(workloadJson),
    points: study.results.map(pointJson),
  };
  return `${JSON.stringify(doc, finiteFiguresOnly("planners"), 2)}\n`;
}

function workloadRow(w: PlannerWorkload): string {
  const s = w.stats;
  const sla = PLANNER_STUDY_SLA[w.name];
  const args = JSON.stringify(PLANNER_STUDY_ENGINE_ARGS[w.name]);
  return (
    `| ${w.name} | ${w.source.replaceAll("|", "\\|")} | ${s.requests} | ${s.spanS.toFixed(0)} s | ` +
    `${s.isl.mean.toFixed(0)} | ${s.osl.mean.toFixed(0)} | ${formatPercent(s.reuse.tokens)} | \`${args}\` | ` +
    `${sla.ttftMs} ms | ${sla.itlMs} ms | ${sla.predictor} |`
  );
}

const COLUMN_NOTES = [
  "- **planner**: `dynamo` = the reference SLA planner (kvsim's default); `kvsim` = kvsim's own policy; " +
    "`hindsight` = the cheapest piecewise-constant schedule found with the whole trace known (the yardstick, not a " +
    "planner); `static …` = the cheapest fixed cluster meeting the target, found by the same search.",
  "- **GPU-hours**: every provisioned worker (starting, active or draining) × 1 GPU until the last token; " +
    "**vs hindsight** / **vs static**: ratio to the same workload and topology's hindsight schedule / static cluster.",
  `- **TTFT SLA met** / **ITL SLA met**: requests with TTFT ≤ the TTFT SLA / mean ITL ≤ the ITL SLA; **meets ` +
    `target**: both ≥ ${SLA_ATTAINMENT_TARGET * 100} %.`,
  "- **transitions**: planner ticks (hindsight: windows) at which a pool's replica count changed, summed over " +
    "pools; **per pool per 5 min**: that ÷ pools ÷ (simulated minutes / 5).",
];

export function plannerStudyMarkdown(study: PlannerStudyResult): string {
  const first = expandPlannerMatrix()[0];
  const lines = [
    "# Planner study",
    "",
    `Generated by \`${plannerStudyCommand(study.quick)}\` — do not edit by hand; rerun the command.`,
    "",
    `${study.results.length} replays: ${study.workloads.length} workload(s) × {agg, disagg} × {dynamo and kvsim, each with KV-hit-rate ` +
      "awareness on and off; hindsight}. Each hindsight search also verifies the cheapest static cluster meeting " +
      `the same SLA for ${SLA_ATTAINMENT_TARGET * 100} % of requests (its row follows the hindsight row).`,
    "",
    "## Workloads",
    "",
    "| workload | source | requests | span | mean ISL | mean OSL | infinite-cache token reuse | engine args | TTFT SLA | ITL SLA | predictor |",
    "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ...study.workloads.map(workloadRow),
    "",
    "## Results",
    "",
    plannerTableMarkdown(study.results).trimEnd(),
    "",
    ...COLUMN_NOTES,
    "",
    `![GPU-hours and SLA attainment per workload and topology](${PLANNER_STUDY_FILES.svg})`,
    "",
    "## Settings",
    "",
    "- Engines: the default mock vLLM engine with each workload's engine args above (speedup_ratio 0.25 with " +
      "decode_speedup_ratio 4 = prefill 4× slower, decode at default speed; startup_time = seconds from a " +
      "scale-up decision to a ready worker).",
    "- Router: KV-aware with its default config (router_queue_threshold 4.0: arrivals queue in the router once " +
      "every worker is busy); seed 0.",
    `- Start: ${INITIAL_WORKERS.agg} aggregated workers (agg) or ${INITIAL_WORKERS.prefill}P+${INITIAL_WORKERS.decode}D ` +
      `(disagg); 1 GPU per replica; budget ${GPU_BUDGET} GPUs.`,
    "- Planner regressions bootstrapped from the engines' own perf model (benchmark granularity 8).",
    `- Planner config of the first point (${first?.id ?? ""}); the others change \`mode\`, \`scaling_policy\`, ` +
      "`kv_hit_rate_awareness` (absent for hindsight) and, per workload, `ttft`, `itl` and `load_predictor`:",
    "",
    "```yaml",
    ...(first === undefined ? [] : Object.entries(first.plannerFile).map(([k, v]) => `${k}: ${String(v)}`)),
    "```",
    "",
  ];
  return lines.join("\n");
}

/** Renders the three files, then writes each atomically into `outDir` (created if missing). */
export function writePlannerStudyOutputs(outDir: string, study: PlannerStudyResult): string[] {
  const texts: [string, string][] = [
    [PLANNER_STUDY_FILES.markdown, plannerStudyMarkdown(study)],
    [PLANNER_STUDY_FILES.json, plannerStudyJson(study)],
    [PLANNER_STUDY_FILES.svg, renderPlannerChartSvg(study.results)],
  ];
  return writeStudyFiles(outDir, texts);
}
