// Forward-pass metrics: what an engine reports after each iteration (vLLM's scheduler stats) and what the
// planner's load scaling reads. The engine produces them as rows (fpm-layout.ts); the planner reads these objects.

/** Requests scheduled in one engine iteration (forward pass). */
export interface ScheduledRequestMetrics {
  readonly numPrefillRequests: number;
  /** Tokens freshly computed this pass (post prefix cache, chunk size). */
  readonly sumPrefillTokens: number;
  readonly varPrefillLength: number;
  readonly sumPrefillKvTokens: number;
  readonly numDecodeRequests: number;
  readonly sumDecodeKvTokens: number;
  readonly varDecodeKvTokens: number;
}

/** Requests waiting after one engine iteration's scheduling. */
export interface QueuedRequestMetrics {
  readonly numPrefillRequests: number;
  /** Raw prompt totals: cache effects are unknown while queued. */
  readonly sumPrefillTokens: number;
  readonly varPrefillLength: number;
  /** Preempted requests waiting to resume. */
  readonly numDecodeRequests: number;
  readonly sumDecodeKvTokens: number;
  readonly varDecodeKvTokens: number;
}

/** One message per engine iteration; an idle heartbeat has wallTime = 0. */
export interface ForwardPassMetrics {
  readonly workerId: string;
  readonly dpRank: number;
  readonly counterId: number;
  /** Pass duration, seconds. */
  readonly wallTime: number;
  readonly scheduled: ScheduledRequestMetrics;
  readonly queued: QueuedRequestMetrics;
}

/** Latest FPM per engine, keyed by fpmKey(workerId, dpRank). */
export type FpmMap = ReadonlyMap<string, ForwardPassMetrics>;

export function fpmKey(workerId: string, dpRank: number): string {
  return `${workerId}\u0000${dpRank}`;
}
