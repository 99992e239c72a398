/**
 * A FlatBuffers verifier for the one table kvtrace.fbs defines, since the JavaScript runtime has none: before a
 * single accessor runs, every offset, vtable entry, vector length and string in the file is checked to lie
 * inside the buffer and be aligned, so a damaged or hostile file is refused with the field it broke instead of
 * reading wild memory (one flipped byte used to abort V8 with "invalid size").
 *
 *   file   [u32 root]["KVTR"] ... vtable ... [table: i32 → vtable][fields] ... vectors, strings ...
 *   vtable [u16 vtable bytes][u16 table bytes][u16 field offset] × fields   (0 = field absent)
 *   vector [u32 n][n elements, aligned to the element size]   string [u32 n][n bytes][0]
 *   an offset field holds a u32 that, added to its own position, points at a vector or a string
 *
 * Field ids follow kvtrace.fbs order. Every field here is four bytes in the table (a u32, or an offset).
 */

export type KvtraceField =
  | "version"
  | "trace_block_size"
  | "source_checksum"
  | "count"
  | "arrival_ms"
  | "input_tokens"
  | "output_tokens"
  | "hash_offsets"
  | "hash_ids"
  | "session_index"
  | "session_names"
  | "delay_ms"
  | "source_line"
  | "payload_crc32";

type FieldKind = "u32" | "string" | "strings" | 4 | 8;

/** [name, kind]: kind is the element size in bytes for a vector of numbers. */
const FIELDS: readonly (readonly [KvtraceField, FieldKind])[] = [
  ["version", "u32"],
  ["trace_block_size", "u32"],
  ["source_checksum", "string"],
  ["count", "u32"],
  ["arrival_ms", 8],
  ["input_tokens", 4],
  ["output_tokens", 4],
  ["hash_offsets", 4],
  ["hash_ids", 8],
  ["session_index", 4],
  ["session_names", "strings"],
  ["delay_ms", 8],
  ["source_line", 4],
  ["payload_crc32", "u32"],
];

export type NumberVectorField =
  | "arrival_ms"
  | "input_tokens"
  | "output_tokens"
  | "hash_offsets"
  | "hash_ids"
  | "session_index"
  | "delay_ms"
  | "source_line";

/** Where a vector's elements are: byte offset of the first (from the file's start) and how many. */
export interface VectorSpan {
  readonly start: number;
  readonly length: number;
}

export interface VerifiedKvtrace {
  readonly version: number;
  readonly traceBlockSize: number | null;
  readonly count: number | null;
  readonly sourceChecksum: string | null;
  readonly sessionNames: string[] | null;
  readonly vectors: Readonly<Record<NumberVectorField, VectorSpan | null>>;
  /** Byte offset of the payload_crc32 value, null when the field is absent. */
  readonly crcAt: number | null;
  readonly crc: number | null;
}

/** A structural fault: the field it concerns (null for the header) and what is wrong. */
export class KvtraceStructureError extends Error {
  readonly field: KvtraceField | null;
  constructor(field: KvtraceField | null, message: string) {
    super(message);
    this.name = "KvtraceStructureError";
    this.field = field;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

class Reader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  /** `size` bytes at `at` lie inside the buffer. */
  inside(at: number, size: number): boolean {
    return at >= 0 && size >= 0 && at + size <= this.bytes.length;
  }
  u16(at: number): number {
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    return this.view.getUint32(at, true);
  }
  i32(at: number): number {
    return this.view.getInt32(at, true);
  }
}

function fail(field: KvtraceField | null, message: string): never {
  throw new KvtraceStructureError(field, message);
}

/** The root table and its vtable: where each field sits (0 = absent). */
function tableOf(r: Reader): { root: number; fieldAt: (id: number) => number } {
  if (r.length < 8) fail(null, `the file has ${r.length} bytes, less than a FlatBuffers header`);
  const root = r.u32(0);
  if (root % 4 !== 0 || !r.inside(root, 4)) fail(null, `the root table offset ${root} is outside the file`);
  const vtable = root - r.i32(root);
  if (vtable % 2 !== 0 || !r.inside(vtable, 4)) fail(null, `the vtable offset ${vtable} is outside the file`);
  const vtableBytes = r.u16(vtable);
  const tableBytes = r.u16(vtable + 2);
  if (vtableBytes < 4 || vtableBytes % 2 !== 0 || !r.inside(vtable, vtableBytes))
    fail(null, `the vtable (${vtableBytes} bytes at ${vtable}) is malformed or outside the file`);
  if (tableBytes < 4 || !r.inside(root, tableBytes))
    fail(null, `the root table (${tableBytes} bytes at ${root}) runs past the end of the file`);
  const fieldAt = (id: number): number => {
    const slot = 4 + 2 * id;
    if (slot >= vtableBytes) return 0;
    const offset = r.u16(vtable + slot);
    if (offset === 0) return 0;
    const name = (FIELDS[id] as readonly [KvtraceField, FieldKind])[0];
    if (offset < 4 || offset + 4 > tableBytes) fail(name, `its table slot ${offset} lies outside the table`);
    const at = root + offset;
    if (at % 4 !== 0) fail(name, `its table slot at byte ${at} is not 4-byte aligned`);
    return at;
  };
  return { root, fieldAt };
}

/** The target of the offset stored at `at`: a u32 length prefix that lies inside the file. */
function target(r: Reader, name: KvtraceField, at: number): number {
  const to = at + r.u32(at);
  if (!r.inside(to, 4)) fail(name, `its offset points outside the ${r.length}-byte file (to byte ${to})`);
  if (to % 4 !== 0) fail(name, `its offset points to byte ${to}, which is not 4-byte aligned`);
  return to;
}

function verifyString(r: Reader, name: KvtraceField, at: number, what: string): string {
  const to = target(r, name, at);
  const n = r.u32(to);
  if (!r.inside(to + 4, n + 1)) fail(name, `${what} of ${n} bytes runs past the end of the file`);
  if (r.bytes[to + 4 + n] !== 0) fail(name, `${what} is not zero-terminated`);
  try {
    return utf8.decode(r.bytes.subarray(to + 4, to + 4 + n));
  } catch {
    return fail(name, `${what} is not valid UTF-8`);
  }
}

function verifyVector(r: Reader, name: KvtraceField, at: number, elementBytes: number): VectorSpan {
  const to = target(r, name, at);
  const length = r.u32(to);
  const start = to + 4;
  if (start % elementBytes !== 0)
    fail(name, `its elements at byte ${start} are not ${elementBytes}-byte aligned`);
  // length ≤ 2^32 and elementBytes ≤ 8: the product is exact in a double.
  if (!r.inside(start, length * elementBytes))
    fail(name, `its ${length} entries of ${elementBytes} bytes run past the end of the file`);
  return { start, length };
}

/** Reads only what the version check needs: header, root table, vtable, field 0. */
export function kvtraceVersion(bytes: Uint8Array): number {
  const r = new Reader(bytes);
  const at = tableOf(r).fieldAt(0);
  return at === 0 ? 0 : r.u32(at);
}

/** Checks the whole structure; returns where everything is. Throws KvtraceStructureError. */
export function verifyKvtrace(bytes: Uint8Array): VerifiedKvtrace {
  const r = new Reader(bytes);
  const { fieldAt } = tableOf(r);
  const u32s: Partial<Record<KvtraceField, number>> = {};
  const vectors: Record<NumberVectorField, VectorSpan | null> = {
    arrival_ms: null,
    input_tokens: null,
    output_tokens: null,
    hash_offsets: null,
    hash_ids: null,
    session_index: null,
    delay_ms: null,
    source_line: null,
  };
  let sourceChecksum: string | null = null;
  let sessionNames: string[] | null = null;
  let crcAt: number | null = null;
  for (let id = 0; id < FIELDS.length; id++) {
    const [name, kind] = FIELDS[id] as readonly [KvtraceField, FieldKind];
    const at = fieldAt(id);
    if (at === 0) continue;
    if (kind === "u32") {
      u32s[name] = r.u32(at);
      if (name === "payload_crc32") crcAt = at;
    } else if (kind === "string") {
      sourceChecksum = verifyString(r, name, at, "the string");
    } else if (kind === "strings") {
      const span = verifyVector(r, name, at, 4);
      sessionNames = [];
      for (let k = 0; k < span.length; k++) {
        sessionNames.push(verifyString(r, name, span.start + 4 * k, `entry ${k}`));
      }
    } else {
      vectors[name as NumberVectorField] = verifyVector(r, name, at, kind);
    }
  }
  return {
    version: u32s.version ?? 0,
    traceBlockSize: u32s.trace_block_size ?? null,
    count: u32s.count ?? null,
    sourceChecksum,
    sessionNames,
    vectors,
    crcAt,
    crc: u32s.payload_crc32 ?? null,
  };
}
