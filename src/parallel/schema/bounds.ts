/**
 * FlatBuffers' TypeScript runtime has no verifier: a truncated file reads garbage instead of failing. These
 * checks catch what a truncation breaks first — the root table offset, and vectors running past the end — so
 * a bad file fails with a message.
 */

/** Whether the root table offset (u32 at byte 0) points inside the buffer, past the 8-byte header. */
export function rootInBounds(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const root = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  return root >= 8 && root + 4 <= bytes.length;
}

/** Whether a typed-array view returned by the generated code lies within the file's bytes. */
export function viewInBounds(file: Uint8Array, view: ArrayBufferView): boolean {
  return (
    view.byteOffset >= file.byteOffset && view.byteOffset + view.byteLength <= file.byteOffset + file.length
  );
}
