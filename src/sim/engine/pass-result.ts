import { FPM_LAYOUT } from "../../signals/fpm-layout.js";
import { KvEventLog } from "./kv-event-log.js";

/**
 * Everything one engine pass did (docs/design.md#engine-pass, step 7), reused pass after pass by its owner.
 *
 *   admit*  [admitCount]     requests scheduled from the waiting queue, with the prompt tokens they reused
 *                            (all tiers), the parts of those onboarded from host / disk, and the onboarding
 *                            time (link wait + transfer, ms; docs/design.md#kv-tiers)
 *   wakeMs  [wakeCount]      when onboarding started in this pass lands: the cluster wakes the worker then
 *   token*  [tokenCount]     tokens emitted at endMs, in emission order; tokenCompleted 1 = the request finished
 *   preemptIds [preemptCount] victims of this pass (they went back to the waiting queue)
 *   kvEvents                 KV events of the pass; vLLM publishes them at the pass START
 *   fpm[FPM_LAYOUT.FIELD_COUNT] forward-pass snapshot
 *
 * Arrays double when full; reset() keeps them.
 */
export class PassResult {
  endMs: number;
  madeProgress: boolean;
  admitCount: number;
  admitIds: Int32Array;
  admitReusedTokens: Float64Array;
  admitHostTokens: Float64Array;
  admitDiskTokens: Float64Array;
  admitOnboardMs: Float64Array;
  wakeCount: number;
  wakeMs: Float64Array;
  tokenCount: number;
  tokenIds: Int32Array;
  tokenCompleted: Uint8Array;
  tokenHandoffMs: Float64Array;
  preemptCount: number;
  preemptIds: Int32Array;
  completedCount: number;
  readonly kvEvents: KvEventLog;
  readonly fpm: Float64Array;

  constructor(initialCapacity = 16) {
    const cap = Math.max(1, initialCapacity);
    this.endMs = 0;
    this.madeProgress = false;
    this.admitCount = 0;
    this.admitIds = new Int32Array(cap);
    this.admitReusedTokens = new Float64Array(cap);
    this.admitHostTokens = new Float64Array(cap);
    this.admitDiskTokens = new Float64Array(cap);
    this.admitOnboardMs = new Float64Array(cap);
    this.wakeCount = 0;
    this.wakeMs = new Float64Array(4);
    this.tokenCount = 0;
    this.tokenIds = new Int32Array(cap);
    this.tokenCompleted = new Uint8Array(cap);
    this.tokenHandoffMs = new Float64Array(cap);
    this.preemptCount = 0;
    this.preemptIds = new Int32Array(cap);
    this.completedCount = 0;
    this.kvEvents = new KvEventLog();
    this.fpm = new Float64Array(FPM_LAYOUT.FIELD_COUNT);
  }

  reset(): void {
    this.endMs = 0;
    this.madeProgress = false;
    this.admitCount = 0;
    this.wakeCount = 0;
    this.tokenCount = 0;
    this.preemptCount = 0;
    this.completedCount = 0;
    this.kvEvents.reset();
    this.fpm.fill(0);
  }

  /** An admission; hostTokens and diskTokens are the parts of reusedTokens onboarded from G2 / G3. */
  pushAdmit(requestId: number, reusedTokens: number, hostTokens = 0, diskTokens = 0, onboardMs = 0): void {
    if (this.admitCount === this.admitIds.length) {
      this.admitIds = growInt32(this.admitIds);
      this.admitReusedTokens = growFloat64(this.admitReusedTokens);
      this.admitHostTokens = growFloat64(this.admitHostTokens);
      this.admitDiskTokens = growFloat64(this.admitDiskTokens);
      this.admitOnboardMs = growFloat64(this.admitOnboardMs);
    }
    const a = this.admitCount++;
    this.admitIds[a] = requestId;
    this.admitReusedTokens[a] = reusedTokens;
    this.admitHostTokens[a] = hostTokens;
    this.admitDiskTokens[a] = diskTokens;
    this.admitOnboardMs[a] = onboardMs;
  }

  /** Onboarding started in this pass lands at atMs: the worker must get a pass then. */
  pushWake(atMs: number): void {
    if (this.wakeCount === this.wakeMs.length) this.wakeMs = growFloat64(this.wakeMs);
    this.wakeMs[this.wakeCount++] = atMs;
  }

  pushToken(requestId: number, completed: boolean, handoffMs: number): void {
    if (this.tokenCount === this.tokenIds.length) {
      this.tokenIds = growInt32(this.tokenIds);
      const done = new Uint8Array(this.tokenCompleted.length * 2);
      done.set(this.tokenCompleted);
      this.tokenCompleted = done;
      this.tokenHandoffMs = growFloat64(this.tokenHandoffMs);
    }
    this.tokenIds[this.tokenCount] = requestId;
    this.tokenCompleted[this.tokenCount] = completed ? 1 : 0;
    this.tokenHandoffMs[this.tokenCount] = handoffMs;
    this.tokenCount++;
    if (completed) this.completedCount++;
  }

  pushPreempt(requestId: number): void {
    if (this.preemptCount === this.preemptIds.length) this.preemptIds = growInt32(this.preemptIds);
    this.preemptIds[this.preemptCount++] = requestId;
  }
}

function growInt32(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function growFloat64(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
