import type { EngineArgs } from "../../src/sim/engine/engine-args.js";
import type { PassTimeModel } from "../../src/sim/engine/pass-time-model.js";
import { tooLargeError } from "../../src/sim/engine/scheduler.js";
import type { RequestTable } from "../../src/sim/request-table.js";
import { type RefBlock, ReferenceKvManager, type RefKvEvent } from "./reference-kv-manager.js";

/**
 * A slow, obviously correct mock vLLM engine (docs/design.md#engines), written straight from the reference's
 * behaviour with one object per request, arrays and Maps. It exists to cross-check the fast engine on small
 * random workloads: both must produce identical per-request records, pass times, KV events and snapshots.
 */
type Role = "aggregated" | "prefill" | "decode";
type Outcome = "scheduled" | "blocked" | "current-preempted";

class RefSequence {
  generated = 0;
  /** Blocks [0, allocated) are referenced in the KV manager. */
  allocated = 0;
  computed = 0;
  status: "waiting" | "running" | "preempted" = "waiting";
  preemptions = 0;

  readonly requestId: number;
  readonly promptLength: number;
  readonly maxOutput: number;
  readonly blocks: RefBlock[];

  constructor(requestId: number, promptLength: number, maxOutput: number, blocks: RefBlock[]) {
    this.requestId = requestId;
    this.promptLength = promptLength;
    this.maxOutput = maxOutput;
    this.blocks = blocks;
  }

  get length(): number {
    return this.promptLength + this.generated;
  }
}

interface RefWork {
  readonly total: number;
  readonly prompt: number;
  readonly prefix: number;
  readonly promptLength: number;
  readonly sequenceLength: number;
}

export interface RefPassResult {
  readonly startMs: number;
  readonly endMs: number;
  readonly madeProgress: boolean;
  readonly admissions: { requestId: number; reusedTokens: number }[];
  readonly tokens: { requestId: number; completed: boolean; handoffMs: number }[];
  readonly preempted: number[];
  readonly events: RefKvEvent[];
  /** Forward-pass snapshot in FPM_LAYOUT order. */
  readonly fpm: number[];
  /** Tokens the pass computed (its scheduled work, preempted victims' refunded). */
  readonly scheduledTokens: number;
}

function isPartial(block: RefBlock | undefined): boolean {
  return typeof block === "object" && block.kind === "partial";
}

function hashOrNull(block: RefBlock | undefined): number | null {
  return typeof block === "number" ? block : null;
}

/** [count, Σx, population variance] by Welford's method, in the order given. */
function welford(values: readonly number[]): [number, number, number] {
  let n = 0;
  let sum = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of values) {
    n++;
    sum += x;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  return [n, sum, n > 0 ? m2 / n : 0];
}

export class ReferenceEngine {
  private readonly role: Role;
  private readonly args: EngineArgs;
  private readonly passTime: PassTimeModel;
  private readonly requests: RequestTable;
  private readonly kv: ReferenceKvManager;
  private readonly waiting: RefSequence[] = [];
  private readonly running: RefSequence[] = [];
  private nextGeneratedId = -1;
  private live = 0;
  // Per-pass state.
  private budget = 0;
  private preemptedAny = false;
  private scheduled = new Map<RefSequence, RefWork>();
  private preemptedIds: number[] = [];

  constructor(options: { role: Role; args: EngineArgs; passTime: PassTimeModel; requests: RequestTable }) {
    this.role = options.role;
    this.args = options.args;
    this.passTime = options.passTime;
    this.requests = options.requests;
    this.kv = new ReferenceKvManager(options.args.num_gpu_blocks);
  }

  get inFlight(): number {
    return this.live;
  }

  /** Σ (prompt + output cap) over the requests waiting or running. */
  get inFlightWorkTokens(): number {
    let sum = 0;
    for (const seq of [...this.waiting, ...this.running]) sum += seq.promptLength + seq.maxOutput;
    return sum;
  }

  hasWork(): boolean {
    return this.waiting.length > 0 || this.running.length > 0;
  }

  get activeBlocks(): number {
    return this.kv.active.size;
  }

  get inactiveBlocks(): number {
    return this.kv.inactive.size;
  }

  /** A full block with this hash (or generated id) is resident, active or inactive. */
  holdsFullBlock(hash: number): boolean {
    return this.kv.isCached(hash);
  }

  /** Resident blocks with a number identity (prompt hashes and generated ids). */
  residentFullBlockCount(): number {
    let n = 0;
    for (const b of this.kv.active.keys()) if (typeof b === "number") n++;
    for (const b of this.kv.inactive.keys()) if (typeof b === "number") n++;
    return n;
  }

  enqueue(requestId: number): void {
    const bs = this.args.block_size;
    const isl = this.requests.islTokens[requestId] as number;
    const maxOutput =
      this.role === "prefill" ? 1 : Math.max(1, this.requests.maxOutputTokens[requestId] as number);
    if (Math.ceil((isl + maxOutput) / bs) > this.args.num_gpu_blocks) {
      throw tooLargeError(requestId, isl, maxOutput, bs, this.args.num_gpu_blocks);
    }
    const blocks: RefBlock[] = [];
    const full = Math.floor(isl / bs);
    if (this.args.enable_prefix_caching) {
      const hashes = this.requests.materialize(requestId);
      for (let j = 0; j < full; j++) blocks.push(hashes[j] as number);
    } else {
      for (let j = 0; j < full; j++) blocks.push({ kind: "private" });
    }
    if (isl % bs !== 0) blocks.push({ kind: "partial" });
    this.waiting.push(new RefSequence(requestId, isl, maxOutput, blocks));
    this.live++;
  }

  executePass(nowMs: number): RefPassResult {
    const bs = this.args.block_size;
    this.kv.events = this.args.enable_prefix_caching ? [] : null;
    this.kv.changed = false;
    this.budget = this.args.max_num_batched_tokens ?? Number.POSITIVE_INFINITY;
    this.preemptedAny = false;
    this.scheduled = new Map();
    this.preemptedIds = [];
    const admissions: RefPassResult["admissions"] = [];
    const tokens: RefPassResult["tokens"] = [];

    let i = 0;
    while (i < this.running.length && this.budget > 0) {
      const outcome = this.schedule(this.running[i] as RefSequence, false);
      if (outcome.result === "scheduled") i++;
      else if (outcome.result === "blocked") break;
    }

    while (!this.preemptedAny && this.running.length < this.args.max_num_seqs && this.waiting.length > 0) {
      const seq = this.waiting[0] as RefSequence;
      const outcome = this.schedule(seq, true);
      if (outcome.result !== "scheduled") break;
      admissions.push({ requestId: seq.requestId, reusedTokens: outcome.cached });
      if (outcome.tokensUsed === 0 && this.budget === 0) break;
    }

    const prefills = [...this.scheduled.values()].filter((w) => w.prompt > 0);
    let prefillMs = 0;
    if (this.role !== "decode" && prefills.length > 0) {
      const b = prefills.length;
      const meanIsl = Math.floor(prefills.reduce((a, w) => a + w.prefix + w.prompt, 0) / b);
      const meanPrefix = Math.floor(prefills.reduce((a, w) => a + w.prefix, 0) / b);
      if (meanIsl > meanPrefix) {
        prefillMs = this.passTime.prefillMs(b, meanIsl, meanPrefix);
        if (this.args.speedup_ratio > 0) prefillMs /= this.args.speedup_ratio;
      }
    }
    const decodeStartMs = nowMs + prefillMs;

    const ready = this.running.filter((s) => s.computed === s.length && s.generated < s.maxOutput);
    let decodeMs = 0;
    if (ready.length > 0 && this.role !== "prefill") {
      const ctx = Math.floor(ready.reduce((a, s) => a + s.length, 0) / ready.length);
      decodeMs = this.passTime.decodeMs(
        ready.length,
        this.kv.active.size * bs,
        ctx,
        this.args.num_gpu_blocks * bs,
      );
      const scale = this.args.speedup_ratio * this.args.decode_speedup_ratio;
      if (scale > 0) decodeMs /= scale;
    }
    for (const seq of ready) {
      if (seq.status !== "running") continue;
      let emitted = false;
      for (;;) {
        if (this.tryGenerate(seq)) {
          emitted = true;
          break;
        }
        const victim = this.pickVictim();
        if (victim === undefined) break;
        this.preempt(victim);
        if (victim === seq) break;
      }
      if (!emitted) continue;
      const completed = seq.generated === seq.maxOutput;
      tokens.push({ requestId: seq.requestId, completed, handoffMs: completed ? this.handoffMs(seq) : 0 });
      if (completed) {
        this.kv.deref(seq.blocks.slice(0, seq.allocated).reverse());
        seq.allocated = 0;
        this.running.splice(this.running.indexOf(seq), 1);
        this.live--;
      }
    }
    if (tokens.length === 0) decodeMs = 0;
    const endMs = decodeStartMs + decodeMs;
    const scheduledTokens = [...this.scheduled.values()].reduce((a, w) => a + w.total, 0);
    return {
      startMs: nowMs,
      endMs,
      madeProgress:
        admissions.length > 0 ||
        tokens.length > 0 ||
        this.preemptedIds.length > 0 ||
        scheduledTokens > 0 ||
        this.kv.changed ||
        endMs !== nowMs,
      admissions,
      tokens,
      preempted: this.preemptedIds,
      events: this.kv.events ?? [],
      fpm: this.snapshot((endMs - nowMs) / 1000),
      scheduledTokens,
    };
  }

  private prefixCachedTokens(seq: RefSequence): number {
    let run = 0;
    for (const block of seq.blocks) {
      if (isPartial(block) || !this.kv.isCached(block)) break;
      run++;
    }
    return Math.min(run * this.args.block_size, seq.promptLength);
  }

  private schedule(
    seq: RefSequence,
    fromWaiting: boolean,
  ): { result: Outcome; cached: number; tokensUsed: number } {
    const bs = this.args.block_size;
    const cached = seq.computed === 0 ? this.prefixCachedTokens(seq) : 0;
    const before = seq.computed + cached;
    const promptBefore = Math.min(before, seq.promptLength);
    const remaining = seq.length - before;
    const promptRemaining = seq.promptLength - promptBefore;
    const blocked = { result: "blocked" as const, cached, tokensUsed: 0 };
    if (!this.args.enable_chunked_prefill && promptRemaining > this.budget) return blocked;
    const desired = Math.min(remaining, this.budget);
    if (desired === 0 && remaining > 0) return blocked;
    const target = before + desired;
    for (;;) {
      const wanted = seq.blocks.slice(seq.allocated, Math.ceil(target / bs));
      if (wanted.length === 0) break;
      const got = this.kv.use(wanted, seq.allocated > 0 ? hashOrNull(seq.blocks[seq.allocated - 1]) : null);
      seq.allocated += got;
      if (got === wanted.length) break;
      seq.computed = Math.min(target, seq.allocated * bs);
      const victim = this.pickVictim();
      if (victim === undefined) return blocked;
      this.preempt(victim);
      if (victim === seq) return { result: "current-preempted", cached, tokensUsed: 0 };
    }
    const tokensUsed = target - before;
    if (tokensUsed === 0 && target !== seq.length) return blocked;
    seq.computed = target;
    this.scheduled.set(seq, {
      total: tokensUsed,
      prompt: Math.min(target, seq.promptLength) - promptBefore,
      prefix: promptBefore,
      promptLength: seq.promptLength,
      sequenceLength: seq.length,
    });
    if (fromWaiting) {
      this.waiting.splice(this.waiting.indexOf(seq), 1);
      seq.status = "running";
      this.running.push(seq);
    }
    this.budget -= tokensUsed;
    return { result: "scheduled", cached, tokensUsed };
  }

  private pickVictim(): RefSequence | undefined {
    return this.args.preemption_mode === "lifo" ? this.running.at(-1) : this.running[0];
  }

  private preempt(victim: RefSequence): void {
    this.kv.deref(victim.blocks.slice(0, victim.allocated).reverse());
    victim.allocated = 0;
    victim.computed = 0;
    victim.status = "preempted";
    victim.preemptions++;
    this.running.splice(this.running.indexOf(victim), 1);
    this.waiting.unshift(victim);
    this.preemptedAny = true;
    const work = this.scheduled.get(victim);
    if (work !== undefined) {
      this.budget += work.total;
      this.scheduled.delete(victim);
    }
    this.preemptedIds.push(victim.requestId);
  }

  /** generate() and its KV signals; on a failed Use the token is popped again and false returned. */
  private tryGenerate(seq: RefSequence): boolean {
    const bs = this.args.block_size;
    seq.generated++;
    const startsBlock = (seq.length - 1) % bs === 0;
    if (!startsBlock) return true;
    const blocks = seq.blocks;
    if (blocks.length > 0 && isPartial(blocks.at(-1))) {
      const partial = blocks.at(-1) as RefBlock;
      const full = this.nextGeneratedId--;
      blocks[blocks.length - 1] = full;
      this.kv.promote(partial, full, blocks.length >= 2 ? hashOrNull(blocks.at(-2)) : null);
    }
    const fresh: RefBlock = { kind: "partial" };
    blocks.push(fresh);
    if (this.kv.use([fresh], hashOrNull(blocks.at(-2))) === 1) {
      seq.allocated = blocks.length;
      return true;
    }
    // pop(): undo the token; the block it started goes with it.
    seq.generated--;
    if (seq.length % bs === 0) blocks.pop();
    return false;
  }

  private handoffMs(seq: RefSequence): number {
    const bw = this.args.kv_transfer_bandwidth;
    const bytes = this.args.kv_bytes_per_token;
    if (this.role !== "prefill" || bw === null || bytes === null) return 0;
    return ((seq.promptLength * bytes) / (bw * 1e9)) * 1000;
  }

  private snapshot(wallTimeS: number): number[] {
    const works = [...this.scheduled.values()];
    const prefills = works.filter((w) => w.prompt > 0);
    const decodes = works.filter((w) => w.prompt === 0);
    const [np, , varP] = welford(prefills.map((w) => w.promptLength));
    const [nd, sumD, varD] = welford(decodes.map((w) => w.sequenceLength));
    const queuedPrefill = this.waiting.filter((s) => s.status !== "preempted").map((s) => s.promptLength);
    const queuedDecode = this.waiting.filter((s) => s.status === "preempted").map((s) => s.length);
    const [nqp, sumQp, varQp] = welford(queuedPrefill);
    const [nqd, sumQd, varQd] = welford(queuedDecode);
    const sumPrefillTokens = prefills.reduce((a, w) => a + w.total, 0);
    const sumPrefillKv = prefills.reduce((a, w) => a + w.prefix, 0);
    return [
      wallTimeS,
      np,
      sumPrefillTokens,
      varP,
      sumPrefillKv,
      nd,
      sumD,
      varD,
      nqp,
      sumQp,
      varQp,
      nqd,
      sumQd,
      varQd,
    ];
  }
}
