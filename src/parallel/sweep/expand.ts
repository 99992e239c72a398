import type { PlannerConfig } from "../../planner/config.js";
import type { ClusterOptionsInput } from "../../sim/cluster/resolve-options.js";
import type { RouterMode } from "../../sim/router/router-policies.js";
import type { ClusterShape, SweepGrid } from "./grid.js";
import type { AxisValue, ConfigObject } from "./grid-axes.js";
import type { PlannerAxisEntry } from "./grid-planner.js";

/**
 * Expanding a grid into points. The order is fixed and documented, so a point's index is stable for a given
 * grid file — slices (`--shard i/N`) of one grid, run on different machines, agree on every index:
 *
 *   for trace → for shape (workers as listed, then prefill_decode as listed) → router mode → router config
 *   → engine args → [disagg only: prefill engine args → decode engine args] → planner config
 *   → arrival speedup → concurrency → seed
 *
 * A planner config is paired only with shapes of its own mode (grid-planner.ts); "no planner" with every shape.
 *
 * A point's id joins its shape label with the labels of every other axis that has more than one value, in the
 * same order, separated by "/": `agg4`, `p1d2/kv/ea:big/s1`. Config axes carry a prefix (rc:, ea:, pe:, de:,
 * pc:) so a reader can tell which axis a name belongs to.
 */

export interface SweepPoint {
  readonly index: number;
  readonly id: string;
  /** Index into grid.traces. */
  readonly traceSlot: number;
  readonly traceLabel: string;
  readonly shape: ClusterShape;
  readonly routerMode: RouterMode;
  readonly routerConfig: AxisValue<ConfigObject>;
  readonly engineArgs: AxisValue<ConfigObject>;
  /** Overrides for the prefill / decode pools (disagg points only). */
  readonly prefillEngineArgs: AxisValue<ConfigObject> | null;
  readonly decodeEngineArgs: AxisValue<ConfigObject> | null;
  /** value null: no planner in the loop. */
  readonly plannerConfig: AxisValue<PlannerAxisEntry | null>;
  readonly arrivalSpeedupRatio: number;
  readonly concurrency: number | null;
  readonly seed: number;
  /** GPUs the cluster starts with (workers × GPUs per worker, per pool). */
  readonly gpuCount: number;
}

/** Number of points the grid expands to, without building them. */
export function countSweepPoints(grid: SweepGrid): number {
  const common =
    grid.routerModes.length *
    grid.routerConfigs.length *
    grid.engineArgs.length *
    grid.arrivalSpeedupRatios.length *
    grid.concurrencies.length *
    grid.seeds.length;
  const disaggFactor = grid.prefillEngineArgs.length * grid.decodeEngineArgs.length;
  let perTrace = 0;
  for (const s of grid.shapes) {
    const planners = grid.plannerConfigs.filter((p) => plannerFits(p.value, s.value)).length;
    perTrace += common * planners * (s.value.mode === "agg" ? 1 : disaggFactor);
  }
  return grid.traces.length * perTrace;
}

/** Whether a planner axis value runs on a shape: no planner always, a planner on its own mode only. */
export function plannerFits(planner: PlannerAxisEntry | null, shape: ClusterShape): boolean {
  return planner === null || planner.config.mode === shape.mode;
}

/** GPUs per worker of each pool: a planner config's `*_engine_num_gpu` wins over the grid's gpus_per_worker. */
export function poolGpus(
  grid: SweepGrid,
  shape: ClusterShape,
  planner: PlannerAxisEntry | null,
): { readonly prefill: number; readonly decode: number } {
  const g = grid.gpusPerWorker;
  const c = planner?.config ?? null;
  if (shape.mode === "agg") return { prefill: 0, decode: c?.decodeEngineNumGpu ?? g.agg };
  return { prefill: c?.prefillEngineNumGpu ?? g.prefill, decode: c?.decodeEngineNumGpu ?? g.decode };
}

/**
 * The planner config a point runs: the grid's gpus_per_worker filled into `*_engine_num_gpu` where the config
 * leaves them unset, so the planner's budget and GPU-hours count the same GPUs as the row.
 */
export function effectivePlannerConfig(point: SweepPoint, grid: SweepGrid): PlannerConfig | null {
  const entry = point.plannerConfig.value;
  if (entry === null) return null;
  const gpus = poolGpus(grid, point.shape, entry);
  return point.shape.mode === "agg"
    ? { ...entry.config, decodeEngineNumGpu: gpus.decode }
    : { ...entry.config, prefillEngineNumGpu: gpus.prefill, decodeEngineNumGpu: gpus.decode };
}

function shapeGpus(shape: ClusterShape, grid: SweepGrid, planner: PlannerAxisEntry | null): number {
  const g = poolGpus(grid, shape, planner);
  return shape.mode === "agg"
    ? shape.numWorkers * g.decode
    : shape.numPrefillWorkers * g.prefill + shape.numDecodeWorkers * g.decode;
}

/** Every point of the grid in expansion order. */
export function expandSweepGrid(grid: SweepGrid): SweepPoint[] {
  return Array.from(sweepPoints(grid));
}

/**
 * The points one at a time, in expansion order: `sweep --list` streams them, and a slice keeps only its own,
 * so a grid of 10^9 points is never held in memory.
 */
export function* sweepPoints(grid: SweepGrid): Generator<SweepPoint, void, undefined> {
  let index = 0;
  const many = <T>(axis: readonly T[]): boolean => axis.length > 1;
  const anyDisagg = grid.shapes.some((s) => s.value.mode === "disagg");
  for (let traceSlot = 0; traceSlot < grid.traces.length; traceSlot++) {
    const trace = grid.traces[traceSlot] as (typeof grid.traces)[number];
    for (const shape of grid.shapes) {
      const disagg = shape.value.mode === "disagg";
      const prefillAxis = disagg ? grid.prefillEngineArgs : [null];
      const decodeAxis = disagg ? grid.decodeEngineArgs : [null];
      for (const routerMode of grid.routerModes) {
        for (const routerConfig of grid.routerConfigs) {
          for (const engineArgs of grid.engineArgs) {
            for (const prefill of prefillAxis) {
              for (const decode of decodeAxis) {
                for (const planner of grid.plannerConfigs) {
                  if (!plannerFits(planner.value, shape.value)) continue;
                  for (const speedup of grid.arrivalSpeedupRatios) {
                    for (const concurrency of grid.concurrencies) {
                      for (const seed of grid.seeds) {
                        const parts: string[] = [];
                        if (many(grid.traces)) parts.push(trace.label);
                        parts.push(shape.label);
                        if (many(grid.routerModes)) parts.push(routerMode.label);
                        if (many(grid.routerConfigs)) parts.push(`rc:${routerConfig.label}`);
                        if (many(grid.engineArgs)) parts.push(`ea:${engineArgs.label}`);
                        if (anyDisagg && prefill !== null && many(grid.prefillEngineArgs))
                          parts.push(`pe:${prefill.label}`);
                        if (anyDisagg && decode !== null && many(grid.decodeEngineArgs))
                          parts.push(`de:${decode.label}`);
                        if (many(grid.plannerConfigs)) parts.push(`pc:${planner.label}`);
                        if (many(grid.arrivalSpeedupRatios)) parts.push(speedup.label);
                        if (many(grid.concurrencies)) parts.push(concurrency.label);
                        if (many(grid.seeds)) parts.push(seed.label);
                        yield {
                          index: index++,
                          id: parts.join("/"),
                          traceSlot,
                          traceLabel: trace.label,
                          shape: shape.value,
                          routerMode: routerMode.value,
                          routerConfig,
                          engineArgs,
                          prefillEngineArgs: prefill,
                          decodeEngineArgs: decode,
                          plannerConfig: planner,
                          arrivalSpeedupRatio: speedup.value,
                          concurrency: concurrency.value,
                          seed: seed.value,
                          gpuCount: shapeGpus(shape.value, grid, planner.value),
                        };
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

/** The replay settings of a point (validated later by resolveClusterOptions, like `kvsim replay` flags). */
export function pointClusterInput(point: SweepPoint): ClusterOptionsInput {
  const s = point.shape;
  // engine_args apply to every pool of the point; a disagg point's pool overrides lie on top, field by field
  // (resolveClusterOptions merges them, as for `kvsim replay --engine-args` with --prefill/--decode-engine-args).
  const pools: ClusterOptionsInput = {
    engineArgs: point.engineArgs.value,
    ...(point.prefillEngineArgs === null ? {} : { prefillEngineArgs: point.prefillEngineArgs.value }),
    ...(point.decodeEngineArgs === null ? {} : { decodeEngineArgs: point.decodeEngineArgs.value }),
  };
  return {
    mode: s.mode,
    numWorkers: s.mode === "agg" ? s.numWorkers : 1,
    numPrefillWorkers: s.mode === "disagg" ? s.numPrefillWorkers : 1,
    numDecodeWorkers: s.mode === "disagg" ? s.numDecodeWorkers : 1,
    routerMode: point.routerMode,
    routerConfig: point.routerConfig.value,
    ...pools,
    arrivalSpeedupRatio: point.arrivalSpeedupRatio,
    concurrency: point.concurrency,
    seed: point.seed,
  };
}

/**
 * The point's configuration as plain data, values as the grid wrote them (manifests, the row file's config
 * bytes, the HTML legend). Deterministic key order.
 */
export function pointConfigJson(point: SweepPoint, grid: SweepGrid): Record<string, unknown> {
  const s = point.shape;
  const disagg = s.mode === "disagg";
  return {
    index: point.index,
    id: point.id,
    trace: point.traceLabel,
    mode: s.mode,
    num_workers: s.mode === "agg" ? s.numWorkers : null,
    num_prefill_workers: disagg ? s.numPrefillWorkers : null,
    num_decode_workers: disagg ? s.numDecodeWorkers : null,
    router_mode: point.routerMode,
    router_config: { label: point.routerConfig.label, value: point.routerConfig.written ?? {} },
    engine_args: { label: point.engineArgs.label, value: point.engineArgs.written ?? {} },
    prefill_engine_args:
      point.prefillEngineArgs === null
        ? null
        : { label: point.prefillEngineArgs.label, value: point.prefillEngineArgs.written ?? {} },
    decode_engine_args:
      point.decodeEngineArgs === null
        ? null
        : { label: point.decodeEngineArgs.label, value: point.decodeEngineArgs.written ?? {} },
    planner_config:
      point.plannerConfig.value === null
        ? null
        : { label: point.plannerConfig.label, value: point.plannerConfig.written },
    arrival_speedup_ratio: point.arrivalSpeedupRatio,
    concurrency: point.concurrency,
    seed: point.seed,
    gpus_per_worker: disagg
      ? { ...poolGpus(grid, s, point.plannerConfig.value) }
      : { agg: poolGpus(grid, s, point.plannerConfig.value).decode },
    gpu_count: point.gpuCount,
  };
}

/** One line naming a point for error messages: `point 5 "agg2/ea:bad" (mode=agg num_workers=2 …)`. */
export function describePoint(point: SweepPoint): string {
  const s = point.shape;
  const shape =
    s.mode === "agg"
      ? `mode=agg num_workers=${s.numWorkers}`
      : `mode=disagg prefill=${s.numPrefillWorkers} decode=${s.numDecodeWorkers}`;
  const parts = [
    `trace=${point.traceLabel}`,
    shape,
    `router=${point.routerMode}`,
    `router_config=${JSON.stringify(point.routerConfig.written ?? {})}`,
    `engine_args=${JSON.stringify(point.engineArgs.written ?? {})}`,
  ];
  if (point.prefillEngineArgs !== null)
    parts.push(`prefill_engine_args=${JSON.stringify(point.prefillEngineArgs.written ?? {})}`);
  if (point.decodeEngineArgs !== null)
    parts.push(`decode_engine_args=${JSON.stringify(point.decodeEngineArgs.written ?? {})}`);
  if (point.plannerConfig.value !== null) parts.push(`planner_config=${point.plannerConfig.label}`);
  parts.push(
    `arrival_speedup_ratio=${point.arrivalSpeedupRatio}`,
    `concurrency=${point.concurrency ?? "open"}`,
    `seed=${point.seed}`,
  );
  return `point ${point.index} "${point.id}" (${parts.join(" ")})`;
}
