// Deterministic JSON text of a planner-in-the-loop result: key order as built (the flat report first, in its
// REPORT_KEYS order, then `planner`), numbers in ECMAScript's shortest round-trip form, non-finite numbers
// refused (JSON would silently turn them into null). Layout keeps big files readable: objects one key per line,
// arrays of scalars or pairs on one line, arrays of objects one compact object per line.

import { kvTiersSectionFromJson } from "./kv-tiers.js";
import type { PlannerReplayResultJson } from "./planner-result.js";

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

function scalar(value: null | boolean | number | string, path: string): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`planner result: "${path}" is not finite (${value})`);
    return Object.is(value, -0) ? "0" : String(value);
  }
  return JSON.stringify(value);
}

function isScalar(v: Json): v is null | boolean | number | string {
  return v === null || typeof v !== "object";
}

function compact(value: Json, path: string): string {
  if (isScalar(value)) return scalar(value, path);
  if (Array.isArray(value)) {
    return `[${(value as readonly Json[]).map((v, i) => compact(v, `${path}[${i}]`)).join(",")}]`;
  }
  const obj = value as { readonly [key: string]: Json };
  const fields = Object.keys(obj).map(
    (k) => `${JSON.stringify(k)}:${compact(obj[k] as Json, `${path}.${k}`)}`,
  );
  return `{${fields.join(",")}}`;
}

function pretty(value: Json, path: string, indent: string): string {
  if (isScalar(value)) return scalar(value, path);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value as readonly Json[];
    if (items.length === 0) return "[]";
    const nested = items.some((v) => !isScalar(v) && !Array.isArray(v));
    if (!nested) return compact(value, path);
    return `[\n${items.map((v, i) => `${inner}${compact(v, `${path}[${i}]`)}`).join(",\n")}\n${indent}]`;
  }
  const obj = value as { readonly [key: string]: Json };
  const keys = Object.keys(obj);
  if (keys.length === 0) return "{}";
  const fields = keys.map(
    (k) => `${inner}${JSON.stringify(k)}: ${pretty(obj[k] as Json, `${path}.${k}`, inner)}`,
  );
  return `{\n${fields.join(",\n")}\n${indent}}`;
}

/**
 * The report JSON file: the flat replay report's keys, `kv_tiers` when present, then `planner`; a trailing
 * newline.
 */
export function plannerResultToJson(result: PlannerReplayResultJson): string {
  const top: Record<string, Json> = { ...result.report };
  if (result.kv_tiers !== undefined) top.kv_tiers = result.kv_tiers as unknown as Json;
  top.planner = result.planner as unknown as Json;
  if (result.comparison !== undefined) top.comparison = result.comparison as unknown as Json;
  return `${pretty(top, "", "")}\n`;
}

/**
 * Splits a report JSON file's object back into `{report, planner}` (the HTML report can be rendered from a saved
 * file). Throws a RangeError when the object has no `planner` section or a flat key is not a number.
 */
export function plannerResultFromJson(value: unknown, source = "report JSON"): PlannerReplayResultJson {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RangeError(`${source}: not a JSON object`);
  }
  const record = value as Record<string, unknown>;
  const planner = record.planner;
  if (planner === null || typeof planner !== "object" || Array.isArray(planner)) {
    throw new RangeError(
      `${source}: no "planner" section (was it written by kvsim replay --planner-config?)`,
    );
  }
  const report: Record<string, number | null> = {};
  for (const [key, v] of Object.entries(record)) {
    if (key === "planner" || key === "comparison" || key === "kv_tiers") continue;
    if (typeof v !== "number" && v !== null)
      throw new RangeError(`${source}: field "${key}" is not a number or null`);
    report[key] = v;
  }
  const kvTiers = kvTiersSectionFromJson(record.kv_tiers, source);
  const comparison = record.comparison;
  return {
    report,
    ...(kvTiers === null ? {} : { kv_tiers: kvTiers }),
    planner: planner as PlannerReplayResultJson["planner"],
    ...(comparison !== undefined && comparison !== null && typeof comparison === "object"
      ? { comparison: comparison as NonNullable<PlannerReplayResultJson["comparison"]> }
      : {}),
  };
}
