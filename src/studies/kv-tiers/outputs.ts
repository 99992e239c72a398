// The KV-tiers study's three files — kv-tiers.md (workloads, table, settings), kv-tiers.json (every figure and
// config) and kv-tiers.svg (the chart) — rendered in full before any is written, each written atomically. Nothing
// in them depends on host time or thread count, so the same command rewrites them byte for byte.

import { finiteFiguresOnly, writeStudyFiles } from "../study-files.js";
import { formatPercent } from "../table-format.js";
import { renderKvTiersChartSvg } from "./chart.js";
import {
  DISK_KV_BANDWIDTH_GB_S,
  DISK_MULTIPLE,
  GPU_KV_BLOCKS,
  HOST_KV_BANDWIDTH_GB_S,
  HOST_MULTIPLES,
  INITIAL_WORKERS,
  KV_BYTES_PER_TOKEN,
  KV_TIERS_BASE_ENGINE_ARGS,
  KV_TIERS_MODEL,
  kvTiersPlannerFile,
  STATIC_WORKERS,
} from "./design.js";
import type { KvTiersPointResult } from "./point-run.js";
import { kvTiersTableCaption, kvTiersTableMarkdown } from "./table.js";
import type { KvTiersWorkload } from "./workloads.js";

export const KV_TIERS_FILES = {
  markdown: "kv-tiers.md",
  json: "kv-tiers.json",
  svg: "kv-tiers.svg",
} as const;

export interface KvTiersStudyResult {
  readonly quick: boolean;
  readonly workloads: readonly KvTiersWorkload[];
  /** One per point, matrix order. */
  readonly results: readonly KvTiersPointResult[];
  readonly threads: number;
  readonly wallTimeMs: number;
}

export function kvTiersStudyCommand(quick: boolean): string {
  return quick ? "npx kvsim study kv-tiers --quick --out DIR" : "npx kvsim study kv-tiers --out docs/study";
}

const TOKENS_PER_BLOCK = 64;
const BLOCK_BYTES = KV_BYTES_PER_TOKEN * TOKENS_PER_BLOCK;

function gigabytes(blocks: number): string {
  return `${((blocks * BLOCK_BYTES) / 1e9).toLocaleString("en-US", { maximumFractionDigits: 0 })} GB`;
}

function workloadJson(w: KvTiersWorkload) {
  return {
    name: w.name,
    source: w.source,
    requests: w.stats.requests,
    span_s: w.stats.spanS,
    mean_isl_tokens: w.stats.isl.mean,
    mean_osl_tokens: w.stats.osl.mean,
    infinite_cache_token_reuse: w.stats.reuse.tokens,
    static_workers: STATIC_WORKERS[w.name],
    planner_config_agg: kvTiersPlannerFile(w.name, "planner-agg"),
    planner_config_disagg: kvTiersPlannerFile(w.name, "planner-disagg"),
  };
}

function pointJson({ point, figures: f }: KvTiersPointResult) {
  return {
    id: point.id,
    workload: point.workload,
    deployment: point.deployment,
    host_multiple: point.hostMultiple,
    disk: point.disk,
    engine_args: point.engineArgs,
    reused_ratio: f.reuse,
    reused_ratio_g1: f.reuseG1,
    reused_ratio_g2: f.reuseG2,
    reused_ratio_g3: f.reuseG3,
    p50_ttft_ms: f.ttftP50Ms,
    p99_ttft_ms: f.ttftP99Ms,
    onboarding: {
      requests: f.onboardedRequests,
      p50_ms: f.onboardingP50Ms,
      p99_ms: f.onboardingP99Ms,
      bytes: f.onboardedBytes,
    },
    gpu_hours: f.gpuHours,
    mean_prefill_replicas: f.meanPrefillReplicas,
    mean_decode_replicas: f.meanDecodeReplicas,
    simulated_s: f.simulatedS,
  };
}

export function kvTiersStudyJson(study: KvTiersStudyResult): string {
  const doc = {
    study: "kv-tiers",
    quick: study.quick,
    regenerate: kvTiersStudyCommand(study.quick),
    settings: {
      model: KV_TIERS_MODEL,
      kv_bytes_per_token: KV_BYTES_PER_TOKEN,
      base_engine_args: KV_TIERS_BASE_ENGINE_ARGS,
      host_multiples: HOST_MULTIPLES,
      host_kv_bandwidth_gb_s: HOST_KV_BANDWIDTH_GB_S,
      disk_multiple: DISK_MULTIPLE,
      disk_kv_bandwidth_gb_s: DISK_KV_BANDWIDTH_GB_S,
      router_mode: "kv",
      router_config: {},
      planner_initial_workers: INITIAL_WORKERS,
      gpus_per_replica: 1,
      seed: 0,
    },
    workloads: study.workloads.map(workloadJson),
    points: study.results.map(pointJson),
  };
  return `${JSON.stringify(doc, finiteFiguresOnly("kv-tiers"), 2)}\n`;
}

function workloadRow(w: KvTiersWorkload): string {
  const s = w.stats;
  return (
    `| ${w.name} | ${w.source.replaceAll("|", "\\|")} | ${s.requests} | ${s.spanS.toFixed(0)} s | ` +
    `${s.isl.mean.toFixed(0)} | ${s.osl.mean.toFixed(0)} | ${formatPercent(s.reuse.tokens)} | ` +
    `${STATIC_WORKERS[w.name]} |`
  );
}

const COLUMN_NOTES = [
  "- **host ×**: host tier (G2) size as a multiple of the GPU cache (0 = no host tier); **disk**: a disk tier " +
    "(G3) of that multiple, or none.",
  "- **reuse G1 / G2 / G3**: prompt tokens served from the GPU cache / onboarded from host / onboarded from disk, " +
    "÷ all prompt tokens (the report's `kv_tiers.reused_ratio_g*`; their sum is `prefix_cache_reused_ratio`).",
  "- **TTFT p50 / p99**: over all requests, ms. **onboarding p99**: over the requests that onboarded any block, " +
    "the time each waited for its tier links and transfers, ms (— when none did).",
  "- **GPU-hours**: static: workers × simulated time until the last token; planner: every provisioned worker " +
    "(starting, active or draining) × 1 GPU over the same span. **workers**: the static size, or the planner's " +
    "time-weighted mean replicas (prefill P + decode D in disagg).",
];

export function kvTiersStudyMarkdown(study: KvTiersStudyResult): string {
  const g = GPU_KV_BLOCKS;
  const lines = [
    "# KV-tiers study",
    "",
    `Generated by \`${kvTiersStudyCommand(study.quick)}\` — do not edit by hand; rerun the command.`,
    "",
    `${study.results.length} replays: ${study.workloads.length} workload(s) × {static agg cluster, kvsim planner ` +
      "in the loop agg, kvsim planner disagg} × host tier {0, 1×, 4×, 16×} the GPU cache, each without and " +
      `with a ${DISK_MULTIPLE}× disk tier. Does offloading evicted KV blocks to host memory or disk pay?`,
    "",
    "## Workloads",
    "",
    "| workload | source | requests | span | mean ISL | mean OSL | infinite-cache token reuse | static workers |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...study.workloads.map(workloadRow),
    "",
    "## Results",
    "",
    `${kvTiersTableCaption()}.`,
    "",
    kvTiersTableMarkdown(study.results).trimEnd(),
    "",
    ...COLUMN_NOTES,
    "",
    `![Prompt-token reuse and TTFT p99 against the host tier's size, with and without a disk tier](${KV_TIERS_FILES.svg})`,
    "",
    "## Settings",
    "",
    `- Model: ${KV_TIERS_MODEL}, \`kv_bytes_per_token\` ${KV_BYTES_PER_TOKEN}: one 64-token block is ` +
      `${((BLOCK_BYTES / 1e6) as number).toFixed(1)} MB, ${((BLOCK_BYTES / (HOST_KV_BANDWIDTH_GB_S * 1e9)) * 1000).toFixed(2)} ms ` +
      `on the host link, ${((BLOCK_BYTES / (DISK_KV_BANDWIDTH_GB_S * 1e9)) * 1000).toFixed(2)} ms on the disk link.`,
    `- Engines (every pool): \`${JSON.stringify(KV_TIERS_BASE_ENGINE_ARGS)}\` plus the point's tiers over the ` +
      `default mock vLLM engine (block size 64, max_num_batched_tokens 8192, prefix caching on, polynomial perf ` +
      `model): GPU cache ${g} blocks (${gigabytes(g)} of KV); host tier ${HOST_MULTIPLES.filter((m) => m > 0)
        .map((m) => `${m * g} blocks (${gigabytes(m * g)})`)
        .join(", ")} at ${HOST_KV_BANDWIDTH_GB_S} GB/s; disk tier ${DISK_MULTIPLE * g} blocks ` +
      `(${gigabytes(DISK_MULTIPLE * g)}) at ${DISK_KV_BANDWIDTH_GB_S} GB/s. In disagg only the prefill pool has tiers.`,
    "- Router: KV-aware with its default config; seed 0.",
    `- Static: ${Object.entries(STATIC_WORKERS)
      .map(([w, n]) => `${n} workers (${w})`)
      .join(", ")}. Planner: scaling_policy kvsim with the planner study's config of the workload (SLA, ` +
      `predictor, cadence; every other key at its default), starting from ${INITIAL_WORKERS.agg} workers (agg) or ` +
      `${INITIAL_WORKERS.prefill}P+${INITIAL_WORKERS.decode}D (disagg); 1 GPU per replica.`,
    "",
  ];
  return lines.join("\n");
}

/** Renders the three files, then writes each atomically into `outDir` (created if missing). */
export function writeKvTiersStudyOutputs(outDir: string, study: KvTiersStudyResult): string[] {
  const texts: [string, string][] = [
    [KV_TIERS_FILES.markdown, kvTiersStudyMarkdown(study)],
    [KV_TIERS_FILES.json, kvTiersStudyJson(study)],
    [KV_TIERS_FILES.svg, renderKvTiersChartSvg(study.results)],
  ];
  return writeStudyFiles(outDir, texts);
}
