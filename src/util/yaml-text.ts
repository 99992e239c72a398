import { type Document, LineCounter, parseDocument, visit } from "yaml";
import { InputError } from "./errors.js";

/**
 * The one way kvsim parses a YAML (or JSON, which is YAML 1.2) config file — planner configs, sweep grids,
 * --engine-args / --router-config files — so every one has the same guards and one-line errors:
 *   - syntax errors name the file and line;
 *   - aliases may not expand without bound: a "billion laughs" document (anchors that alias anchors, 9^9
 *     nodes from 10 lines) is refused before anything walks the expanded value;
 *   - an alias to an anchor that does not exist is a syntax error, not a ReferenceError.
 * Nesting deeper than the parser's stack is reported by the parser itself as a syntax error.
 */

/**
 * yaml's `maxAliasCount`: how far aliases may multiply the document (each use counts the aliases inside the
 * node it repeats). Hand-written configs reuse an anchor a few dozen times; a bomb needs millions.
 */
export const MAX_YAML_ALIAS_COUNT = 1000;

export interface YamlText {
  /** The parsed value (plain objects, arrays, scalars). */
  readonly value: unknown;
  /** The document, for mapping a field back to its node. */
  readonly doc: Document.Parsed;
  /** Line lookup for node offsets: `lines.linePos(offset).line` is 1-based. */
  readonly lines: LineCounter;
}

/** Parses `text`; `name` is how messages name the file, `kind` how they name the syntax ("YAML", "YAML/JSON"). */
export function parseYamlText(text: string, name: string, kind = "YAML"): YamlText {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = lines.linePos(first.pos[0]).line;
    throw new InputError(`${name}:${line}: invalid ${kind}: ${first.message.split("\n")[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    // yaml signals both alias failures with a ReferenceError; anything else is a bug and keeps its stack.
    if (!(error instanceof ReferenceError)) throw error;
    if (/excessive alias count/i.test(error.message)) {
      throw new InputError(
        `${name}: YAML aliases expand too far (more than ${MAX_YAML_ALIAS_COUNT} repeated nodes; a "billion laughs" document?)`,
      );
    }
    const line = unresolvedAliasLine(doc, lines);
    throw new InputError(
      `${name}${line === null ? "" : `:${line}`}: invalid ${kind}: ${error.message.split("\n")[0]}`,
    );
  }
  return { value, doc, lines };
}

/** Line of the first alias whose anchor is not defined before it (null if none is found). */
function unresolvedAliasLine(doc: Document.Parsed, lines: LineCounter): number | null {
  let line: number | null = null;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      line = node.range === undefined || node.range === null ? null : lines.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}
