import { FPM_LAYOUT } from "../../signals/fpm-layout.js";
import { KvEventLog } from "./kv-event-log.js";

/**
 * Everything one engine pass did (docs/design.md#engine-pass, step 7), reused pass after pass by its owner.
 *
 *   admit*  [admitCount]     requests scheduled from the waiting queue, with the prompt tokens they reused
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
    this.tokenCount = 0;
    this.preemptCount = 0;
    this.completedCount = 0;
    this.kvEvents.reset();
    this.fpm.fill(0);
  }

  pushAdmit(requestId: number, reusedTokens: number): void {
    if (this.admitCount === this.admitIds.length) {
      this.admitIds = growInt32(this.admitIds);
      this.admitReusedTokens = growFloat64(this.admitReusedTokens);
    }
    this.admitIds[this.admitCount] = requestId;
    this.admitReusedTokens[this.admitCount] = reusedTokens;
    this.admitCount++;
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
