import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { isMap, isSeq, type Node } from "yaml";
import { InputError, inputErrorAt } from "../../util/errors.js";
import { parseYamlText } from "../../util/yaml-text.js";

/**
 * The text of a sweep grid file and a way back from a field path to its line, so every grid error can name
 * file, line and field. YAML and JSON both go through the YAML parser (JSON is YAML 1.2), which keeps node
 * positions; an in-memory grid (library API) has no lines.
 */

/** A field path inside the grid: keys and list indexes, e.g. ["engine_args", "big", "num_gpu_blocks"]. */
export type GridPath = readonly (string | number)[];

export interface GridSource {
  /** How messages name the grid ("sweep.yaml", or "grid" for an in-memory object). */
  readonly name: string;
  /** The parsed value. */
  readonly value: unknown;
  /** 1-based line of the field at `path` (or of its nearest ancestor that exists); null without a file. */
  lineOf(path: GridPath): number | null;
}

/** `engine_args.big.num_gpu_blocks`, `workers[2]`. */
export function formatGridPath(path: GridPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}

/** The one-line error every grid rule raises: `sweep.yaml:12: field "engine_args.big": rule`. */
export function gridError(source: GridSource, path: GridPath, rule: string): InputError {
  return inputErrorAt(
    source.name,
    source.lineOf(path),
    path.length === 0 ? null : formatGridPath(path),
    rule,
  );
}

/** A label for messages produced by other parsers (engine args, router config): `sweep.yaml:12: engine_args.big`. */
export function gridLabel(source: GridSource, path: GridPath): string {
  const line = source.lineOf(path);
  return `${source.name}${line === null ? "" : `:${line}`}: ${formatGridPath(path)}`;
}

/** Parses grid text (YAML or JSON). */
export function parseGridText(text: string, name: string): GridSource {
  const { value, doc, lines } = parseYamlText(text, name, "YAML/JSON");
  const lineOf = (path: GridPath): number | null => {
    // Walk down as far as the path exists; the deepest node found gives the line.
    let node: unknown = doc.contents;
    let best: Node | null = isMap(node) || isSeq(node) ? (node as Node) : null;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => {
          const key = p.key as { value?: unknown } | null;
          return key !== null && typeof key === "object" && String(key.value) === String(part);
        });
        if (pair === undefined) break;
        const key = pair.key as Node;
        if (isMap(pair.value) || isSeq(pair.value)) {
          // A collection: the key's line (where the user wrote the field); keep walking.
          best = key;
          node = pair.value;
        } else {
          // A scalar: its own line; nothing deeper exists.
          best = (pair.value as Node | null) ?? key;
          break;
        }
      } else if (isSeq(node) && typeof part === "number") {
        const item = node.items[part] as Node | undefined;
        if (item === undefined) break;
        best = item;
        node = item;
      } else {
        break;
      }
    }
    const range = best?.range;
    return range === undefined || range === null ? null : lines.linePos(range[0]).line;
  };
  return { name, value, lineOf };
}

/** Reads and parses a grid file; messages name it by its base name. */
export function readGridFile(path: string): GridSource {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(`${path}: cannot read the sweep grid (${code})`);
  }
  return parseGridText(text, basename(path));
}

/** A grid given as an object (library API): no file, no lines. */
export function objectGridSource(value: unknown, name = "grid"): GridSource {
  return { name, value, lineOf: () => null };
}

/**
 * Runs another parser (engine args, router config, planner config) on the value at `path`, labelled with the
 * grid's file and line; when its one-line error names a field inside the value, the line is moved to that
 * field's own line.
 */
export function parseAt<T>(source: GridSource, path: GridPath, parse: (label: string) => T): T {
  const label = gridLabel(source, path);
  try {
    return parse(label);
  } catch (error) {
    if (!(error instanceof InputError) || !error.message.startsWith(`${label}: `)) throw error;
    const field = /^field "([^"]+)"/.exec(error.message.slice(label.length + 2))?.[1];
    const line = field === undefined ? null : source.lineOf([...path, ...field.split(".")]);
    if (line === null) throw error;
    const moved = `${source.name}:${line}: ${formatGridPath(path)}`;
    throw new InputError(`${moved}${error.message.slice(label.length)}`);
  }
}
