/**
 * Deterministic JSON: keys in a caller-given order (never object insertion order), numbers in ECMAScript's
 * shortest round-trip form (the same digits on every run and platform), -0 written as 0, and non-finite numbers
 * refused instead of silently becoming `null`.
 *
 * Nondeterminism lives in one place: WALL_TIME_KEYS lists the report fields that depend on host time. They are
 * the only ones that differ between two runs of the same replay; `omitWallTime` drops them for comparisons.
 */

export type JsonScalar = number | string | boolean | null;

/** Report fields measured in host (wall-clock) time — the only nondeterministic ones. */
export const WALL_TIME_KEYS = [
  "wall_time_ms",
  "processed_tokens_per_s",
  "processed_output_tokens_per_s",
] as const;
export type WallTimeKey = (typeof WALL_TIME_KEYS)[number];

export function isWallTimeKey(key: string): key is WallTimeKey {
  return (WALL_TIME_KEYS as readonly string[]).includes(key);
}

/** A copy of `report` without the wall-time fields, for byte-for-byte comparisons between runs. */
export function omitWallTime<T extends Readonly<Record<string, JsonScalar>>>(
  report: T,
): Omit<T, WallTimeKey> {
  const out: Record<string, JsonScalar> = {};
  for (const key of Object.keys(report)) {
    if (!isWallTimeKey(key)) out[key] = report[key] as JsonScalar;
  }
  return out as Omit<T, WallTimeKey>;
}

/** One scalar as JSON text. */
export function scalarToJson(value: JsonScalar, key = "value"): string {
  if (value === null) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`JSON field "${key}" is not finite: ${value}`);
    return Object.is(value, -0) ? "0" : String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  return JSON.stringify(value);
}

/**
 * A flat object of scalars as JSON with exactly `keys`, in that order. Throws when the object lacks one of
 * them or has another, so a report can never gain or lose a field silently.
 * `indent` 0 gives one line (JSONL); otherwise one field per line.
 */
export function stringifyFlat(
  record: Readonly<Record<string, JsonScalar>>,
  keys: readonly string[],
  indent = 2,
): string {
  const extra = Object.keys(record).filter((k) => !keys.includes(k));
  if (extra.length > 0) throw new Error(`stringifyFlat: unexpected field(s) ${extra.join(", ")}`);
  const fields: string[] = [];
  for (const key of keys) {
    if (!Object.hasOwn(record, key)) throw new Error(`stringifyFlat: missing field ${key}`);
    fields.push(
      `${JSON.stringify(key)}:${indent > 0 ? " " : ""}${scalarToJson(record[key] as JsonScalar, key)}`,
    );
  }
  if (indent <= 0) return `{${fields.join(",")}}`;
  const pad = " ".repeat(indent);
  return fields.length === 0 ? "{}" : `{\n${pad}${fields.join(`,\n${pad}`)}\n}`;
}
