import type { EngineRole } from "../../signals/stages.js";
import { type InputError, inputErrorAt } from "../../util/errors.js";
import type { RequestTable } from "../request-table.js";
import { type EngineArgs, kvHandoffMs } from "./engine-args.js";
import { FpmSnapshotter } from "./fpm-snapshot.js";
import { KvTier } from "./kv-event-log.js";
import { isPartialKey, KvPool, PARTIAL_KEY_BASE } from "./kv-pool.js";
import { KvTierChain, tierConfigOf } from "./kv-tiers.js";
import type { PassResult } from "./pass-result.js";
import type { PassTimeModel } from "./pass-time-model.js";
import { ScheduledWork } from "./scheduled-work.js";
import { SequenceSlots, SlotDeque, SlotList, SlotStatus } from "./sequence-slots.js";

/**
 * One vLLM scheduler pass (docs/design.md#engine-pass, #chunked-prefill, #preemption) over typed-array state:
 *
 *   waiting  SlotDeque      front-insertable; preempted victims go to the front
 *   running  SlotList       admission order; LIFO victims come off the back, FIFO victims off the front
 *   slots    SequenceSlots  per-request columns (sequence-slots.ts)
 *   pool     KvPool         active refcounts + inactive LRU (kv-pool.ts)
 *   work     ScheduledWork  this pass's entries; slots.entry[s] points at s's entry during the pass
 *
 * The hot path (a decode step of a running request) touches only columns: no allocation per token.
 * Invariants (checked by engine-invariants.ts in debug mode): every running request holds its blocks
 * [0, held) in the pool, held·bs ≥ computed, and every pool reference belongs to exactly one sequence block.
 */
const SCHEDULED = 0;
const BLOCKED = 1;
const CURRENT_PREEMPTED = 2;

/**
 * A sequence that needs more blocks than the whole pool would be preempted and recomputed forever (upstream
 * spins); it is refused up front instead, like vLLM refuses a max_model_len beyond its KV capacity.
 */
export function tooLargeError(
  requestId: number,
  isl: number,
  maxOut: number,
  bs: number,
  capacity: number,
): InputError {
  return inputErrorAt(
    "engine args",
    null,
    "num_gpu_blocks",
    `request ${requestId} needs ${Math.ceil((isl + maxOut) / bs)} KV blocks (${isl} prompt + ${maxOut} output tokens ` +
      `at block_size ${bs}) but the engine has ${capacity}; it could never complete`,
  );
}

export class VllmScheduler {
  readonly blockSize: number;
  readonly capacityBlocks: number;
  readonly pool: KvPool;
  /** Host and disk tiers below the pool (null: none, or a decode worker, which gets its KV from prefill). */
  readonly tiers: KvTierChain | null;
  readonly slots: SequenceSlots;
  readonly waiting: SlotDeque;
  readonly running: SlotList;
  /** Requests enqueued and not completed. */
  inFlight: number;
  /**
   * Σ (prompt + output cap) over the requests in flight: every token they could ever need computed at once. A
   * token-less streak that computes several times this much is throwing work away (engine-worker.ts, liveness).
   */
  inFlightWorkTokens: number;
  /** Tokens the last pass computed (scheduled and not refunded by a preemption). */
  lastScheduledTokens: number;
  /** Fill the forward-pass snapshot (off when no planner reads it: it scans the waiting queue). */
  computeFpm: boolean;
  /** Publish this pass's KV events even while the pool's events are unread (a pass the cluster may discard). */
  keepKvEvents: boolean;
  private readonly requests: RequestTable;
  private readonly passTime: PassTimeModel;
  readonly maxNumSeqs: number;
  private readonly tokenBudget: number;
  private readonly chunkedPrefill: boolean;
  private readonly prefixCaching: boolean;
  private readonly lifo: boolean;
  private readonly prefillRole: boolean;
  private readonly decodeRole: boolean;
  private readonly prefillScale: number;
  private readonly decodeScale: number;
  /** Prefill→decode hand-off is priced only when bandwidth and bytes/token are both set. */
  private readonly handoffPriced: boolean;
  private readonly bandwidthGBps: number;
  private readonly bytesPerToken: number;
  private readonly work: ScheduledWork;
  private ready: Int32Array;
  private readonly snapshotter: FpmSnapshotter;
  /** Requests that emitted in the last silent passes, in emission order. */
  silentTokenIds: Int32Array;
  silentTokenCount: number;
  private nextGeneratedId: number;
  private nextPartialSerial: number;
  // Per-pass state.
  private out: PassResult | null;
  private budget: number;
  private preemptedAny: boolean;
  private lastCached: number;
  private lastTokensUsed: number;
  private passDecodeMs: number;

  constructor(role: EngineRole, args: EngineArgs, passTime: PassTimeModel, requests: RequestTable) {
    this.blockSize = args.block_size;
    this.capacityBlocks = args.num_gpu_blocks;
    this.pool = new KvPool(args.num_gpu_blocks, requests.engineBlocksPerTraceBlock);
    const tierConfig = role === "decode" ? null : tierConfigOf(args);
    this.tiers = tierConfig === null ? null : new KvTierChain(tierConfig);
    this.pool.lowerTiers = this.tiers;
    this.slots = new SequenceSlots(Math.min(64, args.max_num_seqs * 2));
    this.waiting = new SlotDeque(64);
    this.running = new SlotList(Math.min(args.max_num_seqs, 1024));
    this.inFlight = 0;
    this.inFlightWorkTokens = 0;
    this.lastScheduledTokens = 0;
    this.computeFpm = true;
    this.keepKvEvents = false;
    this.requests = requests;
    this.passTime = passTime;
    this.maxNumSeqs = args.max_num_seqs;
    this.tokenBudget = args.max_num_batched_tokens ?? Number.POSITIVE_INFINITY;
    this.chunkedPrefill = args.enable_chunked_prefill;
    this.prefixCaching = args.enable_prefix_caching;
    this.lifo = args.preemption_mode === "lifo";
    this.prefillRole = role === "prefill";
    this.decodeRole = role === "decode";
    // Non-positive ratios mean unscaled time (docs/design.md#engine-pass, #perf-model).
    this.prefillScale = args.speedup_ratio > 0 ? args.speedup_ratio : 1;
    const product = args.speedup_ratio * args.decode_speedup_ratio;
    this.decodeScale = product > 0 ? product : 1;
    const bw = args.kv_transfer_bandwidth;
    const bytes = args.kv_bytes_per_token;
    this.handoffPriced = bw !== null && bytes !== null;
    this.bandwidthGBps = bw ?? 0;
    this.bytesPerToken = bytes ?? 0;
    this.work = new ScheduledWork(Math.min(args.max_num_seqs * 2 + 4, 4096));
    this.ready = new Int32Array(Math.min(args.max_num_seqs, 1024));
    this.snapshotter = new FpmSnapshotter();
    this.silentTokenIds = new Int32Array(16);
    this.silentTokenCount = 0;
    this.nextGeneratedId = -1;
    this.nextPartialSerial = 0;
    this.out = null;
    this.budget = 0;
    this.preemptedAny = false;
    this.lastCached = 0;
    this.lastTokensUsed = 0;
    this.passDecodeMs = 0;
  }

  /** Joins the waiting queue; a prefill worker produces only the first token. */
  enqueue(requestId: number): void {
    const bs = this.blockSize;
    const isl = this.requests.islTokens[requestId] as number;
    const requested = this.requests.maxOutputTokens[requestId] as number;
    // A request always emits at least one token (a zero-length output would never become ready).
    const maxOut = this.prefillRole ? 1 : Math.max(1, requested);
    const blocks = Math.ceil((isl + maxOut) / bs);
    if (blocks > this.capacityBlocks) throw tooLargeError(requestId, isl, maxOut, bs, this.capacityBlocks);
    const slots = this.slots;
    const s = slots.take(blocks);
    slots.requestId[s] = requestId;
    slots.isl[s] = isl;
    slots.maxOut[s] = maxOut;
    slots.status[s] = SlotStatus.Waiting;
    const keys = slots.keys[s] as Float64Array;
    const full = Math.floor(isl / bs);
    if (this.prefixCaching) {
      const hashes = this.requests.materialize(requestId);
      for (let j = 0; j < full; j++) keys[j] = hashes[j] as number;
    } else {
      // Caching off: full blocks get identities of their own, so nothing is ever shared
      // (docs/design.md#prefix-caching).
      for (let j = 0; j < full; j++) keys[j] = this.nextGeneratedId--;
    }
    if (isl % bs !== 0) keys[full] = PARTIAL_KEY_BASE - this.nextPartialSerial++;
    this.waiting.pushBack(s);
    this.inFlight++;
    this.inFlightWorkTokens += isl + maxOut;
  }

  /** KV events are published (prefix caching on). */
  get publishesKvEvents(): boolean {
    return this.prefixCaching;
  }

  hasWork(): boolean {
    return this.waiting.size > 0 || this.running.count > 0;
  }

  executePass(nowMs: number, out: PassResult): void {
    out.reset();
    this.out = out;
    this.pool.events =
      this.prefixCaching && (!this.pool.eventsUnread || this.keepKvEvents) ? out.kvEvents : null;
    if (this.tiers !== null) this.tiers.events = this.pool.events;
    const mutationsBefore = this.pool.mutations;
    const work = this.work;
    work.clear();
    this.budget = this.tokenBudget;
    this.preemptedAny = false;

    // Step 2: running requests first, in order, while budget remains.
    const running = this.running;
    let i = 0;
    while (i < running.count && this.budget > 0) {
      const outcome = this.schedule(running.items[i] as number, false);
      if (outcome === SCHEDULED) i++;
      else if (outcome === BLOCKED) break;
      // CURRENT_PREEMPTED: the list shrank under index i.
    }

    // Step 3: admit from the front of the waiting queue (victims were pushed in front of it). A request whose
    // KV is still coming in from a lower tier keeps its place and is stepped over (k counts those).
    const slots = this.slots;
    let k = 0;
    while (!this.preemptedAny && running.count < this.maxNumSeqs && k < this.waiting.size) {
      const s = this.waiting.at(k);
      if (this.tiers !== null && this.awaitsOnboarding(s, nowMs)) {
        k++;
        continue;
      }
      if (this.schedule(s, true) !== SCHEDULED) break;
      if ((slots.onboardedTokens[s] as number) > 0) {
        out.pushAdmit(
          slots.requestId[s] as number,
          slots.onboardedTokens[s] as number,
          slots.hostTokens[s] as number,
          slots.diskTokens[s] as number,
          slots.onboardMs[s] as number,
        );
        slots.clearOnboarding(s);
      } else out.pushAdmit(slots.requestId[s] as number, this.lastCached);
      if (this.lastTokensUsed === 0 && this.budget === 0) break;
    }

    // Step 5: prefill time over entries with new prompt tokens (none on a decode worker).
    let prefillMs = 0;
    const batch = work.prefillBatch;
    if (!this.decodeRole && batch > 0) {
      const meanIsl = Math.floor(work.prefillSumIsl / batch);
      const meanPrefix = Math.floor(work.prefillSumPrefix / batch);
      if (meanIsl > meanPrefix)
        prefillMs = this.passTime.prefillMs(batch, meanIsl, meanPrefix) / this.prefillScale;
    }
    const scheduledTokens = work.liveTokens;
    this.lastScheduledTokens = scheduledTokens;

    // Step 7: every running request whose sequence is fully computed emits one token.
    const decodeStartMs = nowMs + prefillMs;
    this.decodeReady();
    const decodeMs = this.passDecodeMs;
    const endMs = decodeStartMs + decodeMs;

    out.endMs = endMs;
    for (let e = 0; e < work.count; e++) slots.entry[work.slot[e] as number] = -1;
    if (this.computeFpm) this.snapshotter.fill(out.fpm, (endMs - nowMs) / 1000, work, slots, this.waiting);
    out.madeProgress =
      out.admitCount > 0 ||
      out.tokenCount > 0 ||
      out.preemptCount > 0 ||
      scheduledTokens > 0 ||
      this.pool.mutations !== mutationsBefore ||
      endMs !== nowMs;
    this.out = null;
  }

  /**
   * How many of the next passes are certain to be silent decode steps (0 when not certain): nothing waits, the
   * budget covers every running request, and each running request has its first token out, is computed up to
   * its last token (so it schedules exactly one token inside the blocks it holds), does not start a new block
   * when it emits and does not finish. Then a pass schedules one decode token per request, emits one token per
   * request and changes nothing else: no admission, preemption, allocation, KV event or completion. The FPM
   * snapshot is per pass, so silent passes are off while snapshots are wanted.
   */
  silentPassesAhead(): number {
    const running = this.running;
    const n = running.count;
    if (n === 0 || this.waiting.size > 0 || n > this.tokenBudget || this.prefillRole || this.computeFpm)
      return 0;
    const slots = this.slots;
    const bs = this.blockSize;
    let ahead = 0x7fffffff;
    for (let k = 0; k < n; k++) {
      const s = running.items[k] as number;
      const generated = slots.generated[s] as number;
      const len = (slots.isl[s] as number) + generated;
      if (generated === 0 || slots.computed[s] !== len - 1 || len > (slots.held[s] as number) * bs) return 0;
      const intoBlock = len % bs;
      if (intoBlock === 0) return 0; // the next token starts a block: allocation and KV events
      // Passes k = 0, 1, … stay silent while (len + k) % bs ≠ 0 and generated + k + 1 < maxOut.
      const toBoundary = bs - intoBlock;
      const toLast = (slots.maxOut[s] as number) - generated - 1;
      const passes = Math.min(toBoundary, toLast);
      if (passes < ahead) ahead = passes;
      if (ahead <= 0) return 0;
    }
    return ahead;
  }

  /**
   * Runs silent passes (at most `ahead`, as silentPassesAhead() promised) back to back from startMs, each exactly
   * as executePass would: no prefill, decode time from the pass's batch, KV fill and mean context (which grows by
   * one token per pass). Pass k's end goes to endsOut[k − 1]. Stops after the first pass that is the ahead-th,
   * ends at or after horizonMs or ends after untilMs, and returns how many passes ran. The requests that
   * emitted in every one of them are silentTokenIds[0 .. silentTokenCount), in running order.
   */
  runSilentPasses(
    startMs: number,
    ahead: number,
    horizonMs: number,
    untilMs: number,
    endsOut: Float64Array,
  ): number {
    const slots = this.slots;
    const running = this.running;
    const n = running.count;
    if (this.silentTokenIds.length < n) this.silentTokenIds = new Int32Array(n * 2);
    const ids = this.silentTokenIds;
    let sumLen = 0;
    for (let k = 0; k < n; k++) {
      const s = running.items[k] as number;
      sumLen += (slots.isl[s] as number) + (slots.generated[s] as number);
      ids[k] = slots.requestId[s] as number;
    }
    this.silentTokenCount = n;
    const bs = this.blockSize;
    const activeKv = this.pool.activeCount * bs; // no silent pass allocates, so the fill is fixed
    const totalKv = this.capacityBlocks * bs;
    let atMs = startMs;
    let passes = 0;
    for (;;) {
      const decodeMs =
        this.passTime.decodeMs(n, activeKv, Math.floor(sumLen / n), totalKv) / this.decodeScale;
      const endMs = atMs + decodeMs;
      endsOut[passes++] = endMs;
      sumLen += n;
      if (passes >= ahead || !(endMs < horizonMs) || endMs > untilMs) break;
      atMs = endMs;
    }
    // After `passes` decode steps every request generated that many tokens and computed all but the last.
    for (let k = 0; k < n; k++) {
      const s = running.items[k] as number;
      const generated = (slots.generated[s] as number) + passes;
      slots.generated[s] = generated;
      slots.computed[s] = (slots.isl[s] as number) + generated - 1;
    }
    return passes;
  }

  /** Prefix-cache hit of a sequence with nothing computed: the contiguous resident run from its first block,
   * in tokens, capped at the prompt (a trailing partial block never matches). */
  private cachedTokens(s: number): number {
    const bs = this.blockSize;
    const isl = this.slots.isl[s] as number;
    const keys = this.slots.keys[s] as Float64Array;
    const blocks = Math.ceil(((this.slots.isl[s] as number) + (this.slots.generated[s] as number)) / bs);
    // Blocks past ceil(isl/bs) cannot raise min(run·bs, isl), so the walk stops there.
    const limit = Math.min(blocks, Math.ceil(isl / bs));
    let run = 0;
    while (run < limit) {
      const k = keys[run] as number;
      if (isPartialKey(k) || !this.pool.containsIn(keys, run)) break;
      run++;
    }
    return Math.min(run * bs, isl);
  }

  /**
   * True while waiting request s must not be scheduled because its KV is coming in from a lower tier
   * (docs/design.md#kv-tiers). A request with nothing computed looks first: when its prefix hit runs on from
   * the GPU into host or disk blocks, onboarding starts now.
   */
  private awaitsOnboarding(s: number, nowMs: number): boolean {
    const slots = this.slots;
    if ((slots.onboardedTokens[s] as number) > 0) return (slots.readyAtMs[s] as number) > nowMs;
    if (slots.computed[s] !== 0) return false;
    return this.startOnboarding(s, nowMs);
  }

  /**
   * Onboarding of request s (nothing computed): its prefix hit is a run of GPU blocks [0, r1) followed by a run
   * of host/disk blocks [r1, r). The lower blocks leave their tiers, the request takes GPU blocks for the whole
   * hit at once — only free or evictable ones: onboarding never preempts, and lower blocks beyond what fits stay
   * where they are (their tokens are computed) — and counts the hit as computed; it may be scheduled once the
   * transfers land. Returns true when it must wait for them. While it waits, a request short of blocks takes them
   * back before it preempts anyone (releaseWaitingHolder).
   */
  private startOnboarding(s: number, nowMs: number): boolean {
    const slots = this.slots;
    const pool = this.pool;
    const tiers = this.tiers as KvTierChain;
    const bs = this.blockSize;
    const keys = slots.keys[s] as Float64Array;
    const limit = Math.floor((slots.isl[s] as number) / bs);
    let r1 = 0;
    let pinned = 0; // inactive GPU hits: reactivated, so no longer evictable
    while (r1 < limit) {
      const ref = pool.refCountIn(keys, r1);
      if (ref < 0) break;
      if (ref === 0) pinned++;
      r1++;
    }
    const room = pool.freeCount + pool.inactiveCount - pinned;
    let r = r1;
    let hostBlocks = 0;
    let diskBlocks = 0;
    while (r < limit && r - r1 < room) {
      const tier = tiers.tierIn(keys, r);
      if (tier === KvTier.Host) hostBlocks++;
      else if (tier === KvTier.Disk) diskBlocks++;
      else break;
      r++;
    }
    if (r === r1) return false;
    for (let j = r1; j < r; j++) tiers.takeIn(keys, j);
    const got = pool.use(keys, 0, r, undefined, slots.poolSlots[s] as Int32Array);
    if (got !== r) throw new Error(`onboarding took ${got} of ${r} GPU blocks although ${room} were free`);
    slots.held[s] = r;
    slots.computed[s] = r * bs;
    const readyMs = tiers.scheduleOnboarding(nowMs, hostBlocks, diskBlocks);
    slots.readyAtMs[s] = readyMs;
    slots.onboardedTokens[s] = r * bs;
    slots.hostTokens[s] = hostBlocks * bs;
    slots.diskTokens[s] = diskBlocks * bs;
    slots.onboardMs[s] = readyMs - nowMs;
    (this.out as PassResult).pushWake(readyMs);
    return readyMs > nowMs;
  }

  /** Step 4 of docs/design.md#engine-pass for slot `s`; sets lastCached and lastTokensUsed on SCHEDULED. */
  private schedule(s: number, fromWaiting: boolean): number {
    const slots = this.slots;
    const bs = this.blockSize;
    const computed = slots.computed[s] as number;
    const cached = computed === 0 ? this.cachedTokens(s) : 0;
    const isl = slots.isl[s] as number;
    const len = isl + (slots.generated[s] as number);
    const before = computed + cached;
    const promptBefore = Math.min(before, isl);
    const remaining = len - before;
    const promptRemaining = isl - promptBefore;
    const budget = this.budget;
    if (!this.chunkedPrefill && promptRemaining > budget) return BLOCKED;
    const desired = Math.min(remaining, budget);
    if (desired === 0 && remaining > 0) return BLOCKED;
    const target = before + desired;
    // Decode steps and chunks inside held blocks need no allocation (the common case: skip the division).
    const needBlocks = target <= (slots.held[s] as number) * bs ? 0 : Math.ceil(target / bs);
    const keys = slots.keys[s] as Float64Array;
    for (;;) {
      const held = slots.held[s] as number;
      if (held >= needBlocks) break;
      const got = this.pool.use(keys, held, needBlocks, undefined, slots.poolSlots[s] as Int32Array);
      const nowHeld = held + got;
      slots.held[s] = nowHeld;
      if (nowHeld >= needBlocks) break;
      // Short allocation: keep what was obtained (docs/design.md#engine-pass), then free a victim's blocks
      // and retry.
      const obtainedTokens = nowHeld * bs;
      slots.computed[s] = Math.min(target, obtainedTokens);
      // With tiers, blocks held by a request that only waits (for its transfer) go back before any running
      // request is preempted: a wasted transfer costs less than a recomputed prefill.
      if (this.tiers !== null && this.releaseWaitingHolder(s)) continue;
      const victim = this.pickVictimIndex();
      if (victim < 0) return BLOCKED;
      const victimSlot = this.running.items[victim] as number;
      this.preempt(victim);
      if (victimSlot === s) return CURRENT_PREEMPTED;
    }
    const after = target;
    const tokensUsed = after - before;
    if (tokensUsed === 0 && after !== len) return BLOCKED;
    slots.computed[s] = after;
    const promptTokens = Math.min(after, isl) - promptBefore;
    slots.entry[s] = this.work.push(s, tokensUsed, promptTokens, promptBefore, isl, len);
    if (fromWaiting) {
      this.waiting.remove(s);
      slots.status[s] = SlotStatus.Running;
      this.running.push(s);
    }
    this.budget -= tokensUsed; // after any refunds from victims preempted above
    this.lastCached = cached;
    this.lastTokensUsed = tokensUsed;
    return SCHEDULED;
  }

  /**
   * With lower tiers, requests waiting for onboarded KV hold GPU blocks without running (startOnboarding). A
   * request short of blocks (an allocation or a decode block) takes them back before it preempts a running
   * request (docs/design.md#kv-tiers): otherwise two onboarded requests that together pinned the pool would wait
   * for each other forever, and the only running request would preempt itself in zero-time passes while a
   * re-onboarding took its decode block again. This frees the blocks of the waiting request furthest back (other
   * than s) that holds any: they stay cached (inactive, most recently freed) and the request forgets its
   * onboarding, so when its turn comes it looks for its hit again, in the GPU first. It never ran, so this is not a
   * preemption; a transfer already queued for it keeps its place on the link. Returns false when no other waiting
   * request holds blocks. Never called without tiers, whose behaviour stays the reference's.
   */
  private releaseWaitingHolder(s: number): boolean {
    const slots = this.slots;
    for (let k = this.waiting.size - 1; k >= 0; k--) {
      const w = this.waiting.at(k);
      const held = slots.held[w] as number;
      if (w === s || held === 0) continue;
      this.pool.derefSlots(slots.poolSlots[w] as Int32Array, 0, held);
      slots.held[w] = 0;
      slots.computed[w] = 0;
      slots.clearOnboarding(w);
      return true;
    }
    return false;
  }

  /** Index in `running` of the next victim: the newest (LIFO) or the oldest (FIFO); −1 when none. */
  private pickVictimIndex(): number {
    const n = this.running.count;
    if (n === 0) return -1;
    return this.lifo ? n - 1 : 0;
  }

  /** Recompute preemption: free every block tail-first, forget computed tokens (keep generated ones),
   * refund this pass's scheduled work, and put the request at the front of the waiting queue. */
  private preempt(runningIndex: number): void {
    const slots = this.slots;
    const v = this.running.items[runningIndex] as number;
    this.running.removeAt(runningIndex);
    this.pool.derefSlots(slots.poolSlots[v] as Int32Array, 0, slots.held[v] as number);
    slots.held[v] = 0;
    slots.computed[v] = 0;
    slots.status[v] = SlotStatus.Preempted;
    slots.clearOnboarding(v);
    slots.preemptions[v] = (slots.preemptions[v] as number) + 1;
    this.waiting.pushFront(v);
    this.preemptedAny = true;
    const e = slots.entry[v] as number;
    if (e >= 0) this.budget += this.work.kill(e);
    (this.out as PassResult).pushPreempt(slots.requestId[v] as number);
  }

  /** Step 7: emits the ready requests' tokens; sets passDecodeMs (0 when nothing was decoded). Returning the
   * time instead would box a double per pass. */
  private decodeReady(): void {
    this.passDecodeMs = 0;
    const slots = this.slots;
    const running = this.running;
    if (this.ready.length < running.count) this.ready = new Int32Array(running.count * 2);
    const ready = this.ready;
    let readyCount = 0;
    let sumLen = 0;
    for (let k = 0; k < running.count; k++) {
      const s = running.items[k] as number;
      const len = (slots.isl[s] as number) + (slots.generated[s] as number);
      if (slots.computed[s] === len && (slots.generated[s] as number) < (slots.maxOut[s] as number)) {
        ready[readyCount++] = s;
        sumLen += len;
      }
    }
    if (readyCount === 0) return;
    let decodeMs = 0;
    if (!this.prefillRole) {
      // p is the KV fill after this pass's prefill allocations, before the new decode blocks
      // (docs/design.md#engine-pass).
      const bs = this.blockSize;
      const activeKv = this.pool.activeCount * bs;
      const totalKv = this.capacityBlocks * bs;
      const ctx = Math.floor(sumLen / readyCount);
      decodeMs = this.passTime.decodeMs(readyCount, activeKv, ctx, totalKv) / this.decodeScale;
    }
    const out = this.out as PassResult;
    let emitted = 0;
    for (let r = 0; r < readyCount; r++) {
      const s = ready[r] as number;
      if (slots.status[s] !== SlotStatus.Running) continue; // preempted earlier in this loop
      let ok = this.generate(s);
      while (!ok) {
        if (this.tiers !== null && this.releaseWaitingHolder(s)) {
          ok = this.generate(s);
          continue;
        }
        const victim = this.pickVictimIndex();
        if (victim < 0) break;
        const victimSlot = running.items[victim] as number;
        this.preempt(victim);
        if (victimSlot === s) break;
        ok = this.generate(s);
      }
      if (!ok) continue;
      emitted++;
      const requestId = slots.requestId[s] as number;
      if (slots.generated[s] === slots.maxOut[s]) {
        out.pushToken(requestId, true, this.prefillRole ? this.handoffMs(slots.isl[s] as number) : 0);
        this.complete(s);
      } else {
        out.pushToken(requestId, false, 0);
      }
    }
    // When no ready request obtained its decode block, nothing was decoded (docs/design.md#engine-pass).
    if (emitted > 0) this.passDecodeMs = decodeMs;
  }

  /** generate(): appends one token; a token that starts a new block promotes the previous partial block and
   * takes a fresh partial one. Returns false (and undoes the token) when that block cannot be allocated. */
  private generate(s: number): boolean {
    const slots = this.slots;
    const bs = this.blockSize;
    const oldLen = (slots.isl[s] as number) + (slots.generated[s] as number);
    if (oldLen % bs === 0) {
      const b = oldLen / bs;
      const keys = slots.keys[s] as Float64Array;
      if (b > 0) {
        const prev = keys[b - 1] as number;
        if (isPartialKey(prev)) {
          const id = this.nextGeneratedId--;
          (slots.poolSlots[s] as Int32Array)[b - 1] = this.pool.promote(
            prev,
            id,
            b >= 2 ? (keys[b - 2] as number) : Number.NaN,
          );
          keys[b - 1] = id;
        }
      }
      keys[b] = PARTIAL_KEY_BASE - this.nextPartialSerial++;
      if (this.pool.use(keys, b, b + 1, undefined, slots.poolSlots[s] as Int32Array) === 0) return false;
      slots.held[s] = b + 1;
    }
    slots.generated[s] = (slots.generated[s] as number) + 1;
    return true;
  }

  /** The request emitted its last token: release its blocks tail-first and its slot. */
  private complete(s: number): void {
    const slots = this.slots;
    this.pool.derefSlots(slots.poolSlots[s] as Int32Array, 0, slots.held[s] as number);
    slots.held[s] = 0;
    this.running.removeAt(this.running.indexOf(s));
    this.inFlightWorkTokens -= (slots.isl[s] as number) + (slots.maxOut[s] as number);
    slots.release(s); // its scheduled entry stays live for the snapshot; entry[s] is cleared at pass end
    this.inFlight--;
  }

  private handoffMs(isl: number): number {
    return this.handoffPriced ? kvHandoffMs(isl, this.bandwidthGBps, this.bytesPerToken) : 0;
  }
}
