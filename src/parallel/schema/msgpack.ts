import { Packr } from "msgpackr";

/**
 * Heterogeneous metadata (point configs, manifests, shard metadata) as plain MessagePack: msgpackr with its
 * record extension turned off, so Python's msgpack, Go's or Rust's rmp read the bytes as ordinary maps.
 */
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

/** Encodes a JSON-like value; the result owns its bytes (msgpackr reuses its working buffer between calls). */
export function packMetadata(value: unknown): Uint8Array {
  return new Uint8Array(packr.pack(value));
}

export function unpackMetadata(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}
