import { z } from "zod";
import { ENGINE_ROLES, type EngineRole } from "../../signals/stages.js";
import { InputError, inputErrorAt } from "../../util/errors.js";
import { QUEUE_POLICIES, type QueuePolicy } from "../router/router-config.js";
import { issueToInputError, ruleWithValue } from "./input-issue.js";
import { type PassTimeModelArg, parsePassTimeModelArg } from "./pass-time-arg.js";

/**
 * Mock-engine arguments (docs/replay.md#engine-args): the snake_case JSON keys of `--engine-args`, with their defaults.
 * Unknown keys are rejected; every error is one line naming the field and the rule.
 */

/** The engine args' name for an engine role. */
export type WorkerType = EngineRole;
export type PreemptionMode = "lifo" | "fifo";

export interface EngineArgs {
  readonly engine_type: "vllm";
  readonly num_gpu_blocks: number;
  /** Tokens per KV block (0 in the input means the vLLM default, 64). */
  readonly block_size: number;
  readonly max_num_seqs: number;
  /** Token budget of one pass; null = unlimited. */
  readonly max_num_batched_tokens: number | null;
  readonly enable_prefix_caching: boolean;
  readonly enable_chunked_prefill: boolean;
  /** Accepted for compatibility; the vLLM scheduler being modelled does not use it. */
  readonly watermark: number;
  /** Divides every pass time; ≤ 0 means unscaled. */
  readonly speedup_ratio: number;
  /** Further divides decode time (together with speedup_ratio, if their product is > 0). */
  readonly decode_speedup_ratio: number;
  readonly dp_size: 1;
  /** Seconds from a scale-up until the worker accepts work; null = ready at once. */
  readonly startup_time: number | null;
  readonly worker_type: WorkerType;
  readonly preemption_mode: PreemptionMode;
  /** Prefill→decode KV transfer bandwidth, GB/s (10^9 bytes/s); null = instant hand-off. */
  readonly kv_transfer_bandwidth: number | null;
  /** KV cache bytes per token (the hand-off and tier transfers); null = instant hand-off, no tiers allowed. */
  readonly kv_bytes_per_token: number | null;
  /** Host-memory KV tier (G2) capacity in blocks; 0 = none (docs/design.md#kv-tiers). */
  readonly host_kv_blocks: number;
  /** GPU↔host link bandwidth, GB/s; required when host_kv_blocks > 0. */
  readonly host_kv_bandwidth: number | null;
  /** Local-disk KV tier (G3) capacity in blocks; 0 = none. */
  readonly disk_kv_blocks: number;
  /** Disk→GPU read bandwidth, GB/s; required when disk_kv_blocks > 0. */
  readonly disk_kv_bandwidth: number | null;
  readonly perf_model: PassTimeModelArg;
  /** Overrides the router's queue policy when set. */
  readonly router_queue_policy: QueuePolicy | null;
}

/**
 * Ranges (docs/limits.md). Beyond them a run either cannot allocate (a typed array of 10^15 blocks), turns times
 * into Infinity or NaN (speedups of 10^±200), or needs more memory and time than any real engine models: a GPU
 * holds ~10^4–10^6 blocks; speedups beyond 10^±3–10^6 are no longer a faster or slower GPU.
 */
export const MAX_NUM_GPU_BLOCKS = 2 ** 24;
export const MAX_BLOCK_SIZE = 2 ** 20;
export const MAX_NUM_SEQS = 2 ** 20;
export const MAX_BATCHED_TOKENS = 2 ** 30;
export const MIN_SPEEDUP_RATIO = 1e-3;
export const MAX_SPEEDUP_RATIO = 1e6;
/** Seconds (11.6 days). */
export const MAX_STARTUP_TIME_S = 1e6;
/** GB/s: 1 kB/s .. 1 PB/s. */
export const MIN_KV_BANDWIDTH_GBPS = 1e-6;
export const MAX_KV_BANDWIDTH_GBPS = 1e6;
export const MAX_KV_BYTES_PER_TOKEN = 1e9;
/** Blocks a host or disk tier may hold: its memory grows with use (~40 bytes per block held), not capacity. */
export const MAX_TIER_BLOCKS = 2 ** 30;

function err(rule: string) {
  return { error: (iss: { input?: unknown }) => ruleWithValue(rule, iss.input) };
}

function intIn(min: number, max: number, note = "") {
  const e = err(`must be an integer in ${min}..${max}${note}`);
  return z.number(e).int(e).min(min, e).max(max, e);
}

function numberInOrNull(min: number, max: number, what: string, openMin = false) {
  const e = err(`must be ${what} in ${openMin ? "(" : "["}${min}, ${max}], or null`);
  const base = z.number(e);
  return (openMin ? base.gt(min, e) : base.min(min, e)).max(max, e).nullable();
}

/** ≤ 0 means unscaled; otherwise a ratio in [MIN_SPEEDUP_RATIO, MAX_SPEEDUP_RATIO]. */
function speedupRatio() {
  const e = err(`must be <= 0 (unscaled) or a number in [${MIN_SPEEDUP_RATIO}, ${MAX_SPEEDUP_RATIO}]`);
  return z.number(e).refine((v) => v <= 0 || (v >= MIN_SPEEDUP_RATIO && v <= MAX_SPEEDUP_RATIO), e);
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const rule = `must be one of ${values.map((v) => `"${v}"`).join(", ")}`;
  return z.enum(values, err(rule));
}

const engineTypeSchema = z.literal("vllm", {
  error: (iss) =>
    iss.input === "sglang"
      ? `"sglang" is not supported: only the vLLM scheduler is simulated (use "vllm")`
      : ruleWithValue(`must be "vllm"`, iss.input),
});

const argsSchema = z.strictObject({
  engine_type: engineTypeSchema.default("vllm"),
  num_gpu_blocks: intIn(1, MAX_NUM_GPU_BLOCKS).default(16384),
  block_size: intIn(0, MAX_BLOCK_SIZE, " (0 = 64)")
    .default(0)
    .transform((v) => (v === 0 ? 64 : v)),
  max_num_seqs: intIn(1, MAX_NUM_SEQS).default(256),
  max_num_batched_tokens: intIn(1, MAX_BATCHED_TOKENS, ", or null").nullable().default(8192),
  enable_prefix_caching: z.boolean(err("must be true or false")).default(true),
  enable_chunked_prefill: z.boolean(err("must be true or false")).default(true),
  watermark: z
    .number(err("must be a number in [0, 1)"))
    .min(0, err("must be a number in [0, 1)"))
    .lt(1, err("must be a number in [0, 1)"))
    .default(0.01),
  speedup_ratio: speedupRatio().default(1),
  decode_speedup_ratio: speedupRatio().default(1),
  dp_size: z.literal(1, err("must be 1: data-parallel ranks are not simulated")).default(1),
  startup_time: numberInOrNull(0, MAX_STARTUP_TIME_S, "a number of seconds").default(null),
  worker_type: oneOf(ENGINE_ROLES).default("aggregated"),
  preemption_mode: oneOf(["lifo", "fifo"]).default("lifo"),
  kv_transfer_bandwidth: numberInOrNull(
    MIN_KV_BANDWIDTH_GBPS,
    MAX_KV_BANDWIDTH_GBPS,
    "a bandwidth in GB/s",
  ).default(null),
  kv_bytes_per_token: numberInOrNull(0, MAX_KV_BYTES_PER_TOKEN, "a byte count", true).default(null),
  host_kv_blocks: intIn(0, MAX_TIER_BLOCKS, " (0 = no host tier)").default(0),
  host_kv_bandwidth: numberInOrNull(
    MIN_KV_BANDWIDTH_GBPS,
    MAX_KV_BANDWIDTH_GBPS,
    "a bandwidth in GB/s",
  ).default(null),
  disk_kv_blocks: intIn(0, MAX_TIER_BLOCKS, " (0 = no disk tier)").default(0),
  disk_kv_bandwidth: numberInOrNull(
    MIN_KV_BANDWIDTH_GBPS,
    MAX_KV_BANDWIDTH_GBPS,
    "a bandwidth in GB/s",
  ).default(null),
  perf_model: z.unknown().default("polynomial"),
  router_queue_policy: oneOf(QUEUE_POLICIES).nullable().default(null),
});

const ARG_KEYS = Object.keys(argsSchema.shape);

/**
 * Parses `--engine-args` (a JSON string or an already-parsed value) into validated EngineArgs with defaults.
 * `label` names the source in error messages, e.g. "--engine-args".
 */
export function parseEngineArgs(input: unknown, label = "engine args"): EngineArgs {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new InputError(`${label}: not valid JSON (${(error as Error).message})`);
    }
  }
  if (value === undefined || value === null) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(`${label}: ${ruleWithValue("must be a JSON object of engine arguments", value)}`);
  }
  const parsed = argsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue === undefined) throw new InputError(`${label}: invalid engine arguments`);
    throw issueToInputError(label, issue, "", ARG_KEYS);
  }
  const d = parsed.data;
  checkTierArgs(d, label);
  return {
    engine_type: d.engine_type,
    num_gpu_blocks: d.num_gpu_blocks,
    block_size: d.block_size,
    max_num_seqs: d.max_num_seqs,
    max_num_batched_tokens: d.max_num_batched_tokens,
    enable_prefix_caching: d.enable_prefix_caching,
    enable_chunked_prefill: d.enable_chunked_prefill,
    watermark: d.watermark,
    speedup_ratio: d.speedup_ratio,
    decode_speedup_ratio: d.decode_speedup_ratio,
    dp_size: d.dp_size,
    startup_time: d.startup_time,
    worker_type: d.worker_type,
    preemption_mode: d.preemption_mode,
    kv_transfer_bandwidth: d.kv_transfer_bandwidth,
    kv_bytes_per_token: d.kv_bytes_per_token,
    host_kv_blocks: d.host_kv_blocks,
    host_kv_bandwidth: d.host_kv_bandwidth,
    disk_kv_blocks: d.disk_kv_blocks,
    disk_kv_bandwidth: d.disk_kv_bandwidth,
    perf_model: parsePassTimeModelArg(d.perf_model, label),
    router_queue_policy: d.router_queue_policy,
  };
}

/** A tier needs its link's bandwidth and the bytes each token moves (docs/design.md#kv-tiers). */
function checkTierArgs(
  d: {
    kv_bytes_per_token: number | null;
    host_kv_blocks: number;
    host_kv_bandwidth: number | null;
    disk_kv_blocks: number;
    disk_kv_bandwidth: number | null;
    enable_prefix_caching: boolean;
  },
  label: string,
): void {
  const tiers: [string, number, string, number | null][] = [
    ["host_kv_blocks", d.host_kv_blocks, "host_kv_bandwidth", d.host_kv_bandwidth],
    ["disk_kv_blocks", d.disk_kv_blocks, "disk_kv_bandwidth", d.disk_kv_bandwidth],
  ];
  for (const [blocksKey, blocks, bandwidthKey, bandwidth] of tiers) {
    if (blocks === 0) continue;
    if (bandwidth === null)
      throw inputErrorAt(label, null, bandwidthKey, `must be set (GB/s) when ${blocksKey} is ${blocks}`);
    if (d.kv_bytes_per_token === null)
      throw inputErrorAt(
        label,
        null,
        "kv_bytes_per_token",
        `must be set when ${blocksKey} is ${blocks}: it sizes every tier transfer`,
      );
    if (!d.enable_prefix_caching)
      throw inputErrorAt(
        label,
        null,
        blocksKey,
        "needs enable_prefix_caching: true (a tier only serves prefix hits)",
      );
  }
}

/** The documented defaults (what `{}` parses to). */
export function defaultEngineArgs(): EngineArgs {
  return parseEngineArgs({}, "defaults");
}

/** Prefill→decode KV hand-off delay of a prompt, ms: isl·bytes / (GB/s·1e9) seconds (docs/design.md#disagg-handoff). */
export function kvHandoffMs(promptTokens: number, bandwidthGBps: number, bytesPerToken: number): number {
  return ((promptTokens * bytesPerToken) / (bandwidthGBps * 1e9)) * 1000;
}
