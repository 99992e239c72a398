// Applying the planner's decisions to the simulation (docs/design.md#applying-decisions) and the log of
// scaling events. Decisions are absolute targets; a component without an opinion (null) is held at its active
// count. Applying a target resizes the pool at the tick's virtual time (pending startups are cancelled first,
// then the highest ids drain, docs/design.md#scaling-a-pool). The pending target stays `expected` until the
// active count reaches it.

import type { ScalingDecision } from "../planner/types.js";
import type { ScalingEvent } from "../report/planner-result.js";
import type { StageName } from "../signals/stages.js";
import type { StageLayout } from "./planner-simulation.js";
import type { PendingTargets } from "./tick-input.js";

/** Targets for ClusterSimulation.applyScaling (agg: the decode target sizes the aggregated pool). */
export interface ScalingTargets {
  readonly prefill: number;
  readonly decode: number;
}

export class ScalingLog {
  readonly events: ScalingEvent[] = [];
  private readonly layout: StageLayout;
  private pendingPrefill: number | null = null;
  private pendingDecode: number | null = null;

  constructor(layout: StageLayout) {
    this.layout = layout;
  }

  get pending(): PendingTargets {
    return { prefill: this.pendingPrefill, decode: this.pendingDecode };
  }

  /** A pending target is reached once the active count equals it. */
  clearReached(activePrefill: number | null, activeDecode: number): void {
    if (this.pendingPrefill !== null && activePrefill === this.pendingPrefill) this.pendingPrefill = null;
    if (this.pendingDecode !== null && activeDecode === this.pendingDecode) this.pendingDecode = null;
  }

  /**
   * The targets to apply for a decision, or null when they equal the active counts. Logs one event per
   * component that changes and records it as pending. A component held at its active count has any pending
   * target dropped: applying its active count cancels the startups that target was waiting for.
   */
  plan(
    decision: ScalingDecision,
    activePrefill: number | null,
    activeDecode: number,
    atS: number,
  ): ScalingTargets | null {
    const hasPrefill = this.layout.prefillStage !== null && activePrefill !== null;
    const prefillNow = hasPrefill ? (activePrefill as number) : 0;
    const targetPrefill = hasPrefill ? (decision.numPrefill ?? prefillNow) : 0;
    const targetDecode = decision.numDecode ?? activeDecode;
    if (targetPrefill === prefillNow && targetDecode === activeDecode) return null;
    if (hasPrefill) this.pendingPrefill = this.record("prefill", prefillNow, targetPrefill, atS);
    this.pendingDecode = this.record(this.layout.decodeComponent, activeDecode, targetDecode, atS);
    return { prefill: targetPrefill, decode: targetDecode };
  }

  private record(component: StageName, from: number, to: number, atS: number): number | null {
    if (from === to) return null;
    this.events.push({
      atS,
      component,
      fromCount: from,
      toCount: to,
      reason: to > from ? "scale_up" : "scale_down",
    });
    return to;
  }
}
