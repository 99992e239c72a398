/**
 * Reference KV block manager (docs/design.md#kv-block-pool), written for obviousness, not speed: a Map of
 * active blocks to reference counts and a Map of inactive blocks whose insertion order is the LRU order
 * (first = least recently freed). Used only to cross-check the fast engine (src/sim/engine/kv-pool.ts) on
 * small workloads.
 *
 * A block is either a full block, identified by a number (prompt hash ≥ 0, or a generated id < 0), or an
 * object whose identity is the block (a partial block, or a full block when prefix caching is off). Only
 * numbered blocks appear in events.
 */
export interface RefObjectBlock {
  readonly kind: "partial" | "private";
}
export type RefBlock = number | RefObjectBlock;

export type RefKvEvent =
  | { readonly kind: "stored"; readonly parent: number | null; readonly hashes: number[] }
  | { readonly kind: "removed"; readonly hashes: number[] };

export class ReferenceKvManager {
  readonly capacity: number;
  readonly active = new Map<RefBlock, number>();
  readonly inactive = new Map<RefBlock, true>();
  /** Events since the engine last cleared them; null when publishing is off. */
  events: RefKvEvent[] | null = [];
  /** Set by any change of state; the engine clears it at pass start. */
  changed = false;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  isCached(block: RefBlock): boolean {
    return this.active.has(block) || this.inactive.has(block);
  }

  /** Use: reference each block in order; returns how many (a prefix of `blocks`) were obtained. */
  use(blocks: readonly RefBlock[], parent: number | null): number {
    let storedParent = parent;
    const newFull: number[] = [];
    let obtained = 0;
    for (const block of blocks) {
      const ref = this.active.get(block);
      if (ref !== undefined) {
        this.active.set(block, ref + 1);
        if (typeof block === "number") storedParent = block;
      } else if (this.inactive.has(block)) {
        this.inactive.delete(block);
        this.active.set(block, 1);
        if (typeof block === "number") storedParent = block;
      } else {
        if (this.active.size + this.inactive.size >= this.capacity) {
          const oldest = this.inactive.keys().next();
          if (oldest.done === true) break; // nothing evictable: partial allocation
          this.inactive.delete(oldest.value);
          if (typeof oldest.value === "number") this.emit({ kind: "removed", hashes: [oldest.value] });
        }
        this.active.set(block, 1);
        if (typeof block === "number") newFull.push(block);
      }
      obtained++;
    }
    if (obtained > 0) this.changed = true;
    if (newFull.length > 0) this.emit({ kind: "stored", parent: storedParent, hashes: newFull });
    return obtained;
  }

  /** Deref, in the order given (callers pass tail-first): refcount 0 moves a block to the LRU's recent end. */
  deref(blocks: readonly RefBlock[]): void {
    for (const block of blocks) {
      const ref = this.active.get(block);
      if (ref === undefined) throw new Error("reference deref of a block that is not active");
      if (ref > 1) {
        this.active.set(block, ref - 1);
      } else {
        this.active.delete(block);
        this.inactive.set(block, true);
      }
      this.changed = true;
    }
  }

  /** Promote a partial block (held once) to the full block `full`. */
  promote(partial: RefBlock, full: number, parent: number | null): void {
    if (this.active.get(partial) !== 1) throw new Error("reference promote of a partial block not held once");
    this.active.delete(partial);
    const ref = this.active.get(full);
    if (ref !== undefined) {
      this.active.set(full, ref + 1);
    } else if (this.inactive.has(full)) {
      this.inactive.delete(full);
      this.active.set(full, 1);
    } else {
      this.active.set(full, 1);
      this.emit({ kind: "stored", parent, hashes: [full] });
    }
    this.changed = true;
  }

  /** Destroy: remove active blocks outright. */
  destroy(blocks: readonly RefBlock[]): void {
    for (const block of blocks) {
      if (!this.active.delete(block)) throw new Error("reference destroy of a block that is not active");
      if (typeof block === "number") this.emit({ kind: "removed", hashes: [block] });
      this.changed = true;
    }
  }

  private emit(event: RefKvEvent): void {
    if (this.events !== null) this.events.push(event);
  }
}
