import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Write a whole file or nothing: the bytes go to a temporary sibling, which is renamed over the target only
 * once complete, so a crash or a bad input never leaves a half-written output that looks finished.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd = -1;
  try {
    fd = openSync(tmp, "w");
    if (typeof data === "string") writeSync(fd, data);
    else writeSync(fd, data, 0, data.length);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, path);
  } catch (error) {
    if (fd >= 0) closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Streaming counterpart of writeFileAtomic for outputs too large to build in memory: chunks go to a temporary
 * sibling; `commit()` renames it over the target, `abort()` removes it.
 */
export class AtomicFileWriter {
  readonly path: string;
  private readonly tmpPath: string;
  private fd: number;

  constructor(path: string) {
    this.path = path;
    this.tmpPath = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
    this.fd = openSync(this.tmpPath, "w");
  }

  write(chunk: string | Uint8Array): void {
    if (this.fd < 0) throw new Error("AtomicFileWriter: write after commit/abort");
    if (typeof chunk === "string") writeSync(this.fd, chunk);
    else writeSync(this.fd, chunk, 0, chunk.length);
  }

  commit(): void {
    if (this.fd < 0) throw new Error("AtomicFileWriter: commit after commit/abort");
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmpPath, this.path);
  }

  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmpPath, { force: true });
  }
}
