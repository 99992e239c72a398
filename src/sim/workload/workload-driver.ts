import type { TraceColumns } from "../../trace/columns.js";
import { InputError, inputErrorAt } from "../../util/errors.js";
import { ReadyHeap } from "./ready-heap.js";
import { buildSessionTable, type SessionTable } from "./session-table.js";

export interface WorkloadOptions {
  /** Divides first arrivals and think times (trace mode only); finite > 0, default 1. */
  readonly arrivalSpeedupRatio?: number;
  /** Closed-loop cap on cluster in-flight requests, or null (the default) for trace-timestamp mode. */
  readonly concurrency?: number | null;
  /** Names the trace in error messages (default "trace"). */
  readonly sourceName?: string;
}

/**
 * Releases a trace's requests to the replay (docs/design.md#workload-driver): every session has at most one
 * turn in flight, and its next turn becomes ready `delay` after the previous one completes — never earlier.
 *
 * Trace mode (concurrency null): a session's first turn is ready at (timestamp − origin) / ratio, the origin being
 * the earliest first timestamp (or trace.arrivalOriginMs when set); later turns at completion + delay / ratio.
 * Ready turns are released in (readyAtMs, session index) order and stamped with their scheduled ready time.
 *
 * Concurrency mode (cap N): timestamps and the ratio are ignored, delays are honoured; turns are released while
 * in-flight < N and stamped with the release time. Depth-first: a started session's ready next turn goes before
 * any session that has not started (those start in file order); among started sessions, (readyAtMs, session).
 *
 *   sessions        SessionTable (CSR: turnStart / turnRow / turnDelayMs, see session-table.ts)
 *   firstReadyMs    Float64Array[S]  trace mode: normalised, scaled first arrival
 *   nextSlot        Int32Array[S]    next unreleased turn slot of each session
 *   inFlightRow     Int32Array[S]    the session's released, uncompleted row, or -1
 *   heap            ReadyHeap        sessions with a next turn scheduled (each at most once)
 *   nextUnstarted   concurrency mode: sessions ≥ this have not started
 *
 * No allocation after construction; popReady writes into the caller's buffers.
 */
export class WorkloadDriver {
  readonly totalRequests: number;
  readonly sessionCount: number;
  private readonly sessions: SessionTable;
  private readonly cap: number;
  private readonly isClosedLoop: boolean;
  private readonly delayDivisor: number;
  private readonly nextSlot: Int32Array;
  private readonly inFlightRow: Int32Array;
  private readonly heap: ReadyHeap;
  private nextUnstarted: number;
  private released: number;
  private lastNowMs: number;

  constructor(trace: TraceColumns, options: WorkloadOptions = {}) {
    const sourceName = options.sourceName ?? "trace";
    const ratio = options.arrivalSpeedupRatio ?? 1;
    if (!(Number.isFinite(ratio) && ratio > 0))
      throw new InputError(`--arrival-speedup-ratio: must be a finite number > 0, got ${ratio}`);
    const cap = options.concurrency ?? null;
    if (cap !== null && !(Number.isInteger(cap) && cap >= 1))
      throw new InputError(`--replay-concurrency: must be an integer >= 1, got ${cap}`);
    if (trace.count === 0) throw inputErrorAt(sourceName, null, null, "the trace has no requests");

    const sessions = buildSessionTable(trace, sourceName);
    const s = sessions.sessionCount;
    this.totalRequests = trace.count;
    this.sessionCount = s;
    this.sessions = sessions;
    this.isClosedLoop = cap !== null;
    this.cap = cap ?? Number.POSITIVE_INFINITY;
    // The ratio speeds up trace time only; a closed loop has no trace time to speed up.
    this.delayDivisor = cap === null ? ratio : 1;
    this.nextSlot = sessions.turnStart.slice(0, s);
    this.inFlightRow = new Int32Array(s).fill(-1);
    this.heap = new ReadyHeap(s);
    this.nextUnstarted = cap === null ? s : 0;
    this.released = 0;
    this.lastNowMs = 0;

    if (cap === null) {
      let earliest = Number.POSITIVE_INFINITY;
      for (let k = 0; k < s; k++) {
        const t = sessions.firstArrivalMs[k] as number;
        if (Number.isNaN(t)) {
          const row = sessions.turnRow[sessions.turnStart[k] as number] as number;
          throw inputErrorAt(
            sourceName,
            trace.sourceLine[row] as number,
            "timestamp",
            "a session's first turn needs a timestamp (or replay with --replay-concurrency)",
          );
        }
        if (t < earliest) earliest = t;
      }
      // A slice of a larger trace (a sharded replay's cell) counts from its parent's epoch, not its own first row.
      const origin = trace.arrivalOriginMs ?? earliest;
      if (!(origin <= earliest))
        throw new RangeError(
          `WorkloadDriver: arrival origin ${origin} ms is after the first arrival ${earliest} ms`,
        );
      for (let k = 0; k < s; k++)
        this.heap.push(((sessions.firstArrivalMs[k] as number) - origin) / ratio, k);
    }
  }

  /**
   * When the next release can happen: +Infinity when the cap is reached or nothing is waiting. Never earlier
   * than the latest time the driver has seen (a turn that became ready while capped is released "now").
   */
  nextReadyTimeMs(inFlight: number): number {
    if (inFlight >= this.cap) return Number.POSITIVE_INFINITY;
    if (this.nextUnstarted < this.sessionCount) return this.lastNowMs;
    const t = this.heap.peekTimeMs();
    return Math.max(t, this.lastNowMs);
  }

  /**
   * Releases the turns ready at `nowMs`, in order, while in-flight (counting this call's releases) stays below
   * the cap and the buffers have room: writes request ids (trace rows) to `out` and arrival stamps to
   * `arrivalOut`, and returns how many. Call again while it fills the buffers.
   */
  popReady(nowMs: number, inFlight: number, out: Int32Array, arrivalOut: Float64Array): number {
    if (nowMs > this.lastNowMs) this.lastNowMs = nowMs;
    let limit = Math.min(out.length, arrivalOut.length);
    if (this.isClosedLoop) limit = Math.min(limit, this.cap - inFlight);
    const sessions = this.sessions;
    let count = 0;
    while (count < limit && this.heap.size > 0 && this.heap.peekTimeMs() <= nowMs) {
      const readyAtMs = this.heap.peekTimeMs();
      const s = this.heap.peekSession();
      this.heap.pop();
      const row = this.releaseNextTurn(s, sessions);
      out[count] = row;
      arrivalOut[count] = this.isClosedLoop ? nowMs : readyAtMs;
      count++;
    }
    while (count < limit && this.nextUnstarted < this.sessionCount) {
      const row = this.releaseNextTurn(this.nextUnstarted++, sessions);
      out[count] = row;
      arrivalOut[count] = nowMs;
      count++;
    }
    this.released += count;
    return count;
  }

  private releaseNextTurn(s: number, sessions: SessionTable): number {
    const slot = this.nextSlot[s] as number;
    this.nextSlot[s] = slot + 1;
    const row = sessions.turnRow[slot] as number;
    this.inFlightRow[s] = row;
    return row;
  }

  /** Request `requestId` finished at `nowMs`: its session's next turn (if any) becomes ready after its delay. */
  onRequestCompleted(requestId: number, nowMs: number): void {
    if (nowMs > this.lastNowMs) this.lastNowMs = nowMs;
    const sessions = this.sessions;
    const s = sessions.rowSession[requestId];
    if (s === undefined || this.inFlightRow[s] !== requestId)
      throw new Error(`WorkloadDriver: request ${requestId} completed but is not in flight`);
    this.inFlightRow[s] = -1;
    const slot = this.nextSlot[s] as number;
    if (slot < (sessions.turnStart[s + 1] as number)) {
      this.heap.push(nowMs + (sessions.turnDelayMs[slot] as number) / this.delayDivisor, s);
    }
  }

  /** Every request has been released. */
  isDrained(): boolean {
    return this.released === this.totalRequests;
  }

  /** How many requests have been released so far. */
  get releasedCount(): number {
    return this.released;
  }

  /** The session (numbered by first row in the file) request `requestId` belongs to. */
  sessionOfRequest(requestId: number): number {
    return this.sessions.rowSession[requestId] as number;
  }

  /** 0-based turn index of request `requestId` within its session. */
  turnOfRequest(requestId: number): number {
    const s = this.sessions.rowSession[requestId] as number;
    return (this.sessions.rowSlot[requestId] as number) - (this.sessions.turnStart[s] as number);
  }
}
