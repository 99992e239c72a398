import { FPM_LAYOUT } from "../../signals/fpm-layout.js";
import { type ScheduledWork, Welford } from "./scheduled-work.js";
import { type SequenceSlots, type SlotDeque, SlotStatus } from "./sequence-slots.js";

/**
 * The forward-pass snapshot of one pass (docs/design.md#forward-pass-metrics): the live scheduled prefills
 * and decodes of the pass and the waiting queue after it, each group summarised by Welford (count, Σ,
 * population variance) in scheduling / queue order. Four Welford accumulators are reused pass after pass (no
 * allocation).
 */
export class FpmSnapshotter {
  private readonly prefill: Welford;
  private readonly decode: Welford;
  private readonly queuedPrefill: Welford;
  private readonly queuedDecode: Welford;

  constructor() {
    this.prefill = new Welford();
    this.decode = new Welford();
    this.queuedPrefill = new Welford();
    this.queuedDecode = new Welford();
  }

  fill(
    fpm: Float64Array,
    wallTimeS: number,
    work: ScheduledWork,
    slots: SequenceSlots,
    waiting: SlotDeque,
  ): void {
    const L = FPM_LAYOUT;
    const prefill = this.prefill;
    const decode = this.decode;
    const queuedPrefill = this.queuedPrefill;
    const queuedDecode = this.queuedDecode;
    prefill.reset();
    decode.reset();
    queuedPrefill.reset();
    queuedDecode.reset();
    let prefillTokens = 0;
    let prefillKvTokens = 0;
    for (let e = 0; e < work.count; e++) {
      if (work.live[e] === 0) continue;
      if ((work.prompt[e] as number) > 0) {
        prefill.add(work.promptLen[e] as number);
        prefillTokens += work.total[e] as number;
        prefillKvTokens += work.prefix[e] as number;
      } else {
        decode.add(work.seqLen[e] as number);
      }
    }
    for (let k = 0; k < waiting.size; k++) {
      const s = waiting.at(k);
      const isl = slots.isl[s] as number;
      if (slots.status[s] === SlotStatus.Preempted) queuedDecode.add(isl + (slots.generated[s] as number));
      else queuedPrefill.add(isl);
    }
    fpm[L.WALL_TIME_S] = wallTimeS;
    fpm[L.SCHED_NUM_PREFILL] = prefill.count;
    fpm[L.SCHED_SUM_PREFILL_TOKENS] = prefillTokens;
    fpm[L.SCHED_VAR_PREFILL_LENGTH] = prefill.variance;
    fpm[L.SCHED_SUM_PREFILL_KV_TOKENS] = prefillKvTokens;
    fpm[L.SCHED_NUM_DECODE] = decode.count;
    fpm[L.SCHED_SUM_DECODE_KV_TOKENS] = decode.sum;
    fpm[L.SCHED_VAR_DECODE_KV_TOKENS] = decode.variance;
    fpm[L.QUEUED_NUM_PREFILL] = queuedPrefill.count;
    fpm[L.QUEUED_SUM_PREFILL_TOKENS] = queuedPrefill.sum;
    fpm[L.QUEUED_VAR_PREFILL_LENGTH] = queuedPrefill.variance;
    fpm[L.QUEUED_NUM_DECODE] = queuedDecode.count;
    fpm[L.QUEUED_SUM_DECODE_KV_TOKENS] = queuedDecode.sum;
    fpm[L.QUEUED_VAR_DECODE_KV_TOKENS] = queuedDecode.variance;
  }
}
