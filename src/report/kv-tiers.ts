import type { ClusterOptions } from "../sim/cluster/cluster-options.js";
import type { RequestCollector } from "../sim/collector.js";
import { tierConfigOf } from "../sim/engine/kv-tiers.js";
import type { TraceColumns } from "../trace/columns.js";
import { exactDistribution } from "./distribution.js";

/**
 * The `kv_tiers` section of the replay report (docs/replay.md#kv-tiers), present only when the workers that
 * compute prompts (agg workers, or the prefill pool in disagg: decode workers get their KV from prefill and keep
 * no tiers) have a host or disk tier, so a report with tiers off is byte-identical to one before tiers existed.
 *
 * Over the completed requests, as `prefix_cache_reused_ratio` (Σ reused / Σ input):
 *   reused_ratio_g2 = Σ hostTokens / Σ input       hostTokens, diskTokens: the host and disk parts of the
 *   reused_ratio_g3 = Σ diskTokens / Σ input       admission that set the request's reused tokens
 *   reused_ratio_g1 = Σ (reused − host − disk) / Σ input
 * so g1 + g2 + g3 = prefix_cache_reused_ratio (up to rounding of the three divisions).
 *
 * onboarding, over the completed requests that onboarded anything (Σ onboarded tokens > 0 over their
 * admissions): how many, the mean and nearest-rank p50 / p99 of each one's onboarding time (link wait +
 * transfer, summed over its admissions; null when none onboarded), and the bytes the links moved,
 * Σ onboarded tokens × kv_bytes_per_token of the tiered pool.
 */
export interface KvTiersSection {
  readonly reused_ratio_g1: number;
  readonly reused_ratio_g2: number;
  readonly reused_ratio_g3: number;
  readonly onboarding: KvOnboardingJson;
}

export interface KvOnboardingJson {
  readonly requests: number;
  readonly mean_ms: number | null;
  readonly p50_ms: number | null;
  readonly p99_ms: number | null;
  readonly bytes: number;
}

/**
 * KV bytes per token of the pool that holds tiers (agg workers; prefill workers in disagg), or null when that
 * pool has no host or disk tier (the report then has no kv_tiers section).
 */
export function tieredBytesPerToken(options: ClusterOptions): number | null {
  const args = options.mode === "agg" ? options.engineArgs : options.prefillEngineArgs;
  if (tierConfigOf(args) === null) return null;
  if (args.kv_bytes_per_token === null) {
    // parseEngineArgs refuses a tier without kv_bytes_per_token; options built by hand may not have been parsed.
    throw new RangeError("kv tiers: a host or disk tier needs kv_bytes_per_token");
  }
  return args.kv_bytes_per_token;
}

/** The section for a finished replay's collector; `bytesPerToken` from tieredBytesPerToken. */
export function buildKvTiersSection(
  collector: RequestCollector,
  trace: Pick<TraceColumns, "inputTokens">,
  bytesPerToken: number,
): KvTiersSection {
  const n = collector.requestCount;
  if (trace.inputTokens.length !== n) {
    throw new RangeError(`kv tiers: collector has ${n} requests, trace ${trace.inputTokens.length}`);
  }
  let inputTokens = 0;
  let reused = 0;
  let host = 0;
  let disk = 0;
  let onboarded = 0;
  const onboardMs: number[] = [];
  for (let id = 0; id < n; id++) {
    if (!collector.isCompleted(id)) continue;
    inputTokens += trace.inputTokens[id] as number;
    reused += collector.reusedTokens[id] as number;
    host += collector.hostTokens[id] as number;
    disk += collector.diskTokens[id] as number;
    const moved = collector.onboardedTokens[id] as number;
    if (moved > 0) {
      onboarded += moved;
      onboardMs.push(collector.onboardMs[id] as number);
    }
  }
  const share = (tokens: number): number => (inputTokens === 0 ? 0 : tokens / inputTokens);
  const stats = exactDistribution(Float64Array.from(onboardMs));
  return {
    reused_ratio_g1: share(reused - host - disk),
    reused_ratio_g2: share(host),
    reused_ratio_g3: share(disk),
    onboarding: {
      requests: onboardMs.length,
      mean_ms: stats.mean,
      p50_ms: stats.median,
      p99_ms: stats.p99,
      bytes: onboarded * bytesPerToken,
    },
  };
}

/** The section of a run with these options, or null when its workers have no tier. */
export function kvTiersSectionFor(
  collector: RequestCollector,
  trace: Pick<TraceColumns, "inputTokens">,
  options: ClusterOptions,
): KvTiersSection | null {
  const bytesPerToken = tieredBytesPerToken(options);
  return bytesPerToken === null ? null : buildKvTiersSection(collector, trace, bytesPerToken);
}

/** The section's value (or null) as it appears in JSON: checked finite, -0 written as 0. */
function jsonNumber(value: number | null, key: string): string {
  if (value === null) return "null";
  if (!Number.isFinite(value)) throw new RangeError(`kv_tiers.${key} is not finite: ${value}`);
  return Object.is(value, -0) ? "0" : String(value);
}

/**
 * `"kv_tiers": {…}` appended as the last key of a flat report's JSON text (one key per line, the layout of the
 * planner and cells sections), so everything before it is byte-for-byte the report without tiers.
 */
export function appendKvTiersSection(json: string, section: KvTiersSection): string {
  const end = json.lastIndexOf("}");
  if (end < 0) throw new RangeError("appendKvTiersSection: not a JSON object");
  const head = json.slice(0, end).replace(/\s+$/, "");
  const o = section.onboarding;
  const lines = [
    `  "kv_tiers": {`,
    `    "reused_ratio_g1": ${jsonNumber(section.reused_ratio_g1, "reused_ratio_g1")},`,
    `    "reused_ratio_g2": ${jsonNumber(section.reused_ratio_g2, "reused_ratio_g2")},`,
    `    "reused_ratio_g3": ${jsonNumber(section.reused_ratio_g3, "reused_ratio_g3")},`,
    `    "onboarding": {`,
    `      "requests": ${jsonNumber(o.requests, "onboarding.requests")},`,
    `      "mean_ms": ${jsonNumber(o.mean_ms, "onboarding.mean_ms")},`,
    `      "p50_ms": ${jsonNumber(o.p50_ms, "onboarding.p50_ms")},`,
    `      "p99_ms": ${jsonNumber(o.p99_ms, "onboarding.p99_ms")},`,
    `      "bytes": ${jsonNumber(o.bytes, "onboarding.bytes")}`,
    "    }",
    "  }",
  ];
  return `${head},\n${lines.join("\n")}\n}\n`;
}

/**
 * The kv_tiers section of a parsed report JSON object: null when absent; a RangeError naming the field when it is
 * there but malformed.
 */
export function kvTiersSectionFromJson(value: unknown, source = "report JSON"): KvTiersSection | null {
  if (value === undefined) return null;
  const obj = (v: unknown, path: string): Record<string, unknown> => {
    if (v === null || typeof v !== "object" || Array.isArray(v))
      throw new RangeError(`${source}: "${path}" is not an object`);
    return v as Record<string, unknown>;
  };
  const num = (o: Record<string, unknown>, key: string, path: string): number => {
    const v = o[key];
    if (typeof v !== "number") throw new RangeError(`${source}: "${path}.${key}" is not a number`);
    return v;
  };
  const numOrNull = (o: Record<string, unknown>, key: string, path: string): number | null =>
    o[key] === null ? null : num(o, key, path);
  const t = obj(value, "kv_tiers");
  const o = obj(t.onboarding, "kv_tiers.onboarding");
  const at = "kv_tiers.onboarding";
  return {
    reused_ratio_g1: num(t, "reused_ratio_g1", "kv_tiers"),
    reused_ratio_g2: num(t, "reused_ratio_g2", "kv_tiers"),
    reused_ratio_g3: num(t, "reused_ratio_g3", "kv_tiers"),
    onboarding: {
      requests: num(o, "requests", at),
      mean_ms: numOrNull(o, "mean_ms", at),
      p50_ms: numOrNull(o, "p50_ms", at),
      p99_ms: numOrNull(o, "p99_ms", at),
      bytes: num(o, "bytes", at),
    },
  };
}
