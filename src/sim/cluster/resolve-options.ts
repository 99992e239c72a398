import { InputError } from "../../util/errors.js";
import {
  defaultEngineArgs,
  type EngineArgs,
  parseEngineArgs,
  type WorkerType,
} from "../engine/engine-args.js";
import { DEFAULT_ROUTER_CONFIG, parseRouterConfig } from "../router/router-config.js";
import { DEFAULT_ROUTER_MODE, parseRouterMode } from "../router/router-policies.js";
import {
  MAX_ARRIVAL_SPEEDUP,
  MAX_CONCURRENCY,
  MAX_POOL_WORKERS,
  MAX_SEED,
  MIN_ARRIVAL_SPEEDUP,
} from "./cluster-limits.js";
import type { ClusterMode, ClusterOptions } from "./cluster-options.js";

/** User-facing cluster settings before validation; every field optional, defaults as documented. */
export interface ClusterOptionsInput {
  readonly mode?: ClusterMode;
  readonly numWorkers?: number;
  readonly numPrefillWorkers?: number;
  readonly numDecodeWorkers?: number;
  /** A policy name of ROUTER_POLICIES (or an alias of one). */
  readonly routerMode?: string;
  /** Partial KV router config (snake_case keys, docs/replay.md#router-config), or a JSON string. */
  readonly routerConfig?: unknown;
  /**
   * Engine args (snake_case keys, docs/replay.md#engine-args), or a JSON string: of the aggregated workers in agg; of both pools
   * in disagg, where prefillEngineArgs / decodeEngineArgs override them field by field.
   */
  readonly engineArgs?: unknown;
  readonly prefillEngineArgs?: unknown;
  readonly decodeEngineArgs?: unknown;
  readonly arrivalSpeedupRatio?: number;
  readonly concurrency?: number | null;
  readonly seed?: number;
  readonly checkInvariants?: boolean;
  readonly collectFpm?: boolean;
}

/** Every field of ClusterOptions (and so every key ClusterOptionsInput may have). */
const CLUSTER_OPTION_KEYS: readonly (keyof ClusterOptions)[] = [
  "mode",
  "numWorkers",
  "numPrefillWorkers",
  "numDecodeWorkers",
  "routerMode",
  "routerConfig",
  "engineArgs",
  "prefillEngineArgs",
  "decodeEngineArgs",
  "arrivalSpeedupRatio",
  "concurrency",
  "seed",
  "checkInvariants",
  "collectFpm",
];

/** Where each setting came from, for error messages (the CLI passes flag names). */
export interface OptionLabels {
  readonly routerConfig: string;
  readonly engineArgs: string;
  readonly prefillEngineArgs: string;
  readonly decodeEngineArgs: string;
}

const DEFAULT_LABELS: OptionLabels = {
  routerConfig: "routerConfig",
  engineArgs: "engineArgs",
  prefillEngineArgs: "prefillEngineArgs",
  decodeEngineArgs: "decodeEngineArgs",
};

function parseJsonIfString(value: unknown, label: string): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new InputError(`${label}: not valid JSON (${(error as Error).message})`);
  }
}

/** Parses engine args for a stage; a missing worker_type takes the stage's, a different one is an error. */
function stageEngineArgs(value: unknown, role: WorkerType, label: string): EngineArgs {
  const withRole =
    typeof value === "object" && value !== null && !Array.isArray(value) && !("worker_type" in value)
      ? { ...value, worker_type: role }
      : value;
  const args = parseEngineArgs(withRole, label);
  if (args.worker_type !== role) {
    throw new InputError(
      `${label}: field "worker_type": must be "${role}" for this pool (got "${args.worker_type}")`,
    );
  }
  return args;
}

interface RawEngineArgs {
  /** As given (a JSON string parsed; nothing = `{}`), not yet validated. */
  readonly raw: unknown;
  /** Where they came from, for error messages (a flag name, a grid path). */
  readonly label: string;
}

function rawEngineArgs(value: unknown, label: string): RawEngineArgs {
  return { raw: parseJsonIfString(value, label) ?? {}, label };
}

/** True when the raw args set `field` (to name the source of an error). */
function sets(args: RawEngineArgs, field: string): boolean {
  return typeof args.raw === "object" && args.raw !== null && field in args.raw;
}

/** The raw args without a worker_type (each pool supplies its own role). */
function withoutRole(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const { worker_type: _role, ...rest } = raw as Record<string, unknown>;
  return rest;
}

/**
 * One disagg pool's engine args: the shared args with the pool's own on top, field by field. The shared and the
 * pool's args are each validated alone first, so a bad field is reported under the flag that set it; after the
 * merge only a shared worker_type that does not fit this pool can fail.
 */
function poolEngineArgs(shared: RawEngineArgs, own: RawEngineArgs, role: WorkerType): EngineArgs {
  stageEngineArgs(own.raw, role, own.label);
  const merged = { ...(shared.raw as object), ...(own.raw as object) };
  return stageEngineArgs(merged, role, sets(own, "worker_type") ? own.label : shared.label);
}

function workerCount(value: number | undefined, label: string): number {
  const v = value ?? 1;
  if (!Number.isInteger(v) || v < 1 || v > MAX_POOL_WORKERS)
    throw new InputError(`${label}: must be an integer in 1..${MAX_POOL_WORKERS} (got ${v})`);
  return v;
}

/**
 * Validates cluster settings against each other and the trace: worker counts ≥ 1, engine block size dividing the
 * trace block size, equal block sizes across a disaggregated cluster's pools, a finite positive speedup.
 */
export function resolveClusterOptions(
  input: ClusterOptionsInput,
  traceBlockSize: number,
  labels: OptionLabels = DEFAULT_LABELS,
): ClusterOptions {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new TypeError(`resolveClusterOptions: options must be an object (got ${String(input)})`);
  }
  for (const key of Object.keys(input)) {
    if (!(CLUSTER_OPTION_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(
        `resolveClusterOptions: unknown option "${key}" (known: ${CLUSTER_OPTION_KEYS.join(", ")})`,
      );
    }
  }
  const mode = input.mode ?? "agg";
  if (mode !== "agg" && mode !== "disagg")
    throw new InputError(`--mode: must be "agg" or "disagg" (got "${mode}")`);
  const routerMode = parseRouterMode(input.routerMode ?? DEFAULT_ROUTER_MODE, "--router-mode");
  const routerConfig = parseRouterConfig(
    parseJsonIfString(input.routerConfig, labels.routerConfig),
    labels.routerConfig,
  );
  const shared = rawEngineArgs(input.engineArgs, labels.engineArgs);
  const prefill = rawEngineArgs(input.prefillEngineArgs, labels.prefillEngineArgs);
  const decode = rawEngineArgs(input.decodeEngineArgs, labels.decodeEngineArgs);
  let engineArgs: EngineArgs;
  let prefillEngineArgs: EngineArgs;
  let decodeEngineArgs: EngineArgs;
  if (mode === "agg") {
    engineArgs = stageEngineArgs(shared.raw, "aggregated", shared.label);
    prefillEngineArgs = stageEngineArgs(prefill.raw, "prefill", prefill.label);
    decodeEngineArgs = stageEngineArgs(decode.raw, "decode", decode.label);
  } else {
    // --engine-args apply to both pools: checked alone (their worker_type is checked against each pool below).
    engineArgs = parseEngineArgs(withoutRole(shared.raw), shared.label);
    prefillEngineArgs = poolEngineArgs(shared, prefill, "prefill");
    decodeEngineArgs = poolEngineArgs(shared, decode, "decode");
  }

  const used =
    mode === "agg"
      ? [[shared, engineArgs] as const]
      : [[prefill, prefillEngineArgs] as const, [decode, decodeEngineArgs] as const];
  for (const [own, args] of used) {
    if (traceBlockSize % args.block_size !== 0) {
      const label = !sets(own, "block_size") && sets(shared, "block_size") ? shared.label : own.label;
      throw new InputError(
        `${label}: field "block_size": must divide the trace block size ${traceBlockSize} (got ${args.block_size})`,
      );
    }
  }
  if (mode === "disagg" && prefillEngineArgs.block_size !== decodeEngineArgs.block_size) {
    throw new InputError(
      `${labels.decodeEngineArgs}: field "block_size": must equal the prefill pool's block_size ` +
        `${prefillEngineArgs.block_size} (got ${decodeEngineArgs.block_size})`,
    );
  }
  const ratio = input.arrivalSpeedupRatio ?? 1;
  if (!(ratio >= MIN_ARRIVAL_SPEEDUP && ratio <= MAX_ARRIVAL_SPEEDUP)) {
    throw new InputError(
      `--arrival-speedup-ratio: must be a number in [${MIN_ARRIVAL_SPEEDUP}, ${MAX_ARRIVAL_SPEEDUP}] (got ${ratio})`,
    );
  }
  const concurrency = input.concurrency ?? null;
  if (
    concurrency !== null &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= MAX_CONCURRENCY)
  ) {
    throw new InputError(`--concurrency: must be an integer in 1..${MAX_CONCURRENCY} (got ${concurrency})`);
  }
  const seed = input.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new InputError(`--seed: must be an integer in [0, 2^32) (got ${seed})`);
  }
  return {
    mode,
    numWorkers: workerCount(input.numWorkers, "--num-workers"),
    numPrefillWorkers: workerCount(input.numPrefillWorkers, "--num-prefill-workers"),
    numDecodeWorkers: workerCount(input.numDecodeWorkers, "--num-decode-workers"),
    routerMode,
    routerConfig,
    engineArgs,
    prefillEngineArgs,
    decodeEngineArgs,
    arrivalSpeedupRatio: ratio,
    concurrency,
    seed,
    checkInvariants: input.checkInvariants ?? false,
    collectFpm: input.collectFpm ?? false,
  };
}

let engineArgKeys: readonly string[] | null = null;

function hasEveryKey(value: unknown, keys: readonly string[]): boolean {
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return keys.every((key) => record[key] !== undefined);
}

/** True when every field, every engine arg and every router setting is present: resolveClusterOptions' output. */
export function isResolvedClusterOptions(input: ClusterOptionsInput): input is ClusterOptions {
  engineArgKeys ??= Object.keys(defaultEngineArgs());
  const keys = engineArgKeys;
  const o = input as Partial<Record<keyof ClusterOptions, unknown>>;
  return (
    CLUSTER_OPTION_KEYS.every((key) => o[key] !== undefined) &&
    hasEveryKey(o.engineArgs, keys) &&
    hasEveryKey(o.prefillEngineArgs, keys) &&
    hasEveryKey(o.decodeEngineArgs, keys) &&
    hasEveryKey(o.routerConfig, Object.keys(DEFAULT_ROUTER_CONFIG))
  );
}

/**
 * Options as the simulation needs them: resolved options (or a copy with fields changed) are used as given;
 * anything partial goes through resolveClusterOptions, so left-out fields take their documented defaults.
 */
export function completeClusterOptions(input: ClusterOptionsInput, traceBlockSize: number): ClusterOptions {
  if (input === null || typeof input !== "object") {
    throw new TypeError(`cluster options must be an object (got ${String(input)})`);
  }
  return isResolvedClusterOptions(input) ? input : resolveClusterOptions(input, traceBlockSize);
}
