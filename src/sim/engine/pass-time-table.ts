import { readFileSync } from "node:fs";
import { z } from "zod";
import { type InputError, inputErrorAt } from "../../util/errors.js";
import { issueToInputError, ruleWithValue } from "./input-issue.js";

/**
 * Measured timing table for the interpolated pass-time model (the JSON form of the reference's NPZ, docs/design.md#perf-model):
 *
 *   {
 *     "prefill_isl":             [T0, T1, ...],        new prefill tokens in the pass, strictly increasing
 *     "prefill_ttft_ms":         [ms0, ms1, ...],      prefill time at each T (same length)
 *     "decode_active_kv_tokens": [A0, A1, ...],        active KV tokens, strictly increasing
 *     "decode_context_length":   [C0, C1, ...],        mean context length of the decode batch, strictly increasing
 *     "decode_itl":              [[ms(A0,C0), ms(A0,C1), ...], [ms(A1,C0), ...], ...]   one row per A, one column per C
 *   }
 *
 * Every value is a finite number; each axis has at least one point (one point = constant along that axis).
 */
export interface InterpolatedTable {
  readonly prefill_isl: readonly number[];
  readonly prefill_ttft_ms: readonly number[];
  readonly decode_active_kv_tokens: readonly number[];
  readonly decode_context_length: readonly number[];
  readonly decode_itl: readonly (readonly number[])[];
}

const finite = z.number({ error: (iss) => ruleWithValue("must be a finite number", iss.input) });
const axis = z
  .array(finite, { error: (iss) => ruleWithValue("must be an array of numbers", iss.input) })
  .min(1, { error: "must have at least one point" });

const tableSchema = z.strictObject({
  prefill_isl: axis,
  prefill_ttft_ms: axis,
  decode_active_kv_tokens: axis,
  decode_context_length: axis,
  decode_itl: z
    .array(z.array(finite, { error: (iss) => ruleWithValue("must be an array of numbers", iss.input) }), {
      error: (iss) => ruleWithValue("must be an array of rows (arrays of numbers)", iss.input),
    })
    .min(1, { error: "must have at least one row" }),
});

const TABLE_KEYS = Object.keys(tableSchema.shape);

function checkIncreasing(values: readonly number[], label: string, field: string): InputError | null {
  for (let i = 1; i < values.length; i++) {
    if (!((values[i] as number) > (values[i - 1] as number))) {
      return inputErrorAt(label, null, field, `must be strictly increasing (element ${i} is ${values[i]})`);
    }
  }
  return null;
}

/** Validates a table object; `fieldPrefix` names where it sits in a larger document (e.g. "perf_model.table"). */
export function parseInterpolatedTable(input: unknown, label: string, fieldPrefix = ""): InterpolatedTable {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    const field = fieldPrefix === "" ? null : fieldPrefix;
    throw inputErrorAt(
      label,
      null,
      field,
      ruleWithValue("must be a JSON object with the table's arrays", input),
    );
  }
  const parsed = tableSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue === undefined) throw inputErrorAt(label, null, null, "invalid table");
    throw issueToInputError(label, issue, fieldPrefix, TABLE_KEYS);
  }
  const t = parsed.data;
  const at = (name: string): string => (fieldPrefix === "" ? name : `${fieldPrefix}.${name}`);
  const problem =
    checkIncreasing(t.prefill_isl, label, at("prefill_isl")) ??
    checkIncreasing(t.decode_active_kv_tokens, label, at("decode_active_kv_tokens")) ??
    checkIncreasing(t.decode_context_length, label, at("decode_context_length"));
  if (problem !== null) throw problem;
  if (t.prefill_ttft_ms.length !== t.prefill_isl.length) {
    throw inputErrorAt(
      label,
      null,
      at("prefill_ttft_ms"),
      `must have one value per prefill_isl point (${t.prefill_isl.length}), got ${t.prefill_ttft_ms.length}`,
    );
  }
  const rows = t.decode_active_kv_tokens.length;
  const cols = t.decode_context_length.length;
  if (t.decode_itl.length !== rows) {
    throw inputErrorAt(
      label,
      null,
      at("decode_itl"),
      `must have one row per decode_active_kv_tokens point (${rows}), got ${t.decode_itl.length}`,
    );
  }
  for (let r = 0; r < rows; r++) {
    const row = t.decode_itl[r] as number[];
    if (row.length !== cols) {
      throw inputErrorAt(
        label,
        null,
        at(`decode_itl.${r}`),
        `must have one value per decode_context_length point (${cols}), got ${row.length}`,
      );
    }
  }
  return t;
}

/** Reads and validates a table file (errors name the file). */
export function loadInterpolatedTable(path: string): InterpolatedTable {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw inputErrorAt(path, null, null, `cannot read the perf-model table (${reason})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw inputErrorAt(path, null, null, `not valid JSON (${(error as Error).message})`);
  }
  return parseInterpolatedTable(json, path);
}
