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
 *
 * With host or disk KV tiers (`{tiers: true}`; docs/replay.md#kv-tiers) each record also has, after
 * `reused_tokens`: `host_hit_tokens` and `disk_hit_tokens` (the parts of reused_tokens onboarded from G2 / G3 at
 * that admission), `onboarded_tokens` and `onboard_ms` (tokens moved and link wait + transfer time, summed over
 * its admissions); null when never admitted. Without tiers the records are exactly as before.
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

/** REQUEST_RECORD_KEYS with the tier fields after reused_tokens. */
export const TIERED_REQUEST_RECORD_KEYS = [
  "line",
  "session",
  "worker",
  "arrival_ms",
  "first_admit_ms",
  "first_token_ms",
  "last_token_ms",
  "output_tokens",
  "reused_tokens",
  "host_hit_tokens",
  "disk_hit_tokens",
  "onboarded_tokens",
  "onboard_ms",
  "preemptions",
] as const;

type TierRecordKey = Exclude<
  (typeof TIERED_REQUEST_RECORD_KEYS)[number],
  (typeof REQUEST_RECORD_KEYS)[number]
>;

export type RequestRecord = Readonly<
  Record<(typeof REQUEST_RECORD_KEYS)[number], JsonScalar> & Partial<Record<TierRecordKey, JsonScalar>>
>;

export interface RequestRecordOptions {
  /** Add the per-tier fields (the run's workers have a host or disk tier). */
  readonly tiers?: boolean;
}

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
  options: RequestRecordOptions = {},
): RequestRecord {
  const sessionIndex = trace.sessionIndex[id] as number;
  const worker = collector.workerId[id] as number;
  const admitted = !Number.isNaN(collector.firstAdmitMs[id] as number);
  const record = {
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
  if (options.tiers !== true) return record;
  return {
    ...record,
    host_hit_tokens: admitted ? (collector.hostTokens[id] as number) : null,
    disk_hit_tokens: admitted ? (collector.diskTokens[id] as number) : null,
    onboarded_tokens: admitted ? (collector.onboardedTokens[id] as number) : null,
    onboard_ms: admitted ? (collector.onboardMs[id] as number) : null,
  };
}

/** Streams every request's record, one per line, to `sink`. Returns the number of records written. */
export function writeRequestRecords(
  collector: RequestCollector,
  trace: RequestsTraceInfo,
  sink: ChunkSink,
  options: RequestRecordOptions = {},
): number {
  const n = collector.requestCount;
  if (trace.sourceLine.length !== n || trace.sessionIndex.length !== n) {
    throw new RangeError(`requests JSONL: collector has ${n} requests, trace ${trace.sourceLine.length}`);
  }
  const keys = options.tiers === true ? TIERED_REQUEST_RECORD_KEYS : REQUEST_RECORD_KEYS;
  let chunk = "";
  for (let id = 0; id < n; id++) {
    chunk += `${stringifyFlat(requestRecord(collector, trace, id, options), keys, 0)}\n`;
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
  options: RequestRecordOptions = {},
): number {
  let writer: AtomicFileWriter;
  try {
    writer = new AtomicFileWriter(path);
  } catch (error) {
    throw outputPathError(path, error);
  }
  try {
    const written = writeRequestRecords(collector, trace, writer, options);
    writer.commit();
    return written;
  } catch (error) {
    writer.abort();
    throw outputPathError(path, error);
  }
}
