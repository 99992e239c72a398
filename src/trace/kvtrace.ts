import { readFileSync } from "node:fs";
import * as flatbuffers from "flatbuffers";
import { writeFileAtomic } from "../util/atomic-write.js";
import { InputError } from "../util/errors.js";
import type { TraceColumns } from "./columns.js";
import { KvTrace } from "./generated/kvtrace_generated.js";
import { fileError } from "./read-jsonl.js";

/**
 * Compiled traces (.kvtrace): the TraceColumns in one FlatBuffers table (schema: src/trace/schema/kvtrace.fbs,
 * file identifier "KVTR"). Loading reads the file once and returns typed-array views into that one buffer —
 * no per-column copies — after checking the structure, since FlatBuffers' TypeScript runtime has no verifier
 * and a truncated or foreign file must fail with a message, not with garbage columns.
 *
 *   file: [root offset u32]["KVTR"] ... vectors (each aligned to its element size) ... [KvTrace table]
 */

export const KVTRACE_VERSION = 1;
export const KVTRACE_IDENTIFIER = "KVTR";

/** Serialises columns into a .kvtrace buffer. */
export function encodeKvtrace(t: TraceColumns): Uint8Array {
  const bytes =
    t.arrivalMs.byteLength * 2 +
    t.inputTokens.byteLength * 4 +
    t.hashOffsets.byteLength +
    t.hashIds.byteLength;
  const b = new flatbuffers.Builder(Math.max(1024, bytes + 64 * t.sessionNames.length + 4096));
  // Children first (FlatBuffers builds back to front); the table refers to them by offset.
  const checksum = b.createString(t.sourceChecksum);
  const names = KvTrace.createSessionNamesVector(
    b,
    t.sessionNames.map((name) => b.createString(name)),
  );
  const arrival = KvTrace.createArrivalMsVector(b, t.arrivalMs);
  const input = KvTrace.createInputTokensVector(b, t.inputTokens);
  const output = KvTrace.createOutputTokensVector(b, t.outputTokens);
  const offsets = KvTrace.createHashOffsetsVector(b, t.hashOffsets);
  const ids = KvTrace.createHashIdsVector(b, t.hashIds);
  const session = KvTrace.createSessionIndexVector(b, t.sessionIndex);
  const delay = KvTrace.createDelayMsVector(b, t.delayMs);
  const line = KvTrace.createSourceLineVector(b, t.sourceLine);
  const root = KvTrace.createKvTrace(
    b,
    KVTRACE_VERSION,
    t.traceBlockSize,
    checksum,
    t.count,
    arrival,
    input,
    output,
    offsets,
    ids,
    session,
    names,
    delay,
    line,
  );
  KvTrace.finishKvTraceBuffer(b, root);
  return b.asUint8Array();
}

/** Writes a .kvtrace file atomically (never a half-written file). */
export function writeKvtrace(path: string, t: TraceColumns): number {
  let bytes: Uint8Array;
  try {
    bytes = encodeKvtrace(t);
  } catch (error) {
    // FlatBuffers addresses its buffer with 32-bit offsets: a table cannot pass 2 GiB.
    if (error instanceof Error && /2 ?gigabytes|2GB|beyond/i.test(error.message)) {
      throw new InputError(
        `${path}: the trace is too large for one .kvtrace file (FlatBuffers' 2 GiB limit)`,
      );
    }
    throw error;
  }
  writeFileAtomic(path, bytes);
  return bytes.length;
}

/** Whether bytes start like a .kvtrace (FlatBuffers root offset, then the "KVTR" identifier). */
export function looksLikeKvtrace(head: Uint8Array): boolean {
  return (
    head.length >= 8 &&
    head[0] !== 0x7b && // a JSONL line starts with "{" (or whitespace) instead
    head[4] === 0x4b &&
    head[5] === 0x56 &&
    head[6] === 0x54 &&
    head[7] === 0x52
  );
}

/** Reads a .kvtrace file with one readFileSync; the columns are views into that buffer. */
export function loadKvtrace(path: string, displayName: string = path): TraceColumns {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw fileError(displayName, error);
  }
  return decodeKvtrace(bytes, displayName);
}

/**
 * Columns over a .kvtrace buffer. Views need each vector aligned to its element size in memory; FlatBuffers
 * aligns vectors within the buffer, so only a buffer that itself starts at an odd address (a small pooled
 * Buffer) is copied once to an aligned one.
 */
export function decodeKvtrace(input: Uint8Array, displayName: string): TraceColumns {
  if (!looksLikeKvtrace(input))
    throw new InputError(`${displayName}: not a .kvtrace file (no "KVTR" identifier)`);
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const corrupt = (why: string) => new InputError(`${displayName}: corrupt .kvtrace file (${why})`);
  let t: KvTrace;
  let version: number;
  try {
    t = KvTrace.getRootAsKvTrace(new flatbuffers.ByteBuffer(bytes));
    version = t.version();
  } catch {
    throw corrupt("unreadable table");
  }
  if (version !== KVTRACE_VERSION) {
    throw new InputError(
      `${displayName}: .kvtrace format version ${version} is not supported (this kvsim reads version ${KVTRACE_VERSION}; recompile the trace)`,
    );
  }
  try {
    const count = t.count();
    const traceBlockSize = t.traceBlockSize();
    const sourceChecksum = t.sourceChecksum();
    const arrivalMs = need(bytes, t.arrivalMsArray(), "arrival_ms");
    const inputTokens = need(bytes, t.inputTokensArray(), "input_tokens");
    const outputTokens = need(bytes, t.outputTokensArray(), "output_tokens");
    const hashOffsets = need(bytes, t.hashOffsetsArray(), "hash_offsets");
    const hashIds = need(bytes, t.hashIdsArray(), "hash_ids");
    const sessionIndex = need(bytes, t.sessionIndexArray(), "session_index");
    const delayMs = need(bytes, t.delayMsArray(), "delay_ms");
    const sourceLine = need(bytes, t.sourceLineArray(), "source_line");
    const sessionNames: string[] = [];
    const nameCount = t.sessionNamesLength();
    for (let i = 0; i < nameCount; i++) sessionNames.push(t.sessionNames(i));
    if (sourceChecksum === null) throw new Error("source_checksum is missing");
    if (traceBlockSize < 1) throw new Error("trace_block_size is 0");
    for (const [name, len] of [
      ["arrival_ms", arrivalMs.length],
      ["input_tokens", inputTokens.length],
      ["output_tokens", outputTokens.length],
      ["session_index", sessionIndex.length],
      ["delay_ms", delayMs.length],
      ["source_line", sourceLine.length],
    ] as const) {
      if (len !== count) throw new Error(`${name} has ${len} entries for ${count} requests`);
    }
    checkRows(count, traceBlockSize, inputTokens, hashOffsets, hashIds.length, sessionIndex, nameCount);
    return {
      count,
      traceBlockSize,
      arrivalMs,
      inputTokens,
      outputTokens,
      hashOffsets,
      hashIds,
      sessionIndex,
      sessionNames,
      delayMs,
      sourceLine,
      sourceChecksum,
    };
  } catch (error) {
    throw corrupt(error instanceof Error ? error.message : String(error));
  }
}

/** A vector that exists and lies inside the file's bytes (the backing ArrayBuffer may be larger). */
function need<T extends ArrayBufferView>(file: Uint8Array, column: T | null, name: string): T {
  if (column === null) throw new Error(`${name} is missing`);
  if (
    column.byteOffset < file.byteOffset ||
    column.byteOffset + column.byteLength > file.byteOffset + file.length
  ) {
    throw new Error(`${name} lies outside the file`);
  }
  return column;
}

/** The invariants TraceColumns promises, in one pass over the rows (the hash ids themselves are not scanned). */
function checkRows(
  n: number,
  traceBlockSize: number,
  inputTokens: Uint32Array,
  hashOffsets: Uint32Array,
  hashCount: number,
  sessionIndex: Int32Array,
  sessionCount: number,
): void {
  if (hashOffsets.length !== n + 1)
    throw new Error(`hash_offsets has ${hashOffsets.length} entries, not ${n + 1}`);
  if (hashOffsets[0] !== 0) throw new Error("hash_offsets does not start at 0");
  for (let i = 0; i < n; i++) {
    const blocks = (hashOffsets[i + 1] as number) - (hashOffsets[i] as number);
    if (blocks !== Math.ceil((inputTokens[i] as number) / traceBlockSize) || blocks < 1) {
      throw new Error(`row ${i} has ${blocks} hash ids for input_length ${inputTokens[i]}`);
    }
    const s = sessionIndex[i] as number;
    if (s < -1 || s >= sessionCount) throw new Error(`row ${i} has session index ${s} of ${sessionCount}`);
  }
  if (hashOffsets[n] !== hashCount)
    throw new Error(`hash_offsets ends at ${hashOffsets[n]}, not ${hashCount}`);
}
