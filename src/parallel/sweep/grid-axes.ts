import { basename, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { parseEngineArgs } from "../../sim/engine/engine-args.js";
import { parseRouterConfig } from "../../sim/router/router-config.js";
import { type GridPath, type GridSource, gridError, parseAt } from "./grid-source.js";

/**
 * The grid's axes whose values are objects or traces: turning each written form into a list of labelled values
 * (label = how ids, rows and charts name the value) and validating every value where it was written, so a bad
 * engine arg fails before any thread starts, naming file, line and field.
 */

/** One value of an axis. `written` is the value as the grid file has it (hashing, manifests, display). */
export interface AxisValue<T> {
  readonly label: string;
  readonly value: T;
  readonly written: unknown;
  /** Where it was written, for error lines. */
  readonly path: GridPath;
}

export type ConfigObject = Readonly<Record<string, unknown>>;

/** Labels: a letter first, then letters, digits and `_ . + -` (no `/`, which separates id parts). */
const LABEL_RE = /^[A-Za-z][A-Za-z0-9_.+-]*$/;
export const LABEL_RULE = "must start with a letter and use only letters, digits and _ . + -";

export function checkLabel(source: GridSource, path: GridPath, label: string): string {
  if (!LABEL_RE.test(label)) throw gridError(source, path, `label "${label}" ${LABEL_RULE}`);
  return label;
}

export function checkUniqueLabels<T>(source: GridSource, values: readonly AxisValue<T>[]): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v.label)) throw gridError(source, v.path, `duplicate label "${v.label}" (give it a name)`);
    seen.add(v.label);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A config axis: a list of objects (labels `<prefix>0`, `<prefix>1`, …) or a map name → object. Absent: one
 * value, `fallback`, labelled `fallbackLabel`. `allowNull` lets an entry be null (planner: "no planner").
 */
export function configAxis(
  source: GridSource,
  key: string,
  raw: unknown,
  prefix: string,
  fallbackLabel: string,
  allowNull = false,
): AxisValue<ConfigObject | null>[] {
  if (raw === undefined)
    return [{ label: fallbackLabel, value: allowNull ? null : {}, written: null, path: [key] }];
  const what = allowNull ? "an object or null" : "an object";
  const entries: [string, unknown, GridPath][] = [];
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw gridError(source, [key], "must list at least one value");
    raw.forEach((v, k) => {
      entries.push([`${prefix}${k}`, v, [key, k]]);
    });
  } else if (isPlainObject(raw)) {
    if (Object.keys(raw).length === 0) throw gridError(source, [key], "must name at least one value");
    for (const [name, v] of Object.entries(raw)) {
      entries.push([checkLabel(source, [key, name], name), v, [key, name]]);
    }
  } else {
    throw gridError(source, [key], `must be a list of configs or a map of name → config`);
  }
  const out: AxisValue<ConfigObject | null>[] = [];
  for (const [label, v, path] of entries) {
    if (v === null && allowNull) {
      out.push({ label: Array.isArray(raw) ? "none" : label, value: null, written: null, path });
    } else if (isPlainObject(v)) {
      out.push({ label, value: v, written: v, path });
    } else {
      throw gridError(
        source,
        path,
        `must be ${what} (${key} is a list of configs or a map of name → config; wrap a single config in a list)`,
      );
    }
  }
  checkUniqueLabels(source, out);
  return out;
}

/** Engine args values: validated alone, with `perf_model.path` made absolute against the grid's directory. */
export function engineArgsAxis(
  source: GridSource,
  key: string,
  raw: unknown,
  prefix: string,
  baseDir: string,
): AxisValue<ConfigObject>[] {
  return configAxis(source, key, raw, prefix, "default").map((entry) => {
    const value = entry.value ?? {};
    const perf = value.perf_model;
    let resolved: ConfigObject = value;
    if (isPlainObject(perf) && typeof perf.path === "string" && perf.path !== "" && !isAbsolute(perf.path)) {
      resolved = { ...value, perf_model: { ...perf, path: resolve(baseDir, perf.path) } };
    }
    // Stage roles are added per point; validating without one checks every field as written.
    const { worker_type: _role, ...roleFree } = resolved;
    parseAt(source, entry.path, (label) => parseEngineArgs(roleFree, label));
    return { ...entry, value: resolved };
  });
}

export function routerConfigAxis(source: GridSource, raw: unknown): AxisValue<ConfigObject>[] {
  return configAxis(source, "router_configs", raw, "rc", "default").map((entry) => {
    parseAt(source, entry.path, (label) => parseRouterConfig(entry.value, label));
    return { ...entry, value: entry.value ?? {} };
  });
}

// ---- traces ----

const syntheticSchema = z.strictObject({
  input_tokens: z.number().int().min(1),
  output_tokens: z.number().int().min(1),
  request_count: z.number().int().min(1),
  arrival_interval_ms: z.number().min(0).optional(),
  turns_per_session: z.number().int().min(1).optional(),
  shared_prefix_ratio: z.number().min(0).max(1).optional(),
  num_prefix_groups: z.number().int().min(0).optional(),
  inter_turn_delay_ms: z.number().min(0).optional(),
});
export type SyntheticTraceSpec = z.infer<typeof syntheticSchema>;

export type SweepTraceSpec =
  | { readonly kind: "default" }
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "synthetic"; readonly synthetic: SyntheticTraceSpec };

/** The token the grid uses for the embedded Mooncake conversation trace. */
export const DEFAULT_TRACE_TOKEN = "@default";

function derivedLabel(path: string, k: number): string {
  const stem = basename(path).replace(/\.(jsonl|json|kvtrace)$/i, "");
  const clean = stem.replace(/[^A-Za-z0-9_.+-]/g, "_");
  return LABEL_RE.test(clean) ? clean : `trace${k}`;
}

/**
 * `traces`: a list of entries, each a path (relative to the grid file), "@default" (the embedded trace),
 * `{path, name}` or `{synthetic: {...}, name}`. Absent: the embedded default trace.
 */
export function tracesAxis(source: GridSource, raw: unknown, baseDir: string): AxisValue<SweepTraceSpec>[] {
  if (raw === undefined)
    return [{ label: "default", value: { kind: "default" }, written: DEFAULT_TRACE_TOKEN, path: [] }];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw gridError(source, ["traces"], "must list at least one trace");
  const out = list.map((entry, k): AxisValue<SweepTraceSpec> => {
    const path: GridPath = Array.isArray(raw) ? ["traces", k] : ["traces"];
    if (entry === DEFAULT_TRACE_TOKEN)
      return { label: "default", value: { kind: "default" }, written: entry, path };
    if (typeof entry === "string") {
      if (entry === "") throw gridError(source, path, "must be a file path");
      return {
        label: derivedLabel(entry, k),
        value: { kind: "file", path: resolve(baseDir, entry) },
        written: entry,
        path,
      };
    }
    if (!isPlainObject(entry)) {
      throw gridError(
        source,
        path,
        `must be a path, "${DEFAULT_TRACE_TOKEN}", {path, name} or {synthetic, name}`,
      );
    }
    for (const key of Object.keys(entry)) {
      if (key !== "path" && key !== "name" && key !== "synthetic")
        throw gridError(source, [...path, key], "unknown field (allowed: path, name, synthetic)");
    }
    const name = entry.name;
    if (name !== undefined && typeof name !== "string")
      throw gridError(source, [...path, "name"], "must be a string");
    if ((entry.path === undefined) === (entry.synthetic === undefined))
      throw gridError(source, path, 'needs exactly one of "path" or "synthetic"');
    if (entry.path !== undefined) {
      if (typeof entry.path !== "string" || entry.path === "")
        throw gridError(source, [...path, "path"], "must be a file path");
      const spec: SweepTraceSpec =
        entry.path === DEFAULT_TRACE_TOKEN
          ? { kind: "default" }
          : { kind: "file", path: resolve(baseDir, entry.path) };
      const label =
        name === undefined
          ? spec.kind === "default"
            ? "default"
            : derivedLabel(entry.path, k)
          : checkLabel(source, [...path, "name"], name);
      return { label, value: spec, written: entry, path };
    }
    const parsed = syntheticSchema.safeParse(entry.synthetic);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = [
        ...path,
        "synthetic",
        ...(issue?.path ?? []).map((p) => (typeof p === "number" ? p : String(p))),
      ];
      const rule =
        issue?.code === "unrecognized_keys"
          ? `unknown field "${issue.keys[0]}" (allowed: ${Object.keys(syntheticSchema.shape).join(", ")})`
          : (issue?.message ?? "invalid");
      throw gridError(source, at, rule);
    }
    const label = name === undefined ? `synthetic${k}` : checkLabel(source, [...path, "name"], name);
    return { label, value: { kind: "synthetic", synthetic: parsed.data }, written: entry, path };
  });
  checkUniqueLabels(source, out);
  return out;
}
