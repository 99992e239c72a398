// Does a set of arrival windows meet the SLA attainment target? Decided as early as the simulation allows, and
// exactly: the verdict is the one a run to the end would give, so a trial can stop as soon as it is known.
//
// Per request (TTFT = first token − arrival; mean ITL = (last − first)/(n − 1) over requests with n ≥ 2 output
// tokens; both inclusive, as replay/sla-attainment.ts):
//   TTFT met      once its first token is recorded with TTFT ≤ SLA
//   TTFT missed   once it is recorded above the SLA, or, with none yet, when now − arrival > SLA (any later
//                 token comes at or after now)
//   ITL decided   once all n tokens are recorded; missed early when (max(now, last) − first)/(n − 1) > SLA
//                 (the last token cannot come before now)
// A window of N requests (N₂ with n ≥ 2) meets the target when met/N ≥ target for TTFT and met₂/N₂ ≥ target for
// ITL: it passes once met ≥ need(N) and fails once missed > N − need(N), need(N) = the least m with m/N ≥ target.

import type { RequestCollector } from "../../sim/collector.js";

export interface SlaTarget {
  readonly ttftMs: number;
  readonly itlMs: number;
  /** Share of requests that must meet each SLA, in (0, 1]. */
  readonly attainment: number;
}

/** The least m in [0, n] with m / n ≥ target (0 for n = 0), in the same float arithmetic as the report. */
export function needed(n: number, target: number): number {
  if (n === 0) return 0;
  let m = Math.min(n, Math.ceil(target * n));
  while (m > 0 && (m - 1) / n >= target) m--;
  while (m < n && m / n < target) m++;
  return m;
}

export type Verdict = "pass" | "fail" | "open";

/** Why a group failed (or is failing): which SLA. */
export interface GroupState {
  readonly verdict: Verdict;
  readonly ttftShort: boolean;
  readonly itlShort: boolean;
}

/** Judges groups of requests (one per arrival window) against the target. */
export class WindowJudge {
  private readonly ids: Int32Array;
  private readonly group: Int32Array;
  private readonly groups: number;
  private readonly sla: SlaTarget;
  private readonly outputTokens: Uint32Array;

  /** `ids[i]` belongs to group `group[i]` (0 ≤ group < groups). */
  constructor(ids: Int32Array, group: Int32Array, groups: number, sla: SlaTarget, outputTokens: Uint32Array) {
    this.ids = ids;
    this.group = group;
    this.groups = groups;
    this.sla = sla;
    this.outputTokens = outputTokens;
  }

  /** Every group's state at `nowMs` (the simulation advanced to it). */
  judge(c: RequestCollector, nowMs: number): GroupState[] {
    const g = this.groups;
    const n = new Int32Array(g);
    const n2 = new Int32Array(g);
    const tMet = new Int32Array(g);
    const tMiss = new Int32Array(g);
    const iMet = new Int32Array(g);
    const iMiss = new Int32Array(g);
    const { ttftMs, itlMs } = this.sla;
    for (let i = 0; i < this.ids.length; i++) {
      const id = this.ids[i] as number;
      const k = this.group[i] as number;
      const arrival = c.arrivalMs[id] as number;
      const first = c.firstTokenMs[id] as number;
      const osl = this.outputTokens[id] as number;
      n[k] = (n[k] as number) + 1;
      if (!Number.isNaN(first)) {
        if (Math.max(0, first - arrival) <= ttftMs) tMet[k] = (tMet[k] as number) + 1;
        else tMiss[k] = (tMiss[k] as number) + 1;
      } else if (nowMs - arrival > ttftMs) tMiss[k] = (tMiss[k] as number) + 1;
      if (osl < 2) continue;
      n2[k] = (n2[k] as number) + 1;
      if (Number.isNaN(first)) continue;
      const last = c.lastTokenMs[id] as number;
      if ((c.tokenCount[id] as number) >= osl) {
        if ((last - first) / (osl - 1) <= itlMs) iMet[k] = (iMet[k] as number) + 1;
        else iMiss[k] = (iMiss[k] as number) + 1;
      } else if ((Math.max(nowMs, last) - first) / (osl - 1) > itlMs) iMiss[k] = (iMiss[k] as number) + 1;
    }
    const out: GroupState[] = [];
    for (let k = 0; k < g; k++) {
      const nt = n[k] as number;
      const ni = n2[k] as number;
      const needT = needed(nt, this.sla.attainment);
      const needI = needed(ni, this.sla.attainment);
      const ttftShort = (tMiss[k] as number) > nt - needT;
      const itlShort = (iMiss[k] as number) > ni - needI;
      const passed = (tMet[k] as number) >= needT && (iMet[k] as number) >= needI;
      out.push({
        verdict: ttftShort || itlShort ? "fail" : passed ? "pass" : "open",
        ttftShort,
        itlShort,
      });
    }
    return out;
  }
}
