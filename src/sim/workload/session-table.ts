import type { TraceColumns } from "../../trace/columns.js";
import { inputErrorAt } from "../../util/errors.js";

/**
 * A trace's rows grouped into sessions (docs/design.md#workload-driver), in compressed-row form.
 *
 *   turnStart   Int32Array[S+1]   session s's turns are slots turnStart[s] .. turnStart[s+1]
 *   turnRow     Int32Array[n]     slot → trace row (request id); slots of one session in file order
 *   turnDelayMs Float64Array[n]   slot → think time before that turn, unscaled ms (0 for first turns)
 *   firstArrivalMs Float64Array[S] the session's first-turn timestamp, unscaled (NaN when the row has none)
 *   rowSession  Int32Array[n]     trace row → session s
 *   rowSlot     Int32Array[n]     trace row → slot
 *
 * Sessions are numbered by their first row's position in the file. Rows sharing a `session_id` form one
 * session in file order (turn order = row order); a row without one is a session of its own.
 */
export interface SessionTable {
  readonly sessionCount: number;
  readonly turnStart: Int32Array;
  readonly turnRow: Int32Array;
  readonly turnDelayMs: Float64Array;
  readonly firstArrivalMs: Float64Array;
  readonly rowSession: Int32Array;
  readonly rowSlot: Int32Array;
}

/**
 * Builds the sessions and each later turn's delay: the explicit `delay` when present, else the timestamp minus
 * the previous turn's timestamp (an error when the previous turn has none), else 0. Errors (InputError, naming
 * `sourceName`, the row's line and the field): a first turn with a non-zero delay; a negative or non-finite
 * delay; a timestamp earlier than the previous turn's.
 */
export function buildSessionTable(trace: TraceColumns, sourceName: string): SessionTable {
  const n = trace.count;
  const rowSession = new Int32Array(n);
  const ordinalOfName = new Int32Array(trace.sessionNames.length).fill(-1);
  let sessionCount = 0;
  for (let r = 0; r < n; r++) {
    const name = trace.sessionIndex[r] as number;
    if (name < 0) {
      rowSession[r] = sessionCount++;
    } else {
      if ((ordinalOfName[name] as number) < 0) ordinalOfName[name] = sessionCount++;
      rowSession[r] = ordinalOfName[name] as number;
    }
  }

  const turnStart = new Int32Array(sessionCount + 1);
  for (let r = 0; r < n; r++) {
    const next = (rowSession[r] as number) + 1;
    turnStart[next] = (turnStart[next] as number) + 1;
  }
  for (let s = 0; s < sessionCount; s++)
    turnStart[s + 1] = (turnStart[s + 1] as number) + (turnStart[s] as number);
  const fill = turnStart.slice(0, sessionCount);
  const turnRow = new Int32Array(n);
  const rowSlot = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const s = rowSession[r] as number;
    const slot = fill[s] as number;
    fill[s] = slot + 1;
    turnRow[slot] = r;
    rowSlot[r] = slot;
  }

  const turnDelayMs = new Float64Array(n);
  const firstArrivalMs = new Float64Array(sessionCount);
  for (let s = 0; s < sessionCount; s++) {
    const first = turnStart[s] as number;
    const end = turnStart[s + 1] as number;
    const firstRow = turnRow[first] as number;
    const explicitFirst = trace.delayMs[firstRow] as number;
    if (!Number.isNaN(explicitFirst) && explicitFirst !== 0) {
      throw inputErrorAt(
        sourceName,
        trace.sourceLine[firstRow] as number,
        "delay",
        `a session's first turn cannot have a delay (got ${explicitFirst}); its timestamp is its arrival`,
      );
    }
    firstArrivalMs[s] = trace.arrivalMs[firstRow] as number;
    for (let slot = first + 1; slot < end; slot++) {
      const row = turnRow[slot] as number;
      const line = trace.sourceLine[row] as number;
      const explicit = trace.delayMs[row] as number;
      let delay: number;
      if (!Number.isNaN(explicit)) {
        if (!Number.isFinite(explicit) || explicit < 0)
          throw inputErrorAt(
            sourceName,
            line,
            "delay",
            `must be a finite number of ms >= 0, got ${explicit}`,
          );
        delay = explicit;
      } else {
        const ts = trace.arrivalMs[row] as number;
        const prevTs = trace.arrivalMs[turnRow[slot - 1] as number] as number;
        if (Number.isNaN(ts)) {
          delay = 0;
        } else if (Number.isNaN(prevTs)) {
          throw inputErrorAt(
            sourceName,
            line,
            "delay",
            "needed: the previous turn of this session has no timestamp to measure the delay from",
          );
        } else {
          delay = ts - prevTs;
          if (!(delay >= 0) || !Number.isFinite(delay))
            throw inputErrorAt(
              sourceName,
              line,
              "timestamp",
              `${ts} is earlier than the previous turn's ${prevTs} in this session`,
            );
        }
      }
      turnDelayMs[slot] = delay;
    }
  }
  return { sessionCount, turnStart, turnRow, turnDelayMs, firstArrivalMs, rowSession, rowSlot };
}
