import { dirname, resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_BENCHMARK_GRANULARITY } from "../../replay/bootstrap-fpms.js";
import { type CapacityQuestion, makeQuestion } from "../../report/capacity/question.js";
import {
  MAX_ARRIVAL_SPEEDUP,
  MAX_CONCURRENCY,
  MAX_POOL_WORKERS,
  MAX_SEED,
  MIN_ARRIVAL_SPEEDUP,
} from "../../sim/cluster/cluster-limits.js";
import { ruleWithValue } from "../../sim/engine/input-issue.js";
import {
  DEFAULT_ROUTER_MODE,
  ROUTER_MODE_RULE,
  ROUTER_MODES,
  type RouterMode,
} from "../../sim/router/router-policies.js";
import { MAX_TRACE_BLOCK_SIZE } from "../../trace/columns.js";
import { MAX_BENCHMARK_GRANULARITY, MAX_GPUS_PER_WORKER } from "../run-limits.js";
import {
  type AxisValue,
  type ConfigObject,
  checkUniqueLabels,
  engineArgsAxis,
  routerConfigAxis,
  type SweepTraceSpec,
  tracesAxis,
} from "./grid-axes.js";
import { type PlannerAxisEntry, plannerConfigAxis } from "./grid-planner.js";
import { type GridPath, type GridSource, gridError, objectGridSource, readGridFile } from "./grid-source.js";

/**
 * A capacity-sweep grid (`kvsim sweep --grid sweep.yaml`): axes whose cross product is the set of points.
 *
 *   traces                  list: path | "@default" | {path, name} | {synthetic: {...}, name}   (default @default)
 *   workers                 aggregated cluster sizes, e.g. [1, 2, 4]
 *   prefill_decode          disaggregated P:D worker counts: ["1:1", "1:2"] or {prefill: [1, 2], decode: [1, 2, 3]}
 *   router_modes            router policies by name (ROUTER_POLICIES), e.g. [kv, round_robin]     (default [kv])
 *   router_configs          list or name → map of KV router configs (docs/replay.md#router-config)                (default {})
 *   engine_args             list or map of mock engine args (docs/replay.md#engine-args), every pool            (default {})
 *   prefill_engine_args     list or map of overrides for the prefill pool (disagg points only)
 *   decode_engine_args      list or map of overrides for the decode pool (disagg points only)
 *   planner_configs         list or map of planner configs, config file paths, or null (no planner) (default none)
 *   benchmark_granularity   steps per axis of an SLA planner's regression bootstrap              (default 8)
 *   arrival_speedup_ratios  [1, 2]                                                               (default [1])
 *   concurrencies           closed-loop caps, null = open loop                                   (default [null])
 *   seeds                   [0, 1, 2]                                                            (default [0])
 *   gpus_per_worker         1, or {agg, prefill, decode}                                         (default 1)
 *   trace_block_size, sort, lenient   how JSONL traces are read (as `kvsim replay`)
 *   question                {ttft_p99_ms: 2000, itl_p99_ms: 50}: the capacity question to answer
 *   name                    a title for the HTML page
 *
 * Neither `workers` nor `prefill_decode`: one aggregated worker. A scalar where a list is expected is a
 * one-value list. Paths (traces, interpolated perf tables) are relative to the grid file. The grid as users
 * see it: docs/sweeps-and-sharding.md#grid; router config and engine args keys: docs/replay.md#router-config,
 * docs/replay.md#engine-args.
 */

export type ClusterShape =
  | { readonly mode: "agg"; readonly numWorkers: number }
  | { readonly mode: "disagg"; readonly numPrefillWorkers: number; readonly numDecodeWorkers: number };

export interface GpusPerWorker {
  readonly agg: number;
  readonly prefill: number;
  readonly decode: number;
}

export interface SweepGrid {
  readonly source: GridSource;
  readonly name: string | null;
  readonly traces: readonly AxisValue<SweepTraceSpec>[];
  readonly traceBlockSize: number | null;
  readonly sort: boolean;
  readonly lenient: boolean;
  readonly shapes: readonly AxisValue<ClusterShape>[];
  readonly routerModes: readonly AxisValue<RouterMode>[];
  readonly routerConfigs: readonly AxisValue<ConfigObject>[];
  readonly engineArgs: readonly AxisValue<ConfigObject>[];
  readonly prefillEngineArgs: readonly AxisValue<ConfigObject>[];
  readonly decodeEngineArgs: readonly AxisValue<ConfigObject>[];
  /** A planner config runs only on shapes of its mode (see grid-planner.ts). */
  readonly plannerConfigs: readonly AxisValue<PlannerAxisEntry | null>[];
  readonly benchmarkGranularity: number;
  readonly arrivalSpeedupRatios: readonly AxisValue<number>[];
  readonly concurrencies: readonly AxisValue<number | null>[];
  readonly seeds: readonly AxisValue<number>[];
  readonly gpusPerWorker: GpusPerWorker;
  readonly question: CapacityQuestion | null;
  /** Non-fatal notes from parsing (e.g. planner SLA values a non-sla target ignores). */
  readonly warnings: readonly string[];
  /** The grid as parsed from the file, before normalisation: hashed so slices of one sweep can be matched. */
  readonly written: unknown;
}

const e = (rule: string) => ({ error: (iss: { input?: unknown }) => ruleWithValue(rule, iss.input) });
const intIn = (min: number, max: number) => {
  const rule = `must be an integer in ${min}..${max}`;
  return z.number(e(rule)).int(e(rule)).min(min, e(rule)).max(max, e(rule));
};
const SPEEDUP_RULE = `must be a number in [${MIN_ARRIVAL_SPEEDUP}, ${MAX_ARRIVAL_SPEEDUP}]`;
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (Array.isArray(v) ? v : [v]),
    z.array(item).min(1, { error: "must list at least one value" }),
  );

const gridSchema = z.strictObject({
  name: z.string(e("must be a string")).optional(),
  traces: z.unknown().optional(),
  trace_block_size: intIn(1, MAX_TRACE_BLOCK_SIZE).optional(),
  sort: z.boolean(e("must be true or false")).optional(),
  lenient: z.boolean(e("must be true or false")).optional(),
  workers: oneOrMany(intIn(1, MAX_POOL_WORKERS)).optional(),
  prefill_decode: z.unknown().optional(),
  router_modes: oneOrMany(z.enum(ROUTER_MODES, e(ROUTER_MODE_RULE))).optional(),
  router_configs: z.unknown().optional(),
  engine_args: z.unknown().optional(),
  prefill_engine_args: z.unknown().optional(),
  decode_engine_args: z.unknown().optional(),
  planner_configs: z.unknown().optional(),
  benchmark_granularity: intIn(1, MAX_BENCHMARK_GRANULARITY).optional(),
  arrival_speedup_ratios: oneOrMany(
    z
      .number(e(SPEEDUP_RULE))
      .min(MIN_ARRIVAL_SPEEDUP, e(SPEEDUP_RULE))
      .max(MAX_ARRIVAL_SPEEDUP, e(SPEEDUP_RULE)),
  ).optional(),
  concurrencies: oneOrMany(intIn(1, MAX_CONCURRENCY).nullable()).optional(),
  seeds: oneOrMany(intIn(0, MAX_SEED)).optional(),
  gpus_per_worker: z
    .union(
      [
        intIn(1, MAX_GPUS_PER_WORKER),
        z.strictObject({
          agg: intIn(1, MAX_GPUS_PER_WORKER).optional(),
          prefill: intIn(1, MAX_GPUS_PER_WORKER).optional(),
          decode: intIn(1, MAX_GPUS_PER_WORKER).optional(),
        }),
      ],
      {
        error: `must be a GPU count in 1..${MAX_GPUS_PER_WORKER} or {agg, prefill, decode}`,
      },
    )
    .optional(),
  question: z
    .record(z.string(), z.unknown(), e("must be a map of bound → milliseconds, e.g. {ttft_p99_ms: 2000}"))
    .optional(),
});

export const GRID_KEYS: readonly string[] = Object.keys(gridSchema.shape);

function zodPath(path: readonly PropertyKey[]): GridPath {
  return path.map((p) => (typeof p === "number" ? p : String(p)));
}

/** A scalar axis: one labelled value per list entry, duplicates refused. */
function scalarAxis<T>(
  source: GridSource,
  key: string,
  values: readonly T[] | undefined,
  fallback: T,
  label: (v: T) => string,
): AxisValue<T>[] {
  const list = values ?? [fallback];
  const out = list.map((value, k) => ({
    label: label(value),
    value,
    written: value,
    path: values === undefined ? [] : [key, k],
  }));
  checkUniqueLabels(source, out);
  return out;
}

function parsePair(source: GridSource, path: GridPath, entry: unknown): [number, number] {
  const rule = `must be "P:D" (prefill and decode worker counts, each an integer in 1..${MAX_POOL_WORKERS})`;
  let p: unknown;
  let d: unknown;
  if (typeof entry === "string") {
    const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(entry);
    if (m === null) throw gridError(source, path, ruleWithValue(rule, entry));
    p = Number(m[1]);
    d = Number(m[2]);
  } else if (Array.isArray(entry) && entry.length === 2) {
    [p, d] = entry;
  } else {
    throw gridError(source, path, ruleWithValue(rule, entry));
  }
  const inRange = (n: unknown): boolean =>
    Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_POOL_WORKERS;
  if (!(inRange(p) && inRange(d))) {
    throw gridError(source, path, ruleWithValue(rule, entry));
  }
  return [p as number, d as number];
}

function disaggShapes(source: GridSource, raw: unknown): AxisValue<ClusterShape>[] {
  const pairs: [number, number, GridPath][] = [];
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const obj = raw as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (key !== "prefill" && key !== "decode")
        throw gridError(source, ["prefill_decode", key], "unknown field (allowed: prefill, decode)");
    }
    const counts = (key: "prefill" | "decode"): number[] => {
      const list = Array.isArray(obj[key]) ? (obj[key] as unknown[]) : [obj[key]];
      return list.map((v, k) => {
        if (!(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_POOL_WORKERS)) {
          const rule = `must be an integer in 1..${MAX_POOL_WORKERS}`;
          throw gridError(source, ["prefill_decode", key, k], ruleWithValue(rule, v));
        }
        return v as number;
      });
    };
    for (const p of counts("prefill"))
      for (const d of counts("decode")) pairs.push([p, d, ["prefill_decode"]]);
  } else {
    const list =
      Array.isArray(raw) && !(raw.length === 2 && raw.every((v) => typeof v === "number")) ? raw : [raw];
    if (list.length === 0) throw gridError(source, ["prefill_decode"], "must list at least one P:D split");
    list.forEach((entry, k) => {
      const path: GridPath = list === raw ? ["prefill_decode", k] : ["prefill_decode"];
      pairs.push([...parsePair(source, path, entry), path]);
    });
  }
  return pairs.map(([p, d, path]) => ({
    label: `p${p}d${d}`,
    value: { mode: "disagg", numPrefillWorkers: p, numDecodeWorkers: d },
    written: `${p}:${d}`,
    path,
  }));
}

/** Validates a grid (already parsed from YAML/JSON) and normalises it into labelled axes. */
export function parseSweepGrid(source: GridSource, baseDir: string): SweepGrid {
  const parsed = gridSchema.safeParse(source.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue === undefined) throw gridError(source, [], "invalid grid");
    if (issue.code === "unrecognized_keys") {
      throw gridError(source, [issue.keys[0] ?? "?"], `unknown field (allowed: ${GRID_KEYS.join(", ")})`);
    }
    if (issue.path.length === 0)
      throw gridError(source, [], "a grid must be a map of axes (see kvsim sweep --help)");
    throw gridError(source, zodPath(issue.path), issue.message);
  }
  const g = parsed.data;
  const shapes: AxisValue<ClusterShape>[] = [];
  if (g.workers !== undefined) {
    g.workers.forEach((n, k) => {
      shapes.push({
        label: `agg${n}`,
        value: { mode: "agg", numWorkers: n },
        written: n,
        path: ["workers", k],
      });
    });
  }
  if (g.prefill_decode !== undefined) shapes.push(...disaggShapes(source, g.prefill_decode));
  if (shapes.length === 0)
    shapes.push({ label: "agg1", value: { mode: "agg", numWorkers: 1 }, written: 1, path: [] });
  checkUniqueLabels(source, shapes);
  // Per-pool overrides with no disagg point would be ignored silently (as --prefill-engine-args in an agg replay).
  if (!shapes.some((s) => s.value.mode === "disagg")) {
    for (const key of ["prefill_engine_args", "decode_engine_args"] as const) {
      if (g[key] !== undefined)
        throw gridError(
          source,
          [key],
          "applies only to disagg points (prefill_decode), and this grid has none",
        );
    }
  }

  const warnings: string[] = [];
  const plannerConfigs = plannerConfigAxis(source, g.planner_configs, baseDir, (m) => warnings.push(m));
  for (const p of plannerConfigs) {
    if (p.value !== null && !shapes.some((s) => s.value.mode === p.value?.config.mode)) {
      const where = p.value.config.mode === "agg" ? "workers" : "prefill_decode";
      throw gridError(
        source,
        p.path,
        `a ${p.value.config.mode} planner needs ${where} shapes in the grid (it runs only on its own topology)`,
      );
    }
  }
  const gpus = g.gpus_per_worker;
  const gpusPerWorker: GpusPerWorker =
    typeof gpus === "number" || gpus === undefined
      ? { agg: gpus ?? 1, prefill: gpus ?? 1, decode: gpus ?? 1 }
      : { agg: gpus.agg ?? 1, prefill: gpus.prefill ?? 1, decode: gpus.decode ?? 1 };
  const question =
    g.question === undefined
      ? null
      : makeQuestion(g.question, (key, rule) =>
          gridError(source, key === null ? ["question"] : ["question", key], rule),
        );
  return {
    source,
    name: g.name ?? null,
    traces: tracesAxis(source, g.traces, baseDir),
    traceBlockSize: g.trace_block_size ?? null,
    sort: g.sort ?? false,
    lenient: g.lenient ?? false,
    shapes,
    routerModes: scalarAxis(source, "router_modes", g.router_modes, DEFAULT_ROUTER_MODE, (m) => m),
    routerConfigs: routerConfigAxis(source, g.router_configs),
    engineArgs: engineArgsAxis(source, "engine_args", g.engine_args, "ea", baseDir),
    prefillEngineArgs: engineArgsAxis(source, "prefill_engine_args", g.prefill_engine_args, "pe", baseDir),
    decodeEngineArgs: engineArgsAxis(source, "decode_engine_args", g.decode_engine_args, "de", baseDir),
    plannerConfigs,
    benchmarkGranularity: g.benchmark_granularity ?? DEFAULT_BENCHMARK_GRANULARITY,
    arrivalSpeedupRatios: scalarAxis(
      source,
      "arrival_speedup_ratios",
      g.arrival_speedup_ratios,
      1,
      (x) => `x${x}`,
    ),
    concurrencies: scalarAxis(source, "concurrencies", g.concurrencies, null, (c) =>
      c === null ? "open" : `c${c}`,
    ),
    seeds: scalarAxis(source, "seeds", g.seeds, 0, (s) => `s${s}`),
    gpusPerWorker,
    question,
    warnings,
    written: source.value ?? {},
  };
}

/** Reads a grid file (YAML or JSON). */
export function loadSweepGrid(path: string): SweepGrid {
  return parseSweepGrid(readGridFile(path), dirname(resolve(path)));
}

/** A grid given as an object (library API); relative paths resolve against `baseDir` (default: cwd). */
export function sweepGridFromObject(
  value: unknown,
  baseDir: string = process.cwd(),
  name = "grid",
): SweepGrid {
  return parseSweepGrid(objectGridSource(value, name), baseDir);
}
