// The backlog of one pool at a planner tick: requests the router holds and requests admitted to engines whose
// first token (prefill) has not come yet, with their prompt tokens. The simulation produces it; the kvsim
// planner policy reads it to estimate the time a new request waits behind the work ahead. In a live deployment
// these are the router's queue gauges and the engines' waiting-request gauges (docs/planner.md#kvsim-signals).

export interface StageBacklog {
  /** Requests held in the router (its busy-threshold queue, or no routable worker). */
  readonly routerQueuedRequests: number;
  /** Their prompt tokens (no cache effect is known before routing). */
  readonly routerQueuedPromptTokens: number;
  /** Requests admitted to an engine whose first token on this pool has not come yet. */
  readonly enginePrefillRequests: number;
  /** Their prompt tokens. */
  readonly enginePrefillPromptTokens: number;
  /** Their prompt tokens minus the prefix overlap the router predicted for the worker it chose. */
  readonly enginePrefillUncachedTokens: number;
}

export const EMPTY_BACKLOG: StageBacklog = {
  routerQueuedRequests: 0,
  routerQueuedPromptTokens: 0,
  enginePrefillRequests: 0,
  enginePrefillPromptTokens: 0,
  enginePrefillUncachedTokens: 0,
};

/** Backlog as 5 float64s (the fields in declaration order), for carrying cells' backlogs across threads. */
export const BACKLOG_LAYOUT_LENGTH = 5;

export function backlogToArray(b: StageBacklog, out: Float64Array, offset = 0): void {
  out[offset] = b.routerQueuedRequests;
  out[offset + 1] = b.routerQueuedPromptTokens;
  out[offset + 2] = b.enginePrefillRequests;
  out[offset + 3] = b.enginePrefillPromptTokens;
  out[offset + 4] = b.enginePrefillUncachedTokens;
}

/** The sum of several pools' (or cells') backlogs. */
export function sumBacklogs(parts: readonly StageBacklog[]): StageBacklog {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let e = 0;
  for (const p of parts) {
    a += p.routerQueuedRequests;
    b += p.routerQueuedPromptTokens;
    c += p.enginePrefillRequests;
    d += p.enginePrefillPromptTokens;
    e += p.enginePrefillUncachedTokens;
  }
  return {
    routerQueuedRequests: a,
    routerQueuedPromptTokens: b,
    enginePrefillRequests: c,
    enginePrefillPromptTokens: d,
    enginePrefillUncachedTokens: e,
  };
}

export function backlogFromArray(a: Float64Array, offset = 0): StageBacklog {
  return {
    routerQueuedRequests: a[offset] as number,
    routerQueuedPromptTokens: a[offset + 1] as number,
    enginePrefillRequests: a[offset + 2] as number,
    enginePrefillPromptTokens: a[offset + 3] as number,
    enginePrefillUncachedTokens: a[offset + 4] as number,
  };
}
