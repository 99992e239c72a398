import { inputErrorAt } from "../../util/errors.js";
import { ruleWithValue } from "./input-issue.js";
import { InterpolatedPassTimeModel } from "./pass-time-interpolated.js";
import type { PassTimeModel } from "./pass-time-model.js";
import { PolynomialPassTimeModel } from "./pass-time-polynomial.js";
import { type InterpolatedTable, loadInterpolatedTable, parseInterpolatedTable } from "./pass-time-table.js";

// The engine arg `perf_model` (the reference's key): which pass-time model prices a pass, validated, and the
// model it names. A new model is its class file plus its case here.

/** The engine arg `perf_model`: which pass-time model prices a pass (docs/design.md#perf-model). */
export type PassTimeModelArg =
  | { readonly type: "polynomial" }
  | { readonly type: "interpolated"; readonly path: string }
  | { readonly type: "interpolated"; readonly table: InterpolatedTable };

const PERF_MODEL_RULE = `must be "polynomial", {"type": "interpolated", "path": "table.json"} or {"type": "interpolated", "table": {...}}`;

/** Validates the `perf_model` value of engine args read from `label`. */
export function parsePassTimeModelArg(input: unknown, label: string): PassTimeModelArg {
  if (input === "polynomial") return { type: "polynomial" };
  if (input === "aic" || input === "AIC") {
    throw inputErrorAt(
      label,
      null,
      "perf_model",
      `"aic" is not supported (use "polynomial" or an interpolated table)`,
    );
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw inputErrorAt(label, null, "perf_model", ruleWithValue(PERF_MODEL_RULE, input));
  }
  const obj = input as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (key !== "type" && key !== "path" && key !== "table") {
      throw inputErrorAt(label, null, `perf_model.${key}`, "unknown field (allowed: type, path, table)");
    }
  }
  if (obj.type === "polynomial") {
    if (obj.path !== undefined || obj.table !== undefined) {
      throw inputErrorAt(label, null, "perf_model", "a polynomial model takes no path or table");
    }
    return { type: "polynomial" };
  }
  if (obj.type !== "interpolated") {
    throw inputErrorAt(
      label,
      null,
      "perf_model.type",
      ruleWithValue(`must be "polynomial" or "interpolated"`, obj.type),
    );
  }
  const hasPath = obj.path !== undefined;
  const hasTable = obj.table !== undefined;
  if (hasPath === hasTable) {
    throw inputErrorAt(
      label,
      null,
      "perf_model",
      `an interpolated model needs exactly one of "path" or "table"`,
    );
  }
  if (hasPath) {
    if (typeof obj.path !== "string" || obj.path === "") {
      throw inputErrorAt(
        label,
        null,
        "perf_model.path",
        ruleWithValue("must be a non-empty file path", obj.path),
      );
    }
    return { type: "interpolated", path: obj.path };
  }
  return { type: "interpolated", table: parseInterpolatedTable(obj.table, label, "perf_model.table") };
}

/** The model `perf_model` names (an interpolated table file is read here; errors name the file). */
export function passTimeModelFromArgs(args: { readonly perf_model: PassTimeModelArg }): PassTimeModel {
  const m = args.perf_model;
  if (m.type === "polynomial") return new PolynomialPassTimeModel();
  return new InterpolatedPassTimeModel("path" in m ? loadInterpolatedTable(m.path) : m.table);
}
