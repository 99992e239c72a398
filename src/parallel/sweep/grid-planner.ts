import { isAbsolute, resolve } from "node:path";
import { type PlannerConfig, parsePlannerConfig } from "../../planner/config.js";
import { loadPlannerConfig } from "../../planner/config-file.js";
import type { WarmupWindow } from "../../planner/state-machine.js";
import { readPlannerWarmupWindows } from "../../replay/warmup-windows.js";
import { type AxisValue, checkLabel, checkUniqueLabels } from "./grid-axes.js";
import { type GridPath, type GridSource, gridError, gridLabel, parseAt } from "./grid-source.js";

/**
 * The `planner_configs` axis: planner-in-the-loop replays (docs/planner-in-the-loop.md). Each entry is a
 * planner config (snake_case keys, as in a `kvsim replay --planner-config` file), the path of such a file
 * (relative to the grid), or null for "no planner"; a list (labels pc0, pc1, …; null → "none") or a map name
 * → entry.
 *
 * A planner config runs only on the cluster shapes of its `mode` (agg configs on `workers` shapes, disagg
 * configs — the planner's default mode — on `prefill_decode` shapes): upstream's replay refuses a planner of the
 * other topology, so those combinations are not points at all.
 */

export interface PlannerAxisEntry {
  readonly config: PlannerConfig;
  /** Predictor warm-up windows from the config's load_predictor_warmup_trace (SLA mode), read once here. */
  readonly warmup: readonly WarmupWindow[] | null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseEntry(
  source: GridSource,
  path: GridPath,
  value: unknown,
  baseDir: string,
  onWarning: (message: string) => void,
): PlannerConfig {
  const warn = (message: string): void => onWarning(`${gridLabel(source, path)}: ${message}`);
  let config: PlannerConfig;
  if (typeof value === "string") {
    if (value === "") throw gridError(source, path, "must be a planner config, a file path or null");
    config = loadPlannerConfig(resolve(baseDir, value), { onWarning: warn });
  } else if (isPlainObject(value)) {
    const trace = value.load_predictor_warmup_trace;
    const raw =
      typeof trace === "string" && trace !== "" && !isAbsolute(trace)
        ? { ...value, load_predictor_warmup_trace: resolve(baseDir, trace) }
        : value;
    config = parseAt(source, path, (label) => parsePlannerConfig(raw, { source: label, onWarning: warn }));
  } else {
    throw gridError(source, path, "must be a planner config (a map), a file path or null");
  }
  if (config.mode !== "agg" && config.mode !== "disagg") {
    throw gridError(
      source,
      path,
      `planner "mode" must be "agg" or "disagg" in a replay (got "${config.mode}")`,
    );
  }
  return config;
}

export function plannerConfigAxis(
  source: GridSource,
  raw: unknown,
  baseDir: string,
  onWarning: (message: string) => void,
): AxisValue<PlannerAxisEntry | null>[] {
  const key = "planner_configs";
  if (raw === undefined || raw === null) return [{ label: "none", value: null, written: null, path: [] }];
  const entries: [string, unknown, GridPath][] = [];
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw gridError(source, [key], "must list at least one value");
    raw.forEach((v, k) => {
      entries.push([v === null ? "none" : `pc${k}`, v, [key, k]]);
    });
  } else if (isPlainObject(raw)) {
    for (const [name, v] of Object.entries(raw))
      entries.push([checkLabel(source, [key, name], name), v, [key, name]]);
    if (entries.length === 0) throw gridError(source, [key], "must name at least one value");
  } else {
    throw gridError(source, [key], "must be a list of planner configs or a map of name → config");
  }
  const out = entries.map(([label, value, path]): AxisValue<PlannerAxisEntry | null> => {
    if (value === null) return { label, value: null, written: null, path };
    const config = parseEntry(source, path, value, baseDir, onWarning);
    return { label, value: { config, warmup: readPlannerWarmupWindows(config) }, written: value, path };
  });
  checkUniqueLabels(source, out);
  return out;
}
