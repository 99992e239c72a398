// The KV-tiers study table: one row per replay, as GitHub markdown (docs) and aligned plain text (the console),
// from cells formatted once, so both forms show the same digits. The line above it names the model whose KV
// bytes per token price every transfer.

import { formatPercent, type TableColumn, tableMarkdown, tableText } from "../table-format.js";
import {
  DISK_KV_BANDWIDTH_GB_S,
  DISK_MULTIPLE,
  GPU_KV_BLOCKS,
  HOST_KV_BANDWIDTH_GB_S,
  KV_BYTES_PER_TOKEN,
  KV_TIERS_MODEL,
} from "./design.js";
import type { KvTiersPointResult } from "./point-run.js";

export const KV_TIERS_COLUMNS: readonly TableColumn[] = [
  { header: "workload", numeric: false },
  { header: "deployment", numeric: false },
  { header: "host ×", numeric: true },
  { header: "disk", numeric: false },
  { header: "reuse G1", numeric: true },
  { header: "reuse G2", numeric: true },
  { header: "reuse G3", numeric: true },
  { header: "TTFT p50 ms", numeric: true },
  { header: "TTFT p99 ms", numeric: true },
  { header: "onboarding p99 ms", numeric: true },
  { header: "GPU-hours", numeric: true },
  { header: "workers", numeric: true },
];

const DASH = "—";

/** The line above the table: the model, the GPU cache and the tiers' links. */
export function kvTiersTableCaption(): string {
  return (
    `KV of ${KV_TIERS_MODEL}: ${KV_BYTES_PER_TOKEN.toLocaleString("en-US")} B/token; GPU cache ` +
    `${GPU_KV_BLOCKS} blocks × 64 tokens per worker; host tier (G2) 0–16× the GPU cache at ${HOST_KV_BANDWIDTH_GB_S} GB/s; ` +
    `disk tier (G3) ${DISK_MULTIPLE}× at ${DISK_KV_BANDWIDTH_GB_S} GB/s`
  );
}

/** Workers of a row: the static size, or the time-weighted mean replicas ("P+D" in disagg). */
export function formatWorkers(isStatic: boolean, prefill: number | null, decode: number): string {
  if (isStatic) return String(decode);
  return prefill === null ? decode.toFixed(2) : `${prefill.toFixed(2)}P+${decode.toFixed(2)}D`;
}

function cells({ point, figures: f }: KvTiersPointResult): string[] {
  return [
    point.workload,
    point.deployment,
    `${point.hostMultiple}×`,
    point.disk ? `${DISK_MULTIPLE}×` : DASH,
    formatPercent(f.reuseG1),
    formatPercent(f.reuseG2),
    formatPercent(f.reuseG3),
    f.ttftP50Ms.toFixed(0),
    f.ttftP99Ms.toFixed(0),
    f.onboardingP99Ms === null ? DASH : f.onboardingP99Ms.toFixed(0),
    f.gpuHours.toFixed(3),
    formatWorkers(point.deployment === "static-agg", f.meanPrefillReplicas, f.meanDecodeReplicas),
  ];
}

export function kvTiersTableMarkdown(results: readonly KvTiersPointResult[]): string {
  return tableMarkdown(KV_TIERS_COLUMNS, results.map(cells));
}

export function kvTiersTableText(results: readonly KvTiersPointResult[]): string {
  return tableText(KV_TIERS_COLUMNS, results.map(cells));
}
