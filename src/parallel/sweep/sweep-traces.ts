import { createHash } from "node:crypto";
import type { TraceColumns } from "../../trace/columns.js";
import { DEFAULT_TRACE_BLOCK_SIZE } from "../../trace/columns.js";
import type { TraceReadOptions } from "../../trace/read-jsonl.js";
import { readTrace } from "../../trace/read-trace.js";
import { buildReplaySyntheticTrace } from "../../trace/synth/replay-synthetic.js";
import { defaultTracePath } from "../../util/package-root.js";
import type { SweepGrid } from "./grid.js";
import type { SweepTraceSpec } from "./grid-axes.js";

/**
 * Loading a grid's traces on the main thread (once per sweep, before the pool starts), and the grid hash that
 * ties the slices of one sweep together.
 */

/** Reads one trace file; the CLI passes one with a progress bar and parallel JSONL parsing. */
export type TraceFileReader = (
  path: string,
  options: TraceReadOptions,
) => Promise<TraceColumns> | TraceColumns;

const readOnThisThread: TraceFileReader = (path, options) => readTrace(path, options).columns;

export async function readSweepTrace(
  spec: SweepTraceSpec,
  grid: SweepGrid,
  reader: TraceFileReader = readOnThisThread,
): Promise<TraceColumns> {
  const blockSize = grid.traceBlockSize ?? undefined;
  if (spec.kind === "synthetic") {
    const s = spec.synthetic;
    return buildReplaySyntheticTrace({
      inputTokens: s.input_tokens,
      outputTokens: s.output_tokens,
      requestCount: s.request_count,
      ...(s.arrival_interval_ms === undefined ? {} : { arrivalIntervalMs: s.arrival_interval_ms }),
      ...(s.turns_per_session === undefined ? {} : { turnsPerSession: s.turns_per_session }),
      ...(s.shared_prefix_ratio === undefined ? {} : { sharedPrefixRatio: s.shared_prefix_ratio }),
      ...(s.num_prefix_groups === undefined ? {} : { numPrefixGroups: s.num_prefix_groups }),
      ...(s.inter_turn_delay_ms === undefined ? {} : { interTurnDelayMs: s.inter_turn_delay_ms }),
      blockSize: blockSize ?? DEFAULT_TRACE_BLOCK_SIZE,
    });
  }
  const path = spec.kind === "default" ? defaultTracePath() : spec.path;
  return reader(path, {
    sort: grid.sort,
    lenient: grid.lenient,
    ...(blockSize === undefined ? {} : { traceBlockSize: blockSize }),
  });
}

/** Every trace of the grid, in grid order. */
export async function readSweepTraces(
  grid: SweepGrid,
  reader: TraceFileReader = readOnThisThread,
): Promise<TraceColumns[]> {
  const out: TraceColumns[] = [];
  for (const t of grid.traces) out.push(await readSweepTrace(t.value, grid, reader));
  return out;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

/**
 * sha256 of the grid as written (minus its title and question, which do not change any point) and the
 * checksums of its traces' contents. Two slices merge only when their hashes agree.
 */
export function sweepGridHash(grid: SweepGrid, traces: readonly TraceColumns[]): string {
  const written =
    typeof grid.written === "object" && grid.written !== null && !Array.isArray(grid.written)
      ? { ...(grid.written as Record<string, unknown>) }
      : {};
  delete written.name;
  delete written.question;
  const text = canonicalJson({ grid: written, traces: traces.map((t) => t.sourceChecksum) });
  return createHash("sha256").update(text).digest("hex");
}
