// KV router configuration (docs/replay.md#router-config). Files use the reference's snake_case keys, and so
// does the parsed object, so a user's `router_config` JSON reads the same everywhere. Unknown keys are
// rejected.

import { z } from "zod";
import { InputError, inputErrorAt, quotedChoices } from "../../util/errors.js";

/**
 * How a KV router orders the requests it parks while every worker is busy (pending-queue.ts): first come first
 * served, last come first served, or shortest uncached prompt first. The one list both the router config's
 * `router_queue_policy` and the engine args' override of it accept.
 */
export const QUEUE_POLICIES = ["fcfs", "lcfs", "wspt"] as const;
export type QueuePolicy = (typeof QUEUE_POLICIES)[number];

export interface KvRouterConfig {
  /** Weight of the prefill blocks in the cost (0 = route on decode load only). */
  readonly overlap_score_weight: number;
  /** 0 = cheapest worker (ties: smallest cached tree, then seeded random); > 0 = softmax sampling. */
  readonly router_temperature: number;
  /** Track the prompt blocks of in-flight requests per worker (the decode-blocks term). */
  readonly router_track_active_blocks: boolean;
  /** Active blocks of different requests with the same prefix are counted once. */
  readonly router_assume_kv_reuse: boolean;
  /** Track uncached prompt tokens of requests whose prefill is not yet complete (prefill term, busy check). */
  readonly router_track_prefill_tokens: boolean;
  /** Prefill-duration estimator for decaying tracked prefill tokens; kvsim has none (null only). */
  readonly router_prefill_load_model: null;
  /** A worker is busy above threshold × max_num_batched_tokens tracked prefill tokens; null = never queue. */
  readonly router_queue_threshold: number | null;
  readonly router_queue_policy: QueuePolicy;
  /**
   * Accepted for compatibility. Offline replay never reports generated tokens to the router, so (as in the
   * reference's offline router) it has no effect on routing. Requires router_track_active_blocks.
   */
  readonly router_track_output_blocks: boolean;
  /**
   * Weight of a prompt block found in a worker's host tier (G2) right after its GPU prefix, in the overlap the
   * cost subtracts from the prompt (docs/design.md#router-cost): 1 = as good as a GPU hit, 0 = ignored.
   */
  readonly kv_host_overlap_weight: number;
  /** Likewise for a block in the disk tier (G3): its onboarding is slower, so it counts for less by default. */
  readonly kv_disk_overlap_weight: number;
}

export const DEFAULT_ROUTER_CONFIG: KvRouterConfig = Object.freeze({
  overlap_score_weight: 1.0,
  router_temperature: 0.0,
  router_track_active_blocks: true,
  router_assume_kv_reuse: true,
  router_track_prefill_tokens: true,
  router_prefill_load_model: null,
  router_queue_threshold: 4.0,
  router_queue_policy: "fcfs",
  router_track_output_blocks: false,
  kv_host_overlap_weight: 1.0,
  kv_disk_overlap_weight: 0.5,
});

const ROUTER_CONFIG_KEYS = Object.keys(DEFAULT_ROUTER_CONFIG);

/**
 * Upper end of the numeric settings (docs/limits.md): a weight or threshold of 10^308 turns every cost into
 * Infinity (and their differences into NaN); no useful setting comes near 10^6.
 */
export const MAX_ROUTER_SETTING = 1e6;

const nonNegative = (what: string) => {
  const rule = { error: `must be a number in [0, ${MAX_ROUTER_SETTING}] (${what})` };
  return z.number(rule).finite(rule).min(0, rule).max(MAX_ROUTER_SETTING, rule);
};
/**
 * A lower-tier block saves at most what a GPU hit saves (the same prefill, plus a transfer), so its weight lies
 * in [0, 1].
 */
const tierWeight = (what: string) => {
  const rule = { error: `must be a number in [0, 1] (${what})` };
  return z.number(rule).finite(rule).min(0, rule).max(1, rule);
};
const bool = z.boolean({ error: "must be true or false" });

const schema = z
  .strictObject({
    overlap_score_weight: nonNegative("weight of prefill blocks in the cost").default(1.0),
    router_temperature: nonNegative("0 = deterministic minimum").default(0.0),
    router_track_active_blocks: bool.default(true),
    router_assume_kv_reuse: bool.default(true),
    router_track_prefill_tokens: bool.default(true),
    router_prefill_load_model: z
      .union([z.null(), z.literal("none")], {
        error: (issue) =>
          issue.input === "aic"
            ? '"aic" (prefill-duration estimator) is not supported in kvsim; use null'
            : "must be null (no prefill-duration estimator)",
      })
      .default(null)
      .transform((): null => null),
    router_queue_threshold: nonNegative("multiple of max_num_batched_tokens, or null")
      .nullable()
      .default(4.0),
    router_queue_policy: z
      .enum(QUEUE_POLICIES, { error: `must be ${quotedChoices(QUEUE_POLICIES)}` })
      .default("fcfs"),
    router_track_output_blocks: bool.default(false),
    kv_host_overlap_weight: tierWeight("weight of a host-tier (G2) prefix block").default(1.0),
    kv_disk_overlap_weight: tierWeight("weight of a disk-tier (G3) prefix block").default(0.5),
  })
  .refine((c) => !c.router_track_output_blocks || c.router_track_active_blocks, {
    path: ["router_track_output_blocks"],
    error: "true requires router_track_active_blocks = true",
  });

/**
 * Validates a user's router config (a partial object merged over DEFAULT_ROUTER_CONFIG; undefined/null = all
 * defaults). Errors are one-line InputErrors naming `label` and the field.
 */
export function parseRouterConfig(input: unknown, label = "router config"): KvRouterConfig {
  const result = schema.safeParse(input === undefined || input === null ? {} : input);
  if (result.success) return Object.freeze(result.data);
  const issue = result.error.issues[0];
  if (issue === undefined) return DEFAULT_ROUTER_CONFIG;
  if (issue.code === "unrecognized_keys") {
    throw inputErrorAt(
      label,
      null,
      issue.keys[0] ?? "?",
      `unknown field (allowed: ${ROUTER_CONFIG_KEYS.join(", ")})`,
    );
  }
  const field = issue.path.map(String).join(".");
  if (field === "") throw new InputError(`${label}: router config must be a JSON object`);
  throw inputErrorAt(label, null, field, issue.message);
}

/**
 * docs/design.md#disagg-handoff: the disagg prefill router does not track active blocks (decode load is the
 * decode pool's).
 */
export function prefillStageRouterConfig(config: KvRouterConfig): KvRouterConfig {
  return Object.freeze({ ...config, router_track_active_blocks: false, router_track_output_blocks: false });
}

/**
 * docs/design.md#disagg-handoff: the disagg decode router ignores prefix overlap (weight 0), assumes no KV
 * reuse, tracks no prefill tokens and has no estimator; it gets no replay hashes, so it routes on the fewest
 * projected active blocks.
 */
export function decodeStageRouterConfig(config: KvRouterConfig): KvRouterConfig {
  return Object.freeze({
    ...config,
    overlap_score_weight: 0,
    router_assume_kv_reuse: false,
    router_track_prefill_tokens: false,
    router_prefill_load_model: null,
  });
}
