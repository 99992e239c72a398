import type { RequestCollector } from "../sim/collector.js";
import type { TraceColumns } from "../trace/columns.js";
import { AtomicFileWriter } from "../util/atomic-write.js";
import { type JsonScalar, stringifyFlat } from "./json-stable.js";
import { outputPathError } from "./output-error.js";

/**
 * `--requests-out FILE`: one JSON line per trace request, in request-id (= trace row) order:
 *
 *   {"line":3,"session":"s1","worker":0,"arrival_ms":12.5,"first_admit_ms":12.5,"first_token_ms":40,
 *    "last_token_ms":95,"output_tokens":12,"reused_tokens":512,"preemptions":0}
 *
 * `line` is the 1-based source line; `session` the session name or null; values a request never reached
 * (not arrived, not admitted, no token, no worker) are null. `output_tokens` counts the tokens it emitted;
 * `reused_tokens` is the largest cached prefix over its admissions. Records are written in chunks, so the whole
 * file is never held in memory.
 */

export const REQUEST_RECORD_KEYS = [
  "line",
  "session",
  "worker",
  "arrival_ms",
  "first_admit_ms",
  "first_token_ms",
  "last_token_ms",
  "output_tokens",
  "reused_tokens",
  "preemptions",
] as const;

export type RequestRecord = Readonly<Record<(typeof REQUEST_RECORD_KEYS)[number], JsonScalar>>;

export type RequestsTraceInfo = Pick<TraceColumns, "sourceLine" | "sessionIndex" | "sessionNames">;

/** Anything with a `write(chunk)`: an AtomicFileWriter, or a buffer in tests. */
export interface ChunkSink {
  write(chunk: string): void;
}

/** Flush to the sink once a chunk reaches this many characters. */
const CHUNK_CHARS = 1 << 16;

function timeOrNull(ms: number): number | null {
  return Number.isNaN(ms) ? null : ms;
}

/** Request `id`'s record. */
export function requestRecord(
  collector: RequestCollector,
  trace: RequestsTraceInfo,
  id: number,
): RequestRecord {
  const sessionIndex = trace.sessionIndex[id] as number;
  const worker = collector.workerId[id] as number;
  const admitted = !Number.isNaN(collector.firstAdmitMs[id] as number);
  return {
    line: trace.sourceLine[id] as number,
    session: sessionIndex < 0 ? null : (trace.sessionNames[sessionIndex] ?? null),
    worker: worker < 0 ? null : worker,
    arrival_ms: timeOrNull(collector.arrivalMs[id] as number),
    first_admit_ms: timeOrNull(collector.firstAdmitMs[id] as number),
    first_token_ms: timeOrNull(collector.firstTokenMs[id] as number),
    last_token_ms: timeOrNull(collector.lastTokenMs[id] as number),
    output_tokens: collector.tokenCount[id] as number,
    reused_tokens: admitted ? (collector.reusedTokens[id] as number) : null,
    preemptions: collector.preemptions[id] as number,
  };
}

/** Streams every request's record, one per line, to `sink`. Returns the number of records written. */
export function writeRequestRecords(
  collector: RequestCollector,
  trace: RequestsTraceInfo,
  sink: ChunkSink,
): number {
  const n = collector.requestCount;
  if (trace.sourceLine.length !== n || trace.sessionIndex.length !== n) {
    throw new RangeError(`requests JSONL: collector has ${n} requests, trace ${trace.sourceLine.length}`);
  }
  let chunk = "";
  for (let id = 0; id < n; id++) {
    chunk += `${stringifyFlat(requestRecord(collector, trace, id), REQUEST_RECORD_KEYS, 0)}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      sink.write(chunk);
      chunk = "";
    }
  }
  if (chunk.length > 0) sink.write(chunk);
  return n;
}

/** Writes the records to `path` atomically: the file appears complete or not at all. */
export function writeRequestsJsonl(
  path: string,
  collector: RequestCollector,
  trace: RequestsTraceInfo,
): number {
  let writer: AtomicFileWriter;
  try {
    writer = new AtomicFileWriter(path);
  } catch (error) {
    throw outputPathError(path, error);
  }
  try {
    const written = writeRequestRecords(collector, trace, writer);
    writer.commit();
    return written;
  } catch (error) {
    writer.abort();
    throw outputPathError(path, error);
  }
}
