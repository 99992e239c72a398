/** A KV event the prefix index cannot apply (the reference's ParentBlockNotFound / BlockNotFound / self-reference). */
export class KvIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KvIndexError";
  }
}

/** Largest worker id the prefix index accepts (stale keys pack node · 2^21 + worker below 2^52). */
export const MAX_WORKER_ID = 2097151;

export function parentNotFound(w: number, parentHash: number): KvIndexError {
  return new KvIndexError(
    `worker ${w}: Stored event under parent block ${parentHash} that the worker does not hold (ParentBlockNotFound)`,
  );
}

export function blockNotFound(w: number, h: number): KvIndexError {
  return new KvIndexError(
    `worker ${w}: Removed event for block ${h} that the worker does not hold (BlockNotFound)`,
  );
}

export function throwSelfReference(w: number, h: number): never {
  throw new KvIndexError(`worker ${w}: Stored event makes block ${h} its own child (self-referencing chain)`);
}
