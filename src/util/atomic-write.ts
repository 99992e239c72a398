import * as nodeFs from "node:fs";
import { basename, dirname, join } from "node:path";
import { outputFailure, shortWriteError } from "./output-failure.js";
import { type OutputTarget, resolveOutputTarget, type TargetFs } from "./output-target.js";

/**
 * The one way kvsim writes an output file: the whole file or nothing, and never a silent loss.
 *
 *   regular file   bytes → temporary sibling (every write(2) checked, short counts resumed) → fsync → close →
 *                  rename over the target → fsync the directory. Any failure removes the temporary file and
 *                  leaves the old target as it was.
 *   device, FIFO   written in place, every write checked (see output-target.ts for why and for `-`).
 *
 * Every failure becomes one InputError line naming the path as the user wrote it (exit 2).
 */

export type WriterFs = TargetFs &
  Pick<
    typeof nodeFs,
    "openSync" | "writeSync" | "fsyncSync" | "closeSync" | "renameSync" | "rmSync" | "fchmodSync"
  >;

const realFs: WriterFs = nodeFs;

/** How long to wait before retrying a write to a non-blocking descriptor that is full (EAGAIN). */
const EAGAIN_WAIT_MS = 2;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

let tmpCounter = 0;

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** write(2) until every byte is out: a short count is resumed, a zero count or an errno is an error. */
function writeFully(fs: WriterFs, fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    let wrote: number;
    try {
      wrote = fs.writeSync(fd, bytes, done, bytes.length - done);
    } catch (error) {
      if (codeOf(error) !== "EAGAIN") throw error;
      Atomics.wait(sleeper, 0, 0, EAGAIN_WAIT_MS);
      continue;
    }
    if (!(wrote > 0)) throw shortWriteError();
    done += wrote;
  }
}

/** Persists the rename itself; some file systems refuse fsync on a directory, which costs only durability. */
function fsyncDirectory(fs: WriterFs, dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // best effort: the file's own bytes are already on disk
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

/**
 * A file written in chunks (outputs too large to build in memory). `commit()` makes it visible, `abort()`
 * discards it; a failed `write` or `commit` aborts by itself, so no temporary file outlives an error.
 */
export class AtomicFileWriter {
  /** The path as the caller gave it. */
  readonly path: string;
  /** How messages name it: the path, or "standard output" for "-". */
  private readonly name: string;
  private readonly fs: WriterFs;
  private readonly target: OutputTarget;
  private readonly tmpPath: string | null;
  private fd: number;
  /** Whether the temporary file exists (so abort never removes a file it did not create). */
  private tmpCreated: boolean;

  constructor(path: string, fs: WriterFs = realFs) {
    this.path = path;
    this.name = path === "-" ? "standard output" : path;
    this.fs = fs;
    this.fd = -1;
    this.tmpCreated = false;
    let target: OutputTarget;
    try {
      target = resolveOutputTarget(path, fs);
    } catch (error) {
      throw outputFailure(this.name, error);
    }
    this.target = target;
    this.tmpPath =
      target.kind === "replace"
        ? join(dirname(target.file), `.${basename(target.file)}.${process.pid}.${tmpCounter++}.tmp`)
        : null;
    try {
      if (target.kind === "fd") {
        this.fd = target.fd;
      } else if (target.kind === "through") {
        this.fd = fs.openSync(target.file, "w");
      } else {
        this.fd = fs.openSync(this.tmpPath as string, "wx", 0o666);
        this.tmpCreated = true;
        if (target.mode !== null) fs.fchmodSync(this.fd, target.mode);
      }
    } catch (error) {
      this.abort();
      throw outputFailure(this.name, error);
    }
  }

  write(chunk: string | Uint8Array): void {
    if (this.fd < 0) throw new Error("AtomicFileWriter: write after commit/abort");
    try {
      writeFully(this.fs, this.fd, typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
    } catch (error) {
      this.abort();
      throw outputFailure(this.name, error);
    }
  }

  commit(): void {
    if (this.fd < 0) throw new Error("AtomicFileWriter: commit after commit/abort");
    const { fs, target } = this;
    try {
      if (target.kind === "replace") {
        fs.fsyncSync(this.fd);
        const fd = this.fd;
        this.fd = -1;
        fs.closeSync(fd);
        fs.renameSync(this.tmpPath as string, target.file);
        this.tmpCreated = false;
        fsyncDirectory(fs, dirname(target.file));
      } else {
        // A pipe or a device has nothing to fsync (Linux answers EINVAL); a descriptor we did not open stays open.
        const fd = this.fd;
        this.fd = -1;
        if (target.kind === "through") fs.closeSync(fd);
      }
    } catch (error) {
      this.abort();
      throw outputFailure(this.name, error);
    }
  }

  /** Discards what was written (a device or pipe keeps what it already received). Safe to call twice. */
  abort(): void {
    const fd = this.fd;
    this.fd = -1;
    if (fd >= 0 && this.target.kind !== "fd") {
      try {
        this.fs.closeSync(fd);
      } catch {
        // closing is best effort here: the write already failed
      }
    }
    if (this.tmpCreated && this.tmpPath !== null) {
      this.tmpCreated = false;
      try {
        this.fs.rmSync(this.tmpPath, { force: true });
      } catch {
        // the original failure is the one to report
      }
    }
  }
}

/** Writes a whole file or nothing (see above). */
export function writeFileAtomic(path: string, data: string | Uint8Array, fs: WriterFs = realFs): void {
  const writer = new AtomicFileWriter(path, fs);
  writer.write(data);
  writer.commit();
}
