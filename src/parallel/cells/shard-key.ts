import type { TraceColumns } from "../../trace/columns.js";
import { InputError } from "../../util/errors.js";

/**
 * How a sharded replay splits a trace between cells (`--shard-key`). Every key keeps a session whole — a
 * session's next turn waits for its previous one to finish, which only the cell that ran it knows — and sends
 * each group of sessions with equal keys to one cell:
 *
 *   session   each session is its own group (a row without `session_id` is a session of one row)
 *   block:D   sessions whose first turn starts with the same D trace-block hash ids (the whole prompt when it has
 *             fewer) form one group, so requests sharing that prefix meet the same router and KV caches
 *   hash      each session is its own group, placed by a hash of its number instead of by load
 *
 * session and block:D place groups by load (cell-assignment.ts); hash ignores load, as a stateless hashing front
 * door would.
 */
export type ShardKey =
  | { readonly kind: "session" }
  | { readonly kind: "hash" }
  | { readonly kind: "block"; readonly depthBlocks: number };

/** Prefix depth of the default key on traces without session ids (see defaultShardKey). */
export const DEFAULT_BLOCK_DEPTH = 2;

const RULE = 'must be "session", "hash" or "block:D" with D an integer >= 1';

/** Parses `session`, `hash` or `block:D`; InputError naming `label` otherwise. */
export function parseShardKey(text: string, label = "--shard-key"): ShardKey {
  const t = text.trim();
  if (t === "session") return { kind: "session" };
  if (t === "hash") return { kind: "hash" };
  const m = /^block:(\d+)$/.exec(t);
  if (m !== null) {
    const depth = Number(m[1]);
    if (Number.isSafeInteger(depth) && depth >= 1) return { kind: "block", depthBlocks: depth };
  }
  throw new InputError(`${label}: ${RULE} (got "${text}")`);
}

export function formatShardKey(key: ShardKey): string {
  return key.kind === "block" ? `block:${key.depthBlocks}` : key.kind;
}

/**
 * `session` when the trace has session ids (multi-turn sessions are the natural unit), else `block:2`. The
 * Mooncake traces have no session ids, and every conversation-trace request starts with hash id 0 (a shared
 * system prompt): block:1 would put the whole trace in one cell, while block:2 keeps each conversation's turns
 * together (they share their first blocks) and spreads the conversations (README "Sharded replays").
 */
export function defaultShardKey(trace: Pick<TraceColumns, "sessionNames">): ShardKey {
  return trace.sessionNames.length > 0
    ? { kind: "session" }
    : { kind: "block", depthBlocks: DEFAULT_BLOCK_DEPTH };
}
