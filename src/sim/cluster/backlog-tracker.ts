import type { StageBacklog } from "../../signals/backlog.js";

const NONE = 0;
const IN_ROUTER = 1;
const IN_ENGINE = 2;

/**
 * The backlog of one stage, kept as requests move (signals/backlog.ts):
 *
 *   per request r:  where[r]  none | in the router | admitted, first token pending
 *                   prompt[r] prompt tokens        uncached[r] prompt − the router's predicted overlap
 *   totals:         router count/tokens, engine count/prompt tokens/uncached tokens
 *
 * Arrival to the router → in the router; admission to a worker → in an engine; the stage's first token for
 * the request (or its completion, whichever comes first) → none. Totals are exact integer sums.
 */
export class BacklogTracker {
  private readonly where: Uint8Array;
  private readonly prompt: Float64Array;
  private readonly uncached: Float64Array;
  private routerRequests: number;
  private routerTokens: number;
  private engineRequests: number;
  private engineTokens: number;
  private engineUncached: number;

  constructor(requestCount: number) {
    this.where = new Uint8Array(requestCount);
    this.prompt = new Float64Array(requestCount);
    this.uncached = new Float64Array(requestCount);
    this.routerRequests = 0;
    this.routerTokens = 0;
    this.engineRequests = 0;
    this.engineTokens = 0;
    this.engineUncached = 0;
  }

  onRouterArrival(id: number, promptTokens: number): void {
    this.where[id] = IN_ROUTER;
    this.prompt[id] = promptTokens;
    this.routerRequests++;
    this.routerTokens += promptTokens;
  }

  /** Admitted to a worker; `overlapTokens` is the router's predicted cached prefix there. */
  onAdmitted(id: number, overlapTokens: number): void {
    if (this.where[id] !== IN_ROUTER) return;
    const prompt = this.prompt[id] as number;
    const uncached = overlapTokens >= prompt ? 0 : prompt - overlapTokens;
    this.where[id] = IN_ENGINE;
    this.uncached[id] = uncached;
    this.routerRequests--;
    this.routerTokens -= prompt;
    this.engineRequests++;
    this.engineTokens += prompt;
    this.engineUncached += uncached;
  }

  /** The stage produced the request's first token (or finished it). */
  onFirstToken(id: number): void {
    const where = this.where[id];
    if (where === NONE) return;
    const prompt = this.prompt[id] as number;
    if (where === IN_ROUTER) {
      this.routerRequests--;
      this.routerTokens -= prompt;
    } else {
      this.engineRequests--;
      this.engineTokens -= prompt;
      this.engineUncached -= this.uncached[id] as number;
    }
    this.where[id] = NONE;
  }

  snapshot(): StageBacklog {
    return {
      routerQueuedRequests: this.routerRequests,
      routerQueuedPromptTokens: this.routerTokens,
      enginePrefillRequests: this.engineRequests,
      enginePrefillPromptTokens: this.engineTokens,
      enginePrefillUncachedTokens: this.engineUncached,
    };
  }
}
