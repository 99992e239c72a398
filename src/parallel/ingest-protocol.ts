import type { RangeResult } from "../trace/jsonl-range.js";

/**
 * Messages of the parallel JSONL ingestion pool (src/parallel/ingest-pool.ts ↔ ingest-worker.ts).
 * One task = one byte range of the file (tens of MB: far above the ~150 µs a round trip costs).
 * The reply is the range's RangeResult; its typed arrays travel as transferred ArrayBuffers (each column
 * owns an exact-size buffer, so nothing extra is sent).
 */

export interface IngestTask {
  /** Absolute or cwd-relative path; the worker opens the file itself. */
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly traceBlockSize: number;
  readonly lenient: boolean;
  /** Optional shared progress counters (MiB read so far per range), written with Atomics.store. */
  readonly progress: Int32Array | null;
  /** This range's slot in `progress`. */
  readonly progressSlot: number;
}

export type IngestReply = RangeResult;

/** Every ArrayBuffer a reply owns (the transfer list). */
export function replyBuffers(reply: IngestReply): ArrayBuffer[] {
  const views: ArrayBufferView[] = [
    reply.arrivalMs,
    reply.inputTokens,
    reply.outputTokens,
    reply.hashEnd,
    reply.sessionIndex,
    reply.sessionIsInteger,
    reply.delayMs,
    reply.sourceLine,
    reply.skipCounts,
    ...reply.hashChunks,
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const v of views) {
    if (v.buffer instanceof ArrayBuffer && v.byteLength > 0) buffers.add(v.buffer);
  }
  return [...buffers];
}
