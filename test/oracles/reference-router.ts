/**
 * A slow, obviously correct KV router written straight from the reference's behaviour (docs/design.md#router)
 * with plain objects, Maps and Sets: an actual radix tree of nodes keyed by hash with worker sets. Tests use it
 * as the oracle for the fast KvRouter (same seed → same admissions); it is not for production replays.
 *
 * kvsim conventions shared with the fast router (docs/differences.md): workers are visited in ascending id
 * order; a tie at temperature 0 that survives the tree-size tie-break draws rng.nextBelow(#tied) (no draw for
 * one candidate); temperature > 0 draws one rng.nextFloat() r and takes the first worker whose cumulative
 * probability exceeds r; requests arriving with no routable worker wait in the queue until one joins.
 */

import type { Prng } from "../../native-free-kernels/prng.js";
import { KvEventKind } from "../../src/sim/engine/kv-event-log.js";
import type { RequestTable } from "../../src/sim/request-table.js";
import { AdmissionBuffer } from "../../src/sim/router/admission-list.js";
import type { KvEventBatch } from "../../src/sim/router/kv-event-batch.js";
import type { Router } from "../../src/sim/router/router.js";
import type { KvRouterConfig } from "../../src/sim/router/router-config.js";

interface TreeNode {
  readonly hash: number;
  readonly children: Map<number, TreeNode>;
  readonly workers: Set<number>;
}

interface Overlaps {
  readonly scores: Map<number, number>;
  readonly treeSizes: Map<number, number>;
}

interface Admitted {
  readonly worker: number;
  readonly blocks: number[] | null; // shared block hashes it holds active
  readonly uniqueBlocks: number;
  prefillLoad: number; // 0 once prefill completed or when none was recorded
}

interface Queued {
  readonly request: number;
  readonly key: number;
  readonly seq: number;
  readonly overlaps: Overlaps;
}

export interface ReferenceRouterOptions {
  readonly config: KvRouterConfig;
  readonly blockSize: number;
  readonly maxNumBatchedTokens: number;
  readonly requests: RequestTable;
  readonly rng: Prng;
  readonly useReplayHashes: boolean;
}

/** The radix tree (docs/design.md#prefix-index). */
export class ReferenceRadixTree {
  readonly root: TreeNode = { hash: Number.NaN, children: new Map(), workers: new Set() };
  readonly lookup = new Map<number, Map<number, TreeNode>>();

  private lookupOf(worker: number): Map<number, TreeNode> {
    let m = this.lookup.get(worker);
    if (m === undefined) {
      m = new Map();
      this.lookup.set(worker, m);
    }
    return m;
  }

  treeSize(worker: number): number {
    return this.lookup.get(worker)?.size ?? 0;
  }

  stored(worker: number, parent: number | null, hashes: readonly number[]): void {
    const lookup = this.lookupOf(worker);
    let current = this.root;
    if (parent !== null) {
      const p = lookup.get(parent);
      if (p === undefined) throw new Error(`worker ${worker}: ParentBlockNotFound ${parent}`);
      current = p;
    }
    for (const hash of hashes) {
      let child = current.children.get(hash);
      if (child === undefined) {
        child = lookup.get(hash) ?? { hash, children: new Map(), workers: new Set() };
        if (child === current) throw new Error(`worker ${worker}: self-referencing block ${hash}`);
        current.children.set(hash, child);
      }
      if (child === current) throw new Error(`worker ${worker}: self-referencing block ${hash}`);
      child.workers.add(worker);
      lookup.set(hash, child);
      current = child;
    }
  }

  removed(worker: number, hash: number): void {
    const lookup = this.lookupOf(worker);
    const node = lookup.get(hash);
    if (node === undefined) throw new Error(`worker ${worker}: BlockNotFound ${hash}`);
    node.workers.delete(worker);
    lookup.delete(hash);
    if (node.workers.size === 0) node.children.clear();
  }

  findMatches(hashes: readonly number[]): Overlaps {
    const scores = new Map<number, number>();
    let node = this.root;
    let candidates: number[] = [];
    let depth = 0;
    for (let i = 0; i < hashes.length; i++) {
      const child = node.children.get(hashes[i] as number);
      if (child === undefined) break;
      if (i === 0) candidates = [...child.workers];
      else if (child.workers.size < candidates.length) {
        const kept: number[] = [];
        for (const w of candidates) {
          if (child.workers.has(w)) kept.push(w);
          else scores.set(w, depth);
        }
        candidates = kept;
      }
      if (candidates.length === 0) break;
      depth += 1;
      node = child;
    }
    for (const w of candidates) scores.set(w, depth);
    const treeSizes = new Map<number, number>();
    for (const w of scores.keys()) treeSizes.set(w, this.treeSize(w));
    return { scores, treeSizes };
  }
}

export class ReferenceRouter implements Router {
  readonly admissions = new AdmissionBuffer(4);
  readonly tree = new ReferenceRadixTree();
  private readonly options: ReferenceRouterOptions;
  private readonly routing = new Set<number>();
  private readonly added = new Set<number>();
  private readonly admitted = new Map<number, Admitted>();
  private readonly queued = new Set<number>();
  private readonly activeBlockCounts = new Map<number, Map<number, number>>(); // worker → hash → requests
  private readonly uniqueBlocks = new Map<number, number>();
  private queue: Queued[] = [];
  private nextSeq = 0;

  constructor(options: ReferenceRouterOptions) {
    this.options = options;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  private sortedRouting(): number[] {
    return [...this.routing].sort((a, b) => a - b);
  }

  /** Distinct active blocks of worker w. */
  activeBlocks(w: number): number {
    return (this.activeBlockCounts.get(w)?.size ?? 0) + (this.uniqueBlocks.get(w) ?? 0);
  }

  /** Tracked prefill tokens of w (no estimator, so no decay). */
  activeTokens(w: number): number {
    let sum = 0;
    for (const a of this.admitted.values()) if (a.worker === w) sum += a.prefillLoad;
    return sum;
  }

  addWorker(workerId: number, nowMs: number): void {
    if (this.added.has(workerId)) throw new Error(`worker ${workerId} already exists`);
    this.added.add(workerId);
    this.routing.add(workerId);
    this.drain(nowMs);
  }

  removeWorker(workerId: number, nowMs: number): void {
    if (!this.routing.delete(workerId)) throw new Error(`worker ${workerId} is not routable`);
    this.drain(nowMs);
  }

  onRequestArrival(requestId: number, nowMs: number): void {
    if (this.admitted.has(requestId) || this.queued.has(requestId))
      throw new Error(`request ${requestId} twice`);
    const o = this.options;
    const overlaps: Overlaps = o.useReplayHashes
      ? this.tree.findMatches([...o.requests.blockHashes(requestId)])
      : { scores: new Map(), treeSizes: new Map() };
    if (this.routing.size === 0 || this.allBusy()) {
      const isl = o.requests.islTokens[requestId] as number;
      const arrivalS = Math.max(0, nowMs) / 1000;
      const maxOverlap = Math.max(0, ...overlaps.scores.values());
      const policy = o.config.router_queue_policy;
      const key =
        policy === "fcfs"
          ? 0 - arrivalS
          : policy === "lcfs"
            ? 0 + arrivalS
            : (1 + 0) / Math.max(1, isl - maxOverlap * o.blockSize);
      this.queue.push({ request: requestId, key, seq: this.nextSeq++, overlaps });
      this.queued.add(requestId);
      return;
    }
    this.admit(requestId, overlaps);
  }

  onPrefillCompleted(requestId: number, nowMs: number): void {
    const a = this.admitted.get(requestId);
    if (a === undefined) throw new Error(`request ${requestId} not admitted`);
    a.prefillLoad = 0;
    this.drain(nowMs);
  }

  onRequestCompleted(requestId: number, nowMs: number): void {
    const a = this.admitted.get(requestId);
    if (a === undefined) throw new Error(`request ${requestId} not admitted`);
    this.admitted.delete(requestId);
    if (a.blocks !== null) {
      const counts = this.activeBlockCounts.get(a.worker) as Map<number, number>;
      for (const h of a.blocks) {
        const c = (counts.get(h) as number) - 1;
        if (c === 0) counts.delete(h);
        else counts.set(h, c);
      }
    }
    this.uniqueBlocks.set(a.worker, (this.uniqueBlocks.get(a.worker) ?? 0) - a.uniqueBlocks);
    this.drain(nowMs);
  }

  applyKvEvents(workerId: number, events: KvEventBatch): void {
    for (let e = 0; e < events.count; e++) {
      const start = events.hashStart[e] as number;
      const hashes = Array.from(events.hashes.subarray(start, start + (events.hashCount[e] as number)));
      if (events.kind[e] === KvEventKind.Stored) {
        const parent = events.parentHash[e] as number;
        this.tree.stored(workerId, Number.isNaN(parent) ? null : parent, hashes);
      } else {
        for (const h of hashes) this.tree.removed(workerId, h);
      }
    }
  }

  indexedBlocks(workerId: number): number[] {
    return [...(this.tree.lookup.get(workerId)?.keys() ?? [])];
  }

  private allBusy(): boolean {
    const threshold = this.options.config.router_queue_threshold;
    if (threshold === null) return false;
    let checked = false;
    for (const w of this.sortedRouting()) {
      checked = true;
      if (this.activeTokens(w) <= threshold * this.batchLimit()) return false;
    }
    return checked;
  }

  /** The engines' max_num_batched_tokens; the reference falls back to 8192 when the engine sets none. */
  private batchLimit(): number {
    const m = this.options.maxNumBatchedTokens;
    return Number.isFinite(m) && m > 0 ? m : 8192;
  }

  private drain(_nowMs: number): void {
    if (this.routing.size === 0) return;
    while (this.queue.length > 0 && !this.allBusy()) {
      let best = 0;
      for (let i = 1; i < this.queue.length; i++) {
        const a = this.queue[i] as Queued;
        const b = this.queue[best] as Queued;
        if (a.key > b.key || (a.key === b.key && a.seq < b.seq)) best = i;
      }
      const entry = this.queue[best] as Queued;
      this.queue.splice(best, 1);
      this.queued.delete(entry.request);
      this.admit(entry.request, entry.overlaps);
    }
  }

  private admit(requestId: number, overlaps: Overlaps): void {
    const o = this.options;
    const c = o.config;
    const bs = o.blockSize;
    const isl = o.requests.islTokens[requestId] as number;
    const shared = c.router_track_active_blocks && c.router_assume_kv_reuse && o.useReplayHashes;
    const blocks = shared ? [...o.requests.blockHashes(requestId)] : null;
    const unique = c.router_track_active_blocks && !shared ? Math.floor(isl / bs) : 0;

    const workers = this.sortedRouting();
    const logits = workers.map((w) => {
      const overlap = overlaps.scores.get(w) ?? 0;
      const prefillTokens = c.router_track_prefill_tokens
        ? Math.max(0, isl - overlap * bs) + this.activeTokens(w)
        : 0;
      let decodeBlocks: number;
      if (!c.router_track_active_blocks) decodeBlocks = Math.floor(prefillTokens / bs);
      else if (blocks !== null) {
        const mine = this.activeBlockCounts.get(w);
        const fresh = blocks.filter((h) => mine === undefined || !mine.has(h)).length;
        decodeBlocks = fresh + this.activeBlocks(w);
      } else decodeBlocks = unique + this.activeBlocks(w);
      return c.overlap_score_weight * (prefillTokens / bs) + decodeBlocks;
    });

    let chosen: number;
    if (c.router_temperature === 0) {
      const best = Math.min(...logits);
      const cheapest = workers.filter((_, i) => logits[i] === best);
      const trees = cheapest.map((w) => overlaps.treeSizes.get(w) ?? 0);
      const smallest = Math.min(...trees);
      const tied = cheapest.filter((_, i) => trees[i] === smallest);
      chosen = tied.length === 1 ? (tied[0] as number) : (tied[o.rng.nextBelow(tied.length)] as number);
    } else {
      const lo = Math.min(...logits);
      const hi = Math.max(...logits);
      let probs: number[];
      if (lo === hi) probs = logits.map(() => 1 / logits.length);
      else {
        const weights = logits.map((l) => Math.exp(-(l - lo) / ((hi - lo) * c.router_temperature)));
        let total = 0;
        for (const x of weights) total += x;
        probs = weights.map((x) => x / total);
      }
      const r = o.rng.nextFloat();
      let cumulative = 0;
      let pick = -1;
      let lastPositive = 0;
      for (let i = 0; i < probs.length; i++) {
        if ((probs[i] as number) > 0) lastPositive = i;
        cumulative += probs[i] as number;
        if (pick < 0 && r < cumulative) pick = i;
      }
      chosen = workers[pick < 0 ? lastPositive : pick] as number;
    }

    const overlap = overlaps.scores.get(chosen) ?? 0;
    if (blocks !== null) {
      let counts = this.activeBlockCounts.get(chosen);
      if (counts === undefined) {
        counts = new Map();
        this.activeBlockCounts.set(chosen, counts);
      }
      for (const h of blocks) counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    this.uniqueBlocks.set(chosen, (this.uniqueBlocks.get(chosen) ?? 0) + unique);
    const load = c.router_track_prefill_tokens ? Math.max(0, isl - overlap * bs) : 0;
    this.admitted.set(requestId, { worker: chosen, blocks, uniqueBlocks: unique, prefillLoad: load });
    this.admissions.push(requestId, chosen, overlap, Math.ceil(isl / bs));
  }
}
