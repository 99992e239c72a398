// Reading a planner config from a file or an inline JSON string — the one I/O the planner layer performs.
// Accepts what the reference's `--config` accepts: inline JSON, `.json`, `.yaml`/`.yml`, and for any other
// extension JSON first, then YAML.

import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { isMap, isScalar } from "yaml";
import { InputError } from "../util/errors.js";
import { parseYamlText } from "../util/yaml-text.js";
import { type PlannerConfig, parsePlannerConfig } from "./config.js";

export interface LoadPlannerConfigOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onWarning?: (message: string) => void;
}

/** `--config` value: a path, or inline JSON when it starts with `{`. */
export function loadPlannerConfig(pathOrJson: string, options: LoadPlannerConfigOptions = {}): PlannerConfig {
  if (pathOrJson.trimStart().startsWith("{")) {
    return parsePlannerConfigText(pathOrJson, "--config", "json", options);
  }
  let text: string;
  try {
    text = readFileSync(pathOrJson, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(`${pathOrJson}: cannot read the planner config (${code})`);
  }
  const ext = extname(pathOrJson).toLowerCase();
  const format = ext === ".json" ? "json" : ext === ".yaml" || ext === ".yml" ? "yaml" : "auto";
  return parsePlannerConfigText(text, basename(pathOrJson), format, options);
}

/** Parses config text; `auto` tries JSON, then YAML (as the reference does for unknown extensions). */
export function parsePlannerConfigText(
  text: string,
  source: string,
  format: "json" | "yaml" | "auto",
  options: LoadPlannerConfigOptions = {},
): PlannerConfig {
  if (format === "json" || (format === "auto" && looksLikeJson(text))) {
    const raw = parseJson(text, source);
    return parsePlannerConfig(raw, { ...options, source, lineOf: (field) => jsonKeyLine(text, field) });
  }
  const { value: raw, doc, lines } = parseYamlText(text, source);
  const lineOf = (field: string): number | null => {
    if (!isMap(doc.contents)) return null;
    for (const pair of doc.contents.items) {
      if (
        isScalar(pair.key) &&
        pair.key.value === field &&
        pair.key.range !== undefined &&
        pair.key.range !== null
      ) {
        return lines.linePos(pair.key.range[0]).line;
      }
    }
    return null;
  };
  return parsePlannerConfig(raw, { ...options, source, lineOf });
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const line = at?.[1] === undefined ? null : lineAtOffset(text, Number(at[1]));
    return rethrow(`${source}${line === null ? "" : `:${line}`}: invalid JSON: ${message.split("\n")[0]}`);
  }
}

function rethrow(message: string): never {
  throw new InputError(message);
}

function lineAtOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Line of the first `"field":` in JSON text (the config is flat, so the first match is the key). */
function jsonKeyLine(text: string, field: string): number | null {
  const match = new RegExp(`"${field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*:`).exec(text);
  return match === null ? null : lineAtOffset(text, match.index);
}
