import { readSync } from "node:fs";

/**
 * Reads a descriptor front to back without seeking — a pipe, a FIFO, `-` (standard input), a character device —
 * where positional reads fail with ESPIPE. Bytes already taken off the stream (the format sniff) are handed out
 * first, so nothing read is lost.
 */

/** How long to wait before retrying a read on a non-blocking descriptor with nothing in it yet (EAGAIN). */
const EAGAIN_WAIT_MS = 2;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export class SequentialReader {
  private readonly fd: number;
  private pending: Uint8Array;

  constructor(fd: number, pending: Uint8Array = new Uint8Array(0)) {
    this.fd = fd;
    this.pending = pending;
  }

  /** Up to `length` bytes into buf[offset..]; 0 only at the end of the stream. */
  read(buf: Uint8Array, offset: number, length: number): number {
    if (length <= 0) return 0;
    if (this.pending.length > 0) {
      const n = Math.min(length, this.pending.length);
      buf.set(this.pending.subarray(0, n), offset);
      this.pending = this.pending.subarray(n);
      return n;
    }
    for (;;) {
      try {
        return readSync(this.fd, buf, offset, length, null);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "EAGAIN") throw error;
        Atomics.wait(sleeper, 0, 0, EAGAIN_WAIT_MS);
      }
    }
  }

  /** Reads until `length` bytes are in or the stream ends; returns how many arrived. */
  readFully(buf: Uint8Array, offset: number, length: number): number {
    let done = 0;
    while (done < length) {
      const got = this.read(buf, offset + done, length - done);
      if (got === 0) break;
      done += got;
    }
    return done;
  }

  /** Everything left in the stream, as one buffer starting at an 8-aligned offset (typed-array views need it). */
  readToEnd(): Uint8Array {
    let buf = new Uint8Array(1 << 16);
    let used = 0;
    for (;;) {
      if (used === buf.length) {
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
      }
      const got = this.read(buf, used, buf.length - used);
      if (got === 0) return buf.subarray(0, used);
      used += got;
    }
  }
}
