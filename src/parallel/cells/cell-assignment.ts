import { buildSessionTable } from "../../sim/workload/session-table.js";
import type { TraceColumns } from "../../trace/columns.js";
import { InputError } from "../../util/errors.js";
import { MAX_CELLS } from "../run-limits.js";
import { formatShardKey, type ShardKey } from "./shard-key.js";

/**
 * Which cell replays each request of a sharded replay. Sessions are grouped by the shard key (shard-key.ts) and
 * every group goes whole to one cell:
 *   session, block:D  groups in order of their first row go to the cell with the least work so far (work = Σ input
 *                     + output tokens of a group's rows; ties to the lowest cell), so cells stay balanced all along
 *                     the trace, not only in total;
 *   hash              group g goes to cell fmix32(g) mod K, whatever the load.
 * Deterministic: a function of the trace's rows and K only.
 *
 *   cellOfRow   Int32Array[n]   request (trace row) → cell
 *   rowsOfCell  Uint32Array[K]  cell → its requests, ascending (row i of the cell's trace is request rowsOfCell[i])
 */
export interface CellAssignment {
  readonly cellCount: number;
  readonly shardKey: ShardKey;
  /** Groups the key formed (sessions for session/hash, distinct prefixes for block:D). */
  readonly groupCount: number;
  readonly cellOfRow: Int32Array;
  readonly rowsOfCell: readonly Uint32Array[];
  /** Σ input + output tokens of each cell's requests. */
  readonly tokensOfCell: readonly number[];
}

/** Most cells one replay may have (each runs its own router and workers; docs/limits.md). */
export { MAX_CELLS };

/** MurmurHash3's 32-bit finaliser: spreads consecutive group numbers evenly over cells. */
function fmix32(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Group of each session: itself (session, hash) or the first distinct `depth`-block prefix (block:D). */
function groupSessions(
  trace: TraceColumns,
  key: ShardKey,
  firstRowOfSession: Int32Array,
): { groupOfSession: Int32Array; groupCount: number } {
  const sessionCount = firstRowOfSession.length;
  const groupOfSession = new Int32Array(sessionCount);
  if (key.kind !== "block") {
    for (let s = 0; s < sessionCount; s++) groupOfSession[s] = s;
    return { groupOfSession, groupCount: sessionCount };
  }
  const groupOfPrefix = new Map<string, number>();
  for (let s = 0; s < sessionCount; s++) {
    const row = firstRowOfSession[s] as number;
    const start = trace.hashOffsets[row] as number;
    const end = Math.min(trace.hashOffsets[row + 1] as number, start + key.depthBlocks);
    const prefix = Array.from(trace.hashIds.subarray(start, end)).join(",");
    let g = groupOfPrefix.get(prefix);
    if (g === undefined) {
      g = groupOfPrefix.size;
      groupOfPrefix.set(prefix, g);
    }
    groupOfSession[s] = g;
  }
  return { groupOfSession, groupCount: groupOfPrefix.size };
}

/** Splits `trace` into `cellCount` cells by `key`; InputError when a cell would get no request. */
export function assignCells(
  trace: TraceColumns,
  key: ShardKey,
  cellCount: number,
  sourceName = "trace",
): CellAssignment {
  if (!Number.isInteger(cellCount) || cellCount < 1 || cellCount > MAX_CELLS) {
    throw new InputError(`--cells: must be an integer in [1, ${MAX_CELLS}] (got ${cellCount})`);
  }
  const n = trace.count;
  const sessions = buildSessionTable(trace, sourceName);
  const sessionCount = sessions.sessionCount;
  const firstRowOfSession = new Int32Array(sessionCount);
  for (let s = 0; s < sessionCount; s++)
    firstRowOfSession[s] = sessions.turnRow[sessions.turnStart[s] as number] as number;
  const { groupOfSession, groupCount } = groupSessions(trace, key, firstRowOfSession);

  const groupTokens = new Float64Array(groupCount);
  for (let r = 0; r < n; r++) {
    const g = groupOfSession[sessions.rowSession[r] as number] as number;
    groupTokens[g] =
      (groupTokens[g] as number) + (trace.inputTokens[r] as number) + (trace.outputTokens[r] as number);
  }
  const cellOfGroup = new Int32Array(groupCount);
  const cellTokens = new Float64Array(cellCount);
  for (let g = 0; g < groupCount; g++) {
    let cell = 0;
    if (key.kind === "hash") cell = fmix32(g) % cellCount;
    else {
      for (let k = 1; k < cellCount; k++)
        if ((cellTokens[k] as number) < (cellTokens[cell] as number)) cell = k;
    }
    cellOfGroup[g] = cell;
    cellTokens[cell] = (cellTokens[cell] as number) + (groupTokens[g] as number);
  }

  const cellOfRow = new Int32Array(n);
  const sizes = new Int32Array(cellCount);
  for (let r = 0; r < n; r++) {
    const cell = cellOfGroup[groupOfSession[sessions.rowSession[r] as number] as number] as number;
    cellOfRow[r] = cell;
    sizes[cell] = (sizes[cell] as number) + 1;
  }
  for (let k = 0; k < cellCount; k++) {
    if (sizes[k] === 0) {
      throw new InputError(
        `--cells ${cellCount}: cell ${k} gets no request (shard key ${formatShardKey(key)} forms ${groupCount} ` +
          `group(s) of ${n} request(s)); use fewer cells or a finer --shard-key`,
      );
    }
  }
  const rowsOfCell = Array.from(sizes, (size) => new Uint32Array(size));
  const fill = new Int32Array(cellCount);
  for (let r = 0; r < n; r++) {
    const cell = cellOfRow[r] as number;
    (rowsOfCell[cell] as Uint32Array)[fill[cell] as number] = r;
    fill[cell] = (fill[cell] as number) + 1;
  }
  return {
    cellCount,
    shardKey: key,
    groupCount,
    cellOfRow,
    rowsOfCell,
    tokensOfCell: Array.from(cellTokens),
  };
}
