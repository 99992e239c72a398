import { readFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import * as flatbuffers from "flatbuffers";
import { writeFileAtomic } from "../util/atomic-write.js";
import { InputError } from "../util/errors.js";
import type { TraceColumns } from "./columns.js";
import { checkTraceColumns } from "./columns-check.js";
import { KvTrace } from "./generated/kvtrace_generated.js";
import {
  type KvtraceField,
  KvtraceStructureError,
  kvtraceVersion,
  type VectorSpan,
  verifyKvtrace,
} from "./kvtrace-verify.js";
import { fileError } from "./read-jsonl.js";

/**
 * Compiled traces (.kvtrace): the TraceColumns in one FlatBuffers table (schema: src/trace/schema/kvtrace.fbs,
 * file identifier "KVTR"). Loading reads the file once and returns typed-array views into that one buffer —
 * no per-column copies — after three checks, since FlatBuffers' TypeScript runtime has no verifier:
 *   1. structure (kvtrace-verify.ts): every offset, length and string inside the file and aligned;
 *   2. payload_crc32: a CRC-32 of the whole file, so damage anywhere (a flipped byte, a cut, bytes appended)
 *      is caught even where the structure still parses;
 *   3. values (columns-check.ts): the rules a JSONL row obeys.
 * Every failure is one line naming the file and the field (and the row), exit 2.
 *
 *   file: [root offset u32]["KVTR"] ... vectors (each aligned to its element size) ... [KvTrace table]
 *
 * Version 2 added payload_crc32. Version-1 files are refused with "recompile": a .kvtrace is a cache of a JSONL
 * file that recompiles in seconds, and accepting files without a checksum would leave damage undetected.
 */

export const KVTRACE_VERSION = 2;
export const KVTRACE_IDENTIFIER = "KVTR";

const ZERO_CRC = new Uint8Array(4);

/** CRC-32 of `bytes` with the four bytes at `crcAt` read as zero (the checksum field itself). */
export function kvtraceCrc(bytes: Uint8Array, crcAt: number): number {
  let crc = crc32(bytes.subarray(0, crcAt));
  crc = crc32(ZERO_CRC, crc);
  return crc32(bytes.subarray(crcAt + 4), crc);
}

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
  // The checksum is patched in after the buffer is finished; forcing defaults writes its slot even as 0 (every
  // other scalar is non-zero anyway, so the layout is otherwise what the builder would choose).
  b.forceDefaults(true);
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
    0,
  );
  b.forceDefaults(false);
  KvTrace.finishKvTraceBuffer(b, root);
  const out = b.asUint8Array();
  const crcAt = verifyKvtrace(out).crcAt as number;
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(crcAt, kvtraceCrc(out, crcAt), true);
  return out;
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

function required<T>(value: T | null, field: KvtraceField): T {
  if (value === null) throw new KvtraceStructureError(field, "is missing");
  return value;
}

function view<T>(
  Kind: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T },
  bytes: Uint8Array,
  span: VectorSpan | null,
  field: KvtraceField,
): T {
  const { start, length } = required(span, field);
  return new Kind(bytes.buffer, bytes.byteOffset + start, length);
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
  const structural = (error: unknown): InputError => {
    if (!(error instanceof KvtraceStructureError)) throw error;
    return corrupt(error.field === null ? error.message : `field "${error.field}": ${error.message}`);
  };
  let version: number;
  try {
    version = kvtraceVersion(bytes);
  } catch (error) {
    throw structural(error);
  }
  if (version !== KVTRACE_VERSION) {
    throw new InputError(
      `${displayName}: .kvtrace format version ${version} is not supported (this kvsim reads version ${KVTRACE_VERSION}; recompile the trace)`,
    );
  }
  let columns: TraceColumns;
  try {
    const found = verifyKvtrace(bytes);
    if (found.crcAt === null) throw new KvtraceStructureError("payload_crc32", "is missing");
    const actual = kvtraceCrc(bytes, found.crcAt);
    if (actual !== found.crc) {
      throw new KvtraceStructureError(
        "payload_crc32",
        `the file's bytes give ${hex32(actual)}, not the recorded ${hex32(found.crc as number)}: damaged, cut short or appended to`,
      );
    }
    const v = found.vectors;
    columns = {
      count: required(found.count, "count"),
      traceBlockSize: required(found.traceBlockSize, "trace_block_size"),
      arrivalMs: view(Float64Array, bytes, v.arrival_ms, "arrival_ms"),
      inputTokens: view(Uint32Array, bytes, v.input_tokens, "input_tokens"),
      outputTokens: view(Uint32Array, bytes, v.output_tokens, "output_tokens"),
      hashOffsets: view(Uint32Array, bytes, v.hash_offsets, "hash_offsets"),
      hashIds: view(Float64Array, bytes, v.hash_ids, "hash_ids"),
      sessionIndex: view(Int32Array, bytes, v.session_index, "session_index"),
      sessionNames: required(found.sessionNames, "session_names"),
      delayMs: view(Float64Array, bytes, v.delay_ms, "delay_ms"),
      sourceLine: view(Uint32Array, bytes, v.source_line, "source_line"),
      sourceChecksum: required(found.sourceChecksum, "source_checksum"),
    };
  } catch (error) {
    throw structural(error);
  }
  const fault = checkTraceColumns(columns);
  if (fault !== null) {
    const where = fault.row === null ? "" : `row ${fault.row + 1}${rowLine(columns, fault.row)}: `;
    throw corrupt(`${where}field "${fault.field}": ${fault.text}`);
  }
  return columns;
}

/** ", source line N" when the row's recorded line is believable. */
function rowLine(t: TraceColumns, row: number): string {
  const line = t.sourceLine[row];
  return line !== undefined && line >= 1 ? `, source line ${line}` : "";
}

function hex32(x: number): string {
  return (x >>> 0).toString(16).padStart(8, "0");
}
