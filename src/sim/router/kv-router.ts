/**
 * The KV-cache-aware router of offline replay (docs/design.md#router): prefix overlap from the KV-event
 * index, active blocks and prefill tokens per worker, the cost
 * `overlap_score_weight · prefill_blocks + decode_blocks`, and a busy-threshold queue drained at lifecycle
 * edges.
 *
 * State (all allocated up front or grown ×2; nothing allocated per request or per event):
 *
 *   per request r (trace row):  reqState[r]  idle / queued / active     reqWorker[r]  admitted worker
 *                               reqHashes[r] prompt hashes it holds as active blocks (null: none or unique)
 *                               reqUnique[r] never-shared active blocks it holds (no reuse assumed)
 *   per worker w (id):          routing set = routingIds[0..routingCount) ascending; everAdded[w]
 *                               overlapByWorker[w], treeByWorker[w]: this admission's scores (0 = no match)
 *   per candidate k:            candLogit[k], candTree[k] for routingIds[k]
 *
 * Lower tiers (docs/design.md#kv-tiers, "router view"): a worker's overlap in the cost is its GPU prefix plus
 * kv_host_overlap_weight × the host blocks and kv_disk_overlap_weight × the disk blocks of the run that continues
 * it (lower-tier-view.ts), the blocks the engine would onboard. The terms are added only when that run is
 * non-empty, so without tiers every cost is today's, bit for bit. The admission's tracked prefill load and the
 * queue keys stay on the GPU overlap.
 *
 * Prefix matching reads `index`, or — in a cluster whose engines publish KV events — the engines' pools through
 * `mirror` (pool-mirror.ts, exact and without replaying events); the first event applied to the index, or a
 * batch the cluster discards, ends mirroring for good.
 *
 * Deliberate differences from the reference (docs/differences.md): random choices come from the seeded Prng;
 * workers are iterated in ascending id order; requests arriving while no worker is routable are parked in the
 * queue and admitted when one joins (the reference has no worker to pick and fails).
 */

import type { Prng } from "../../../native-free-kernels/prng.js";
import { requireFields } from "../../util/options.js";
import type { KvPool } from "../engine/kv-pool.js";
import type { RequestTable } from "../request-table.js";
import { ActiveBlockTracker, PrefillTokenTracker } from "./active-sequences.js";
import { AdmissionBuffer } from "./admission-list.js";
import type { KvEventBatch } from "./kv-event-batch.js";
import { LowerTierView } from "./lower-tier-view.js";
import { PendingQueue, queueKey } from "./pending-queue.js";
import { PoolMirror } from "./pool-mirror.js";
import { MAX_WORKER_ID, PrefixIndex } from "./prefix-index.js";
import type { Router } from "./router.js";
import type { KvRouterConfig, QueuePolicy } from "./router-config.js";
import { selectMinimum, softmaxSample, workerLogit } from "./selector.js";

export interface KvRouterOptions {
  readonly config: KvRouterConfig;
  /** Engine block size, tokens (must equal requests.engineBlockSize). */
  readonly blockSize: number;
  /** The workers' max_num_batched_tokens (busy threshold unit); not finite/positive → 8192 like the reference. */
  readonly maxNumBatchedTokens: number;
  /** The workers' KV capacity, blocks (sizes each worker's index lookup up front; the cost ignores it). */
  readonly totalKvBlocks: number;
  readonly requests: RequestTable;
  readonly rng: Prng;
  /**
   * false for the disagg decode router: no prefix matching, unique active-block ids
   * (docs/design.md#disagg-handoff).
   */
  readonly useReplayHashes: boolean;
}

const KV_ROUTER_REQUIRED = [
  "config",
  "blockSize",
  "maxNumBatchedTokens",
  "totalKvBlocks",
  "requests",
  "rng",
  "useReplayHashes",
] as const;

/** The reference router's max_num_batched_tokens when the engine sets none. */
export const DEFAULT_MAX_BATCHED_TOKENS = 8192;

const IDLE = 0;
const QUEUED = 1;
const ACTIVE = 2;

export class KvRouter implements Router {
  readonly admissions: AdmissionBuffer;
  readonly index: PrefixIndex;
  /** Which worker holds which prompt blocks in its host / disk tier. */
  readonly lowerTiers: LowerTierView;
  readonly activeBlocks: ActiveBlockTracker;
  readonly prefillTokens: PrefillTokenTracker;
  readonly blockSize: number;
  readonly maxNumBatchedTokens: number;
  readonly totalKvBlocks: number;

  private readonly requests: RequestTable;
  private readonly rng: Prng;
  private readonly queue: PendingQueue;
  private readonly weight: number;
  private readonly hostWeight: number;
  private readonly diskWeight: number;
  private readonly temperature: number;
  private readonly trackActive: boolean;
  private readonly trackPrefill: boolean;
  private readonly sharedBlocks: boolean;
  private readonly useReplayHashes: boolean;
  private readonly policy: QueuePolicy;
  /** threshold × max_num_batched_tokens; NaN = no threshold (never busy). */
  private readonly busyTokens: number;

  private routingIds: Int32Array;
  private routingCount: number;
  private everAdded: Uint8Array;
  private overlapByWorker: Int32Array;
  private treeByWorker: Int32Array;
  private candLogit: Float64Array;
  private candTree: Int32Array;
  /** The lower-tier run (host, disk blocks) of candidate k after the GPU prefix (tiers only). */
  private hostByCand: Int32Array;
  private diskByCand: Int32Array;
  private probScratch: Float64Array;
  private indexReserved: boolean;
  /** The pools the prefix index is read from while mirroring; null once the index itself is used. */
  private mirror: PoolMirror | null;
  /** Events went into the index (or mirroring ended): no pool can be mirrored any more. */
  private indexUsed: boolean;
  private readonly reqState: Uint8Array;
  private readonly reqWorker: Int32Array;
  private readonly reqUnique: Int32Array;
  private readonly reqHashes: (Float64Array | null)[];

  constructor(options: KvRouterOptions) {
    requireFields(options, KV_ROUTER_REQUIRED, "KvRouter");
    const { config, requests } = options;
    if (options.blockSize !== requests.engineBlockSize) {
      throw new RangeError(
        `router block size ${options.blockSize} differs from the requests' engine block size ${requests.engineBlockSize}`,
      );
    }
    if (config.router_prefill_load_model !== null) throw new RangeError("kvsim has no prefill load model");
    this.admissions = new AdmissionBuffer(16);
    // Pools sized for about one worker's cache up front (they grow ×2 beyond).
    this.index = new PrefixIndex(
      Math.min(65536, Math.max(4096, options.totalKvBlocks)),
      options.totalKvBlocks,
    );
    this.lowerTiers = new LowerTierView();
    this.activeBlocks = new ActiveBlockTracker(4096, requests.engineBlocksPerTraceBlock);
    this.prefillTokens = new PrefillTokenTracker(requests.count);
    this.blockSize = options.blockSize;
    this.maxNumBatchedTokens = options.maxNumBatchedTokens;
    this.totalKvBlocks = options.totalKvBlocks;
    this.requests = requests;
    this.rng = options.rng;
    this.queue = new PendingQueue(requests.count);
    this.weight = config.overlap_score_weight;
    this.hostWeight = config.kv_host_overlap_weight;
    this.diskWeight = config.kv_disk_overlap_weight;
    this.temperature = config.router_temperature;
    this.trackActive = config.router_track_active_blocks;
    this.trackPrefill = config.router_track_prefill_tokens;
    this.sharedBlocks =
      config.router_track_active_blocks && config.router_assume_kv_reuse && options.useReplayHashes;
    this.useReplayHashes = options.useReplayHashes;
    this.policy = config.router_queue_policy;
    const threshold = config.router_queue_threshold;
    // An engine without a batch limit (null → +∞ here) counts as the reference's DEFAULT_MAX_BATCHED_TOKENS.
    const batched = options.maxNumBatchedTokens;
    const unit = Number.isFinite(batched) && batched > 0 ? batched : DEFAULT_MAX_BATCHED_TOKENS;
    this.busyTokens = threshold === null ? Number.NaN : threshold * unit;
    this.routingIds = new Int32Array(16);
    this.routingCount = 0;
    this.everAdded = new Uint8Array(16);
    this.overlapByWorker = new Int32Array(16);
    this.treeByWorker = new Int32Array(16);
    this.candLogit = new Float64Array(16);
    this.candTree = new Int32Array(16);
    this.hostByCand = new Int32Array(16);
    this.diskByCand = new Int32Array(16);
    this.probScratch = new Float64Array(16);
    this.indexReserved = false;
    this.mirror = null;
    this.indexUsed = false;
    this.reqState = new Uint8Array(requests.count);
    this.reqWorker = new Int32Array(requests.count).fill(-1);
    this.reqUnique = new Int32Array(requests.count);
    this.reqHashes = new Array<Float64Array | null>(requests.count).fill(null);
  }

  get pendingCount(): number {
    return this.queue.size;
  }

  /** Routable worker ids, ascending. */
  routingWorkers(): number[] {
    return Array.from(this.routingIds.subarray(0, this.routingCount));
  }

  /** active_tokens(w, now): tracked uncached prompt tokens of w's requests still in prefill. */
  activeTokens(w: number, nowMs: number): number {
    return this.prefillTokens.activeTokens(w, nowMs);
  }

  addWorker(workerId: number, nowMs: number): void {
    checkWorkerId(workerId);
    this.ensureWorker(workerId);
    if (this.everAdded[workerId] === 1) throw new Error(`router worker ${workerId} already exists`);
    this.everAdded[workerId] = 1;
    if (this.routingCount === this.routingIds.length) this.growCandidates(this.routingCount * 2);
    let i = this.routingCount++;
    while (i > 0 && (this.routingIds[i - 1] as number) > workerId) {
      this.routingIds[i] = this.routingIds[i - 1] as number;
      i--;
    }
    this.routingIds[i] = workerId;
    this.drain(nowMs);
  }

  removeWorker(workerId: number, nowMs: number): void {
    let i = 0;
    while (i < this.routingCount && this.routingIds[i] !== workerId) i++;
    if (i === this.routingCount) throw new Error(`router worker ${workerId} is not in the routing set`);
    this.routingCount--;
    for (; i < this.routingCount; i++) this.routingIds[i] = this.routingIds[i + 1] as number;
    this.drain(nowMs);
  }

  onRequestArrival(requestId: number, nowMs: number): void {
    if (!(requestId >= 0 && requestId < this.reqState.length)) {
      throw new RangeError(
        `request id ${requestId} is outside the request table (0..${this.reqState.length - 1})`,
      );
    }
    if (this.reqState[requestId] !== IDLE) {
      throw new Error(`request ${requestId} arrived at a router that already holds it`);
    }
    const scores: PrefixIndex | PoolMirror = this.mirror ?? this.index;
    if (this.useReplayHashes) {
      const hashes = this.requests.blockHashes(requestId);
      scores.findMatches(hashes, hashes.length);
    } else scores.scoredCount = 0;
    if (this.routingCount === 0 || this.allWorkersBusy(nowMs)) {
      let maxOverlap = 0;
      for (let i = 0; i < scores.scoredCount; i++)
        maxOverlap = Math.max(maxOverlap, scores.scoredBlocks[i] as number);
      const isl = this.requests.islTokens[requestId] as number;
      const key = queueKey(this.policy, nowMs, isl, maxOverlap, this.blockSize);
      this.queue.push(
        requestId,
        key,
        scores.scoredWorker,
        scores.scoredBlocks,
        scores.scoredTreeSize,
        scores.scoredCount,
      );
      this.reqState[requestId] = QUEUED;
      return;
    }
    this.admit(
      requestId,
      scores.scoredWorker,
      scores.scoredBlocks,
      scores.scoredTreeSize,
      scores.scoredCount,
      nowMs,
    );
  }

  /**
   * Offers worker w's engine pool (null: it cannot be mirrored) before its first pass. Mirroring starts with the
   * first pool offered to a router whose index never took an event, and ends for good — the index rebuilt from
   * the pools — when a pool cannot be mirrored.
   */
  mirrorPool(w: number, pool: KvPool | null): void {
    if (pool !== null && !this.indexUsed) {
      checkWorkerId(w);
      this.ensureWorker(w);
      this.mirror ??= new PoolMirror();
      this.mirror.attach(w, pool);
      this.lowerTiers.attachChain(w, pool.lowerTiers);
    } else this.endMirror(-1, null);
  }

  /** The cluster discarded worker w's pass with these events (the index must not see them). */
  onDroppedKvEvents(w: number, events: KvEventBatch): void {
    if (this.mirror !== null && events.count > 0) this.endMirror(w, events);
  }

  /** tree_size(w): blocks worker w holds in the prefix index. */
  treeSize(w: number): number {
    return this.mirror !== null ? this.mirror.treeSize(w) : this.index.treeSize(w);
  }

  /** Leaves mirroring: the index takes what it would hold had it seen every event but `dropped` of w. */
  private endMirror(w: number, dropped: KvEventBatch | null): void {
    this.indexUsed = true;
    const mirror = this.mirror;
    if (mirror === null) return;
    this.mirror = null;
    this.reserveIndex();
    mirror.buildIndex(this.index, w, dropped);
    mirror.release();
    this.lowerTiers.detachChains();
    if (dropped !== null) this.lowerTiers.undoEvents(w, dropped);
  }

  private reserveIndex(): void {
    if (this.indexReserved) return;
    // Every routable worker can hold totalKvBlocks blocks (plus the index's empty linked nodes): size the index
    // once, at the first events (after the initial workers joined), rather than growing it step by step.
    this.index.reserve(this.routingCount * this.totalKvBlocks + 4096);
    this.indexReserved = true;
  }

  onPrefillCompleted(requestId: number, nowMs: number): void {
    this.requireActive(requestId);
    this.prefillTokens.remove(requestId, nowMs);
    this.drain(nowMs);
  }

  onRequestCompleted(requestId: number, nowMs: number): void {
    this.requireActive(requestId);
    this.prefillTokens.remove(requestId, nowMs);
    const w = this.reqWorker[requestId] as number;
    const hashes = this.reqHashes[requestId];
    if (hashes !== null && hashes !== undefined) {
      this.activeBlocks.removeBlocks(w, hashes, hashes.length);
      this.reqHashes[requestId] = null;
    }
    const unique = this.reqUnique[requestId] as number;
    if (unique > 0) {
      this.activeBlocks.removeUnique(w, unique);
      this.reqUnique[requestId] = 0;
    }
    this.reqState[requestId] = IDLE;
    this.reqWorker[requestId] = -1;
    this.drain(nowMs);
  }

  applyKvEvents(workerId: number, events: KvEventBatch): void {
    if (events.count === 0) return;
    if (this.mirror !== null) return; // the pools already hold what the events say
    this.indexUsed = true;
    this.reserveIndex();
    checkWorkerId(workerId);
    this.ensureWorker(workerId);
    this.index.applyEvents(workerId, events);
    if (events.tier !== undefined) this.lowerTiers.applyEvents(workerId, events);
  }

  indexedBlocks(workerId: number): number[] {
    return this.mirror !== null ? this.mirror.indexedBlocks(workerId) : this.index.indexedBlocks(workerId);
  }

  lowerTierBlocks(workerId: number, tier: number): number[] {
    return this.lowerTiers.blocksOf(workerId, tier);
  }

  /**
   * all_workers_busy (docs/design.md#router-queue): some routable worker was checked and none is at or below
   * the threshold.
   */
  private allWorkersBusy(nowMs: number): boolean {
    const limit = this.busyTokens;
    if (Number.isNaN(limit)) return false;
    for (let k = 0; k < this.routingCount; k++) {
      if (this.prefillTokens.activeTokens(this.routingIds[k] as number, nowMs) <= limit) return false;
    }
    return this.routingCount > 0;
  }

  /**
   * drain_pending (docs/design.md#router-queue): admit queued requests, best key first, while some routable
   * worker is not busy.
   */
  private drain(nowMs: number): void {
    if (this.routingCount === 0) return;
    const q = this.queue;
    while (q.size > 0 && !this.allWorkersBusy(nowMs)) {
      const r = q.pop();
      this.admit(r, q.poppedWorker, q.poppedBlocks, q.poppedTreeSize, q.poppedCount, nowMs);
    }
  }

  /**
   * admit_request (docs/design.md#router-cost) with the overlaps (workers, blocks, tree sizes)[0..n) computed
   * at arrival.
   */
  private admit(
    r: number,
    workers: Int32Array,
    blocks: Int32Array,
    trees: Int32Array,
    n: number,
    nowMs: number,
  ): void {
    const overlap = this.overlapByWorker;
    const tree = this.treeByWorker;
    for (let i = 0; i < n; i++) {
      const w = workers[i] as number;
      overlap[w] = blocks[i] as number;
      tree[w] = trees[i] as number;
    }
    const bs = this.blockSize;
    const isl = this.requests.islTokens[r] as number;
    const active = this.activeBlocks;
    let hashes: Float64Array | null = null;
    let seqBlocks = 0;
    // The prompt's full blocks, when some worker may hold a part of it in a lower tier.
    const tierKeys = this.useReplayHashes && !this.lowerTiers.empty ? this.requests.blockHashes(r) : null;
    const tiers = this.lowerTiers;
    let chosenHost = 0;
    let chosenDisk = 0;
    if (this.trackActive) {
      if (this.sharedBlocks) {
        hashes = this.requests.blockHashes(r);
        seqBlocks = hashes.length;
        active.countPresent(hashes, seqBlocks);
      } else seqBlocks = Math.floor(isl / bs);
    }
    for (let k = 0; k < this.routingCount; k++) {
      const w = this.routingIds[k] as number;
      let covered = overlap[w] as number;
      if (tierKeys !== null) {
        tiers.runFrom(w, tierKeys, tierKeys.length, covered);
        this.hostByCand[k] = tiers.hostRun;
        this.diskByCand[k] = tiers.diskRun;
        if (tiers.hostRun > 0) covered += this.hostWeight * tiers.hostRun;
        if (tiers.diskRun > 0) covered += this.diskWeight * tiers.diskRun;
      }
      const prefill = this.trackPrefill
        ? Math.max(0, isl - covered * bs) + this.prefillTokens.activeTokens(w, nowMs)
        : 0;
      let decode: number;
      if (!this.trackActive) decode = Math.floor(prefill / bs);
      else {
        const newBlocks = hashes === null ? seqBlocks : seqBlocks - (active.present[w] as number);
        decode = newBlocks + active.activeBlocks(w);
      }
      this.candLogit[k] = workerLogit(this.weight, prefill, bs, decode);
      this.candTree[k] = tree[w] as number;
    }
    if (hashes !== null) active.clearPresent();
    const k =
      this.temperature === 0
        ? selectMinimum(this.candLogit, this.candTree, this.routingCount, this.rng)
        : softmaxSample(this.candLogit, this.routingCount, this.temperature, this.rng, this.probScratch);
    const w = this.routingIds[k] as number;
    const overlapBlocks = overlap[w] as number;
    if (tierKeys !== null) {
      chosenHost = this.hostByCand[k] as number;
      chosenDisk = this.diskByCand[k] as number;
    }
    for (let i = 0; i < n; i++) {
      const v = workers[i] as number;
      overlap[v] = 0;
      tree[v] = 0;
    }

    this.reqState[r] = ACTIVE;
    this.reqWorker[r] = w;
    if (this.trackActive) {
      if (hashes !== null) {
        active.addBlocks(w, hashes, seqBlocks);
        this.reqHashes[r] = hashes;
      } else if (seqBlocks > 0) {
        active.addUnique(w, seqBlocks);
        this.reqUnique[r] = seqBlocks;
      }
    }
    if (this.trackPrefill) {
      // No estimator in kvsim: the load is the uncached prompt, with no expected duration (no decay).
      const load = isl - overlapBlocks * bs;
      if (load > 0) this.prefillTokens.add(r, w, load, Number.NaN, nowMs);
    }
    this.admissions.push(r, w, overlapBlocks, Math.ceil(isl / bs), chosenHost, chosenDisk);
  }

  private requireActive(r: number): void {
    if (this.reqState[r] !== ACTIVE) throw new Error(`request ${r} is not in flight on this router`);
  }

  private ensureWorker(w: number): void {
    this.index.ensureWorker(w);
    this.activeBlocks.ensureWorker(w);
    this.prefillTokens.ensureWorker(w);
    if (w < this.overlapByWorker.length) return;
    let cap = this.overlapByWorker.length;
    while (cap <= w) cap *= 2;
    const overlap = new Int32Array(cap);
    overlap.set(this.overlapByWorker);
    this.overlapByWorker = overlap;
    const tree = new Int32Array(cap);
    tree.set(this.treeByWorker);
    this.treeByWorker = tree;
    const added = new Uint8Array(cap);
    added.set(this.everAdded);
    this.everAdded = added;
  }

  private growCandidates(cap: number): void {
    const ids = new Int32Array(cap);
    ids.set(this.routingIds);
    this.routingIds = ids;
    this.candLogit = new Float64Array(cap);
    this.candTree = new Int32Array(cap);
    this.hostByCand = new Int32Array(cap);
    this.diskByCand = new Int32Array(cap);
    this.probScratch = new Float64Array(cap);
  }
}

function checkWorkerId(w: number): void {
  if (!(w >= 0 && w <= MAX_WORKER_ID) || (w | 0) !== w) {
    throw new RangeError(`worker id must be an integer in [0, ${MAX_WORKER_ID}], got ${w}`);
  }
}
