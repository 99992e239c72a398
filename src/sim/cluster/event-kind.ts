/**
 * Kinds of events on the cluster's heap (kind field of EventHeap). The arg field carries a worker id or a
 * request id. Stage 0 is the aggregated or prefill pool, stage 1 the decode pool.
 */
export const ClusterEvent = {
  /** A worker's pass ends; arg = worker id. */
  PrefillOrAggCompletion: 1,
  DecodeCompletion: 2,
  /** A starting worker becomes ready; arg = worker id. */
  PrefillOrAggReady: 3,
  DecodeReady: 4,
  /** Disagg KV transfer finished; arg = request id. */
  DecodeHandoff: 5,
  /** KV onboarded from a lower tier landed (docs/design.md#kv-tiers): the worker may pass again; arg = worker id. */
  PrefillOrAggWake: 6,
  DecodeWake: 7,
} as const;
export type ClusterEventKind = (typeof ClusterEvent)[keyof typeof ClusterEvent];

export function completionEventOf(stageIndex: number): ClusterEventKind {
  return stageIndex === 0 ? ClusterEvent.PrefillOrAggCompletion : ClusterEvent.DecodeCompletion;
}

export function readyEventOf(stageIndex: number): ClusterEventKind {
  return stageIndex === 0 ? ClusterEvent.PrefillOrAggReady : ClusterEvent.DecodeReady;
}

export function wakeEventOf(stageIndex: number): ClusterEventKind {
  return stageIndex === 0 ? ClusterEvent.PrefillOrAggWake : ClusterEvent.DecodeWake;
}
