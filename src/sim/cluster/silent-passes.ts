import { EventHeap } from "../../../native-free-kernels/heap.js";
import type { RequestCollector } from "../collector.js";
import type { PassResult } from "../engine/pass-result.js";
import type { ClusterEngine } from "./cluster-engine.js";
import type { Stage } from "./stage.js";

/**
 * The loop's shortcut for silent decode passes (the bulk of a light-load replay: ~1.5 tokens per pass).
 *
 * A silent pass (ClusterEngine.silentPassesAhead) changes nothing anyone outside its engine can see except the
 * tokens it emits: no KV event, admission, preemption, completion or first token. Its completion would only
 * hand tokens to the collector and start the worker's next pass at the same instant. So when a worker with
 * only silent passes ahead becomes idle at time t, the loop runs them back to back on the spot, recording each
 * pass's tokens at its end time, instead of one heap round trip per pass — as long as nothing could have sent
 * the worker a request in between. The run's last pass (the one ending at or after the horizon, or the last
 * silent one) completes through the heap like any pass, so the next non-silent pass starts in order.
 *
 * Horizon = the earliest time anything could enqueue to a worker of the stage:
 *   - the next release of the workload (every stage 0 worker is a candidate for an arrival);
 *   - decode stage: also every busy prefill worker's pass end (a prefill that completes hands its request to
 *     the decode router at once), every pending KV hand-off and every pending wake of a worker waiting for
 *     KV from a lower tier (its next pass may end in a hand-off);
 *   - now (no shortcut) while any router holds queued requests: a completion anywhere could drain them.
 * Passes are absorbed only if they end before the horizon and no later than advanceTo's target (so a planner
 * tick sees exactly the tokens emitted up to it). Open loops without multi-turn sessions only: elsewhere a
 * completion can release a request at any time. Results are identical to the pass-by-pass loop (the
 * fast-vs-reference cluster property runs the reference one pass at a time).
 */
export class SilentPassRunner {
  readonly enabled: boolean;
  private readonly handoffTimes: EventHeap;
  /** End times of the passes of the current run. */
  private endsMs: Float64Array;

  constructor(enabled: boolean) {
    this.enabled = enabled;
    this.handoffTimes = new EventHeap(16);
    this.endsMs = new Float64Array(128);
  }

  /** A decode hand-off event was scheduled at `atMs`. */
  onHandoffScheduled(atMs: number): void {
    this.handoffTimes.push(atMs, 0, 0);
  }

  /** A worker's wake (onboarded KV landing) was scheduled at `atMs`: like a hand-off, it bounds the horizon. */
  onWakeScheduled(atMs: number): void {
    this.handoffTimes.push(atMs, 0, 0);
  }

  /** The earliest pending hand-off or wake was handled (both are handled in time order). */
  onHandoffHandled(): void {
    this.handoffTimes.pop();
  }

  onWakeHandled(): void {
    this.handoffTimes.pop();
  }

  /** See the header: the earliest time a worker of `stage` could be sent a request (≤ nowMs: no shortcut). */
  horizonMs(stage: Stage, stages: readonly Stage[], nextReleaseMs: number, nowMs: number): number {
    for (let i = 0; i < stages.length; i++) if ((stages[i] as Stage).router.pendingCount > 0) return nowMs;
    let horizon = nextReleaseMs;
    if (stage.index === 1) {
      const prefill = (stages[0] as Stage).pool;
      for (let id = 0; id < prefill.idLimit; id++) {
        if (prefill.isBusy(id)) {
          const endMs = prefill.result(id).endMs;
          if (endMs < horizon) horizon = endMs;
        }
      }
      if (this.handoffTimes.size > 0 && this.handoffTimes.peekTime() < horizon)
        horizon = this.handoffTimes.peekTime();
    }
    return horizon;
  }

  /**
   * Runs up to `ahead` silent passes of `worker` from `startMs`. Every pass that ends before `horizonMs` and no
   * later than `untilMs` (except the last allowed one) completes on the spot: its tokens go to the collector at
   * its end. The final pass is written into `result` (its tokens, not completing, no KV events) for the caller
   * to complete through the heap. Returns the end time of the last pass completed on the spot (−∞: none).
   */
  run(
    worker: ClusterEngine,
    ahead: number,
    startMs: number,
    horizonMs: number,
    untilMs: number,
    collector: RequestCollector,
    result: PassResult,
  ): number {
    if (this.endsMs.length < ahead) this.endsMs = new Float64Array(Math.max(ahead, 2 * this.endsMs.length));
    const ends = this.endsMs;
    const passes = worker.runSilentPasses(startMs, ahead, horizonMs, untilMs, ends);
    const ids = worker.silentTokenIds;
    const n = worker.silentTokenCount;
    if (passes > 1) collector.onTokenRun(ids, n, ends, passes - 1);
    result.reset();
    for (let i = 0; i < n; i++) result.pushToken(ids[i] as number, false, 0);
    result.endMs = ends[passes - 1] as number;
    result.madeProgress = true;
    return passes > 1 ? (ends[passes - 2] as number) : Number.NEGATIVE_INFINITY;
  }
}
