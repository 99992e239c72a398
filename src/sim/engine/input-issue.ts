import type { z } from "zod";
import { InputError, inputErrorAt } from "../../util/errors.js";

/** A short rendering of a rejected value for `(got …)` suffixes: JSON, cut at 40 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `must be … (got x)`: the rule text every custom zod error in the engine args uses. */
export function ruleWithValue(rule: string, value: unknown): string {
  return `${rule} (got ${describeValue(value)})`;
}

/**
 * Turns the first zod issue into the project's one-line InputError: `label: field "a.b": rule`.
 * `allowedKeys` lists the accepted top-level keys for unknown-field messages.
 */
export function issueToInputError(
  label: string,
  issue: z.core.$ZodIssue,
  fieldPrefix: string,
  allowedKeys: readonly string[] | null,
): InputError {
  const base = issue.path.map(String).join(".");
  const join = (a: string, b: string): string => (a === "" ? b : b === "" ? a : `${a}.${b}`);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "?";
    const atTop = base === "" && allowedKeys !== null;
    const rule = atTop ? `unknown field (allowed: ${allowedKeys.join(", ")})` : "unknown field";
    return inputErrorAt(label, null, join(fieldPrefix, join(base, key)), rule);
  }
  const field = join(fieldPrefix, base);
  if (field === "") return new InputError(`${label}: ${issue.message}`);
  return inputErrorAt(label, null, field, issue.message);
}
