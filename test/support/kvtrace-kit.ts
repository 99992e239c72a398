// Byte-level access to .kvtrace files for the damage and fuzz tests, written from the FlatBuffers format and
// kvtrace.fbs directly (not through src/trace), so a test that re-seals a mutated file does not borrow the
// code it is testing.
import { crc32 } from "node:zlib";

/** Field ids in kvtrace.fbs order. */
export const FIELD_ID = { version: 0, payload_crc32: 13 } as const;

/** Byte offset of field `id` of the root table, or null when the field is absent (or the header is broken). */
export function fieldOffset(bytes: Uint8Array, id: number): number | null {
  if (bytes.length < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const root = view.getUint32(0, true);
  if (root + 4 > bytes.length) return null;
  const vtable = root - view.getInt32(root, true);
  if (vtable < 0 || vtable + 4 > bytes.length) return null;
  const slot = 4 + 2 * id;
  if (slot + 2 > view.getUint16(vtable, true) || vtable + slot + 2 > bytes.length) return null;
  const offset = view.getUint16(vtable + slot, true);
  return offset === 0 || root + offset + 4 > bytes.length ? null : root + offset;
}

/**
 * Re-seals a (mutated) file: recomputes payload_crc32 as the schema defines it (CRC-32 of every byte, its own
 * four read as zero), so the mutation reaches the structure and value checks instead of stopping at the
 * checksum. A file whose checksum slot cannot be found is returned unchanged.
 */
export function resealed(bytes: Uint8Array): Uint8Array {
  const at = fieldOffset(bytes, FIELD_ID.payload_crc32);
  if (at === null) return bytes;
  const out = bytes.slice();
  out.fill(0, at, at + 4);
  new DataView(out.buffer).setUint32(at, crc32(out), true);
  return out;
}
