// The recorded-observations format read by `kvsim plan`: JSON Lines, snake_case keys, one record per line.
//   {"capabilities": {"prefill": {...}, "decode": {...}}}        optional header, before the first tick
//   {"benchmark_fpms": {"prefill": [fpm...], "decode": [fpm...]}} optional header(s), before the first tick
//   {"now_s": 65, "traffic": {...}, "worker_counts": {...}, "fpm": {"prefill": [...], "decode": [...]}}
// Pure parsing (no I/O): a parsed JSON value in, planner types out, an InputError naming file, line and field.

import { z } from "zod";
import { InputError, inputErrorAt } from "../util/errors.js";
import type { ObservedTraffic } from "./diagnostics-recorder.js";
import {
  type EngineCapabilities,
  type ForwardPassMetrics,
  type FpmMap,
  type FpmObservations,
  fpmKey,
  type TickInput,
  type WorkerCapabilities,
} from "./types.js";

const count = z
  .number({ error: "must be a finite number" })
  .int({ error: "must be an integer" })
  .nonnegative({
    error: "must be >= 0",
  });
const amount = z.number({ error: "must be a finite number" }).nonnegative({ error: "must be >= 0" });

const scheduledSchema = z.strictObject({
  num_prefill_requests: count.default(0),
  sum_prefill_tokens: amount.default(0),
  var_prefill_length: amount.default(0),
  sum_prefill_kv_tokens: amount.default(0),
  num_decode_requests: count.default(0),
  sum_decode_kv_tokens: amount.default(0),
  var_decode_kv_tokens: amount.default(0),
});

const queuedSchema = z.strictObject({
  num_prefill_requests: count.default(0),
  sum_prefill_tokens: amount.default(0),
  var_prefill_length: amount.default(0),
  num_decode_requests: count.default(0),
  sum_decode_kv_tokens: amount.default(0),
  var_decode_kv_tokens: amount.default(0),
});

const fpmSchema = z.strictObject({
  worker_id: z.union([z.string(), z.number().int()], { error: "must be a string or an integer" }),
  dp_rank: count.default(0),
  counter_id: count.default(0),
  wall_time: amount,
  scheduled: scheduledSchema.default(() => scheduledSchema.parse({})),
  queued: queuedSchema.default(() => queuedSchema.parse({})),
});

const fpmListSchema = z.array(fpmSchema, { error: "must be a list of forward-pass metrics" }).nullable();

const trafficSchema = z.strictObject({
  duration_s: z.number({ error: "must be a finite number" }),
  num_req: amount,
  isl: amount,
  osl: amount,
  kv_hit_rate: z
    .number({ error: "must be a number or null" })
    .min(0, { error: "must be between 0 and 1" })
    .max(1, { error: "must be between 0 and 1" })
    .nullable()
    .default(null),
  // Recorder-only observations (not used by the planner's decisions).
  ttft_ms: amount.nullable().default(null),
  itl_ms: amount.nullable().default(null),
  request_duration_s: amount.nullable().default(null),
});

const workerCountsSchema = z.strictObject({
  ready_num_prefill: count.nullable().default(null),
  ready_num_decode: count.nullable().default(null),
  expected_num_prefill: count.nullable().default(null),
  expected_num_decode: count.nullable().default(null),
});

const tickSchema = z.strictObject({
  now_s: z.number({ error: "must be a finite number" }),
  traffic: trafficSchema.nullable().default(null),
  worker_counts: workerCountsSchema.nullable().default(null),
  fpm: z
    .strictObject({ prefill: fpmListSchema.default(null), decode: fpmListSchema.default(null) })
    .nullable()
    .default(null),
});

const positiveInt = z
  .number({ error: "must be a finite number" })
  .int({ error: "must be an integer" })
  .positive({
    error: "must be > 0",
  });
const engineCapsSchema = z.strictObject({
  num_gpu: positiveInt.nullable().default(null),
  max_num_batched_tokens: count.nullable().default(null),
  max_num_seqs: count.nullable().default(null),
  context_length: count.nullable().default(null),
  max_kv_tokens: count.nullable().default(null),
});

const capabilitiesSchema = z.strictObject({
  capabilities: z.strictObject({
    prefill: engineCapsSchema.nullable().default(null),
    decode: engineCapsSchema.nullable().default(null),
  }),
});

const benchmarkSchema = z.strictObject({
  benchmark_fpms: z.strictObject({
    prefill: fpmListSchema.default(null),
    decode: fpmListSchema.default(null),
  }),
});

export interface TickRecord {
  readonly input: TickInput;
  /** Recorder-only latency/duration observations that came with the traffic window (null without traffic). */
  readonly observed: ObservedTraffic | null;
}

export type ObservationRecord =
  | { readonly kind: "tick"; readonly tick: TickRecord }
  | { readonly kind: "capabilities"; readonly capabilities: WorkerCapabilities }
  | {
      readonly kind: "benchmark_fpms";
      readonly prefill: readonly ForwardPassMetrics[];
      readonly decode: readonly ForwardPassMetrics[];
    };

/** Parses one JSON value of an observations file. */
export function parseObservationRecord(value: unknown, file: string, line: number): ObservationRecord {
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  if (isObject && !("now_s" in value) && "capabilities" in value) {
    const c = check(capabilitiesSchema, value, file, line).capabilities;
    return {
      kind: "capabilities",
      capabilities: { prefill: engineCaps(c.prefill), decode: engineCaps(c.decode) },
    };
  }
  if (isObject && !("now_s" in value) && "benchmark_fpms" in value) {
    const b = check(benchmarkSchema, value, file, line).benchmark_fpms;
    return {
      kind: "benchmark_fpms",
      prefill: (b.prefill ?? []).map(toFpm),
      decode: (b.decode ?? []).map(toFpm),
    };
  }
  const t = check(tickSchema, value, file, line);
  const traffic = t.traffic;
  const input: TickInput = {
    nowS: t.now_s,
    traffic:
      traffic === null
        ? null
        : {
            durationS: traffic.duration_s,
            numReq: traffic.num_req,
            isl: traffic.isl,
            osl: traffic.osl,
            kvHitRate: traffic.kv_hit_rate,
          },
    workerCounts:
      t.worker_counts === null
        ? null
        : {
            readyNumPrefill: t.worker_counts.ready_num_prefill,
            readyNumDecode: t.worker_counts.ready_num_decode,
            expectedNumPrefill: t.worker_counts.expected_num_prefill,
            expectedNumDecode: t.worker_counts.expected_num_decode,
          },
    fpmObservations: t.fpm === null ? null : fpmObservations(t.fpm, file, line),
  };
  const observed: ObservedTraffic | null =
    traffic === null
      ? null
      : {
          ttftMs: traffic.ttft_ms,
          itlMs: traffic.itl_ms,
          numReq: traffic.num_req,
          requestDurationS: traffic.request_duration_s,
          isl: traffic.isl,
          osl: traffic.osl,
          kvHitRate: traffic.kv_hit_rate,
        };
  return { kind: "tick", tick: { input, observed } };
}

type FpmJson = z.output<typeof fpmSchema>;

function toFpm(f: FpmJson): ForwardPassMetrics {
  const s = f.scheduled;
  const q = f.queued;
  return {
    workerId: String(f.worker_id),
    dpRank: f.dp_rank,
    counterId: f.counter_id,
    wallTime: f.wall_time,
    scheduled: {
      numPrefillRequests: s.num_prefill_requests,
      sumPrefillTokens: s.sum_prefill_tokens,
      varPrefillLength: s.var_prefill_length,
      sumPrefillKvTokens: s.sum_prefill_kv_tokens,
      numDecodeRequests: s.num_decode_requests,
      sumDecodeKvTokens: s.sum_decode_kv_tokens,
      varDecodeKvTokens: s.var_decode_kv_tokens,
    },
    queued: {
      numPrefillRequests: q.num_prefill_requests,
      sumPrefillTokens: q.sum_prefill_tokens,
      varPrefillLength: q.var_prefill_length,
      numDecodeRequests: q.num_decode_requests,
      sumDecodeKvTokens: q.sum_decode_kv_tokens,
      varDecodeKvTokens: q.var_decode_kv_tokens,
    },
  };
}

function fpmObservations(
  fpm: { readonly prefill: readonly FpmJson[] | null; readonly decode: readonly FpmJson[] | null },
  file: string,
  line: number,
): FpmObservations {
  return {
    prefill: fpm.prefill === null ? null : fpmMap(fpm.prefill, "fpm.prefill", file, line),
    decode: fpm.decode === null ? null : fpmMap(fpm.decode, "fpm.decode", file, line),
  };
}

/** Latest FPM per (worker_id, dp_rank); a repeated key is an error (the map holds one entry per engine). */
function fpmMap(list: readonly FpmJson[], field: string, file: string, line: number): FpmMap {
  const map = new Map<string, ForwardPassMetrics>();
  list.forEach((raw, i) => {
    const fpm = toFpm(raw);
    const key = fpmKey(fpm.workerId, fpm.dpRank);
    if (map.has(key)) {
      throw inputErrorAt(
        file,
        line,
        `${field}.${i}`,
        `duplicate engine (worker_id ${JSON.stringify(fpm.workerId)}, dp_rank ${fpm.dpRank})`,
      );
    }
    map.set(key, fpm);
  });
  return map;
}

function engineCaps(c: z.output<typeof engineCapsSchema> | null): EngineCapabilities | null {
  if (c === null) return null;
  return {
    numGpu: c.num_gpu,
    maxNumBatchedTokens: c.max_num_batched_tokens,
    maxNumSeqs: c.max_num_seqs,
    contextLength: c.context_length,
    maxKvTokens: c.max_kv_tokens,
  };
}

function check<T extends z.ZodType>(schema: T, value: unknown, file: string, line: number): z.output<T> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  // A misspelt key also shows up as a missing required one: name the unknown key, it is the actual mistake.
  const issues = parsed.error.issues;
  const issue = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0];
  if (issue === undefined) throw new InputError(`${file}:${line}: invalid record`);
  const path = issue.path.map(String).join(".");
  const got = "input" in issue ? ` (got ${describe(issue.input)})` : "";
  if (issue.code === "unrecognized_keys") {
    const key = [path, issue.keys[0] ?? "?"].filter((p) => p !== "").join(".");
    return fail(inputErrorAt(file, line, key, "unknown field"));
  }
  if (path === "") {
    return fail(
      inputErrorAt(
        file,
        line,
        null,
        `a record must be an object with now_s, capabilities or benchmark_fpms${got}`,
      ),
    );
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return fail(inputErrorAt(file, line, path, "required field is missing"));
  }
  const rule =
    issue.code === "invalid_value" ? `must be one of ${issue.values.map(String).join("|")}` : issue.message;
  return fail(inputErrorAt(file, line, path, `${rule}${got}`));
}

function fail(error: InputError): never {
  throw error;
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return String(v);
}
