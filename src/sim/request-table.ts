import { completeEngineBlocks, expandEngineBlockHashes } from "../../native-free-kernels/block-hash.js";
import type { TraceColumns } from "../trace/columns.js";
import { InputError } from "../util/errors.js";

/**
 * The requests of one replay, shared by the router, the engines and the collector. Request id = trace row.
 *
 *   islTokens        Uint32Array[n]  prompt length, tokens
 *   maxOutputTokens  Uint32Array[n]  requested output length (the engine stops there)
 *   arrivalMs        Float64Array[n] when the request reached the router (stamped at release)
 *   blockHashes(id)  Float64Array    chained hashes of the prompt's complete engine blocks
 *
 * Block hashes exist only while a request is in flight: they are derived from the trace on release and dropped
 * on completion, so the per-request state beyond the trace columns stays small.
 */
export class RequestTable {
  readonly count: number;
  readonly engineBlockSize: number;
  /** Engine blocks per trace block: the runs in which blocks are shared (chained hashes, see block-hash.ts). */
  readonly engineBlocksPerTraceBlock: number;
  readonly islTokens: Uint32Array;
  readonly maxOutputTokens: Uint32Array;
  readonly arrivalMs: Float64Array;
  private readonly trace: TraceColumns;
  private readonly hashes: (Float64Array | null)[];

  constructor(trace: TraceColumns, engineBlockSize: number) {
    if (trace.traceBlockSize % engineBlockSize !== 0) {
      throw new InputError(
        `engine block_size ${engineBlockSize} must divide the trace block size ${trace.traceBlockSize}`,
      );
    }
    this.count = trace.count;
    this.engineBlockSize = engineBlockSize;
    this.engineBlocksPerTraceBlock = trace.traceBlockSize / engineBlockSize;
    this.islTokens = trace.inputTokens;
    this.maxOutputTokens = trace.outputTokens;
    this.arrivalMs = new Float64Array(trace.count);
    this.trace = trace;
    this.hashes = new Array<Float64Array | null>(trace.count).fill(null);
  }

  /** Derives request `id`'s engine-block hashes (idempotent); call when the request is released. */
  materialize(id: number): Float64Array {
    const existing = this.hashes[id];
    if (existing !== undefined && existing !== null) return existing;
    const t = this.trace;
    const start = t.hashOffsets[id] as number;
    const end = t.hashOffsets[id + 1] as number;
    const isl = t.inputTokens[id] as number;
    const out = new Float64Array(completeEngineBlocks(isl, this.engineBlockSize));
    expandEngineBlockHashes(t.hashIds, start, end, isl, t.traceBlockSize, this.engineBlockSize, out, 0);
    this.hashes[id] = out;
    return out;
  }

  /** The prompt's complete engine-block hashes; the request must be materialized (in flight). */
  blockHashes(id: number): Float64Array {
    const h = this.hashes[id];
    if (h === undefined || h === null) throw new Error(`request ${id} is not in flight (no block hashes)`);
    return h;
  }

  /** The trace line request `id` came from (1-based), for messages. */
  sourceLine(id: number): number {
    return this.trace.sourceLine[id] as number;
  }

  /** Drops request `id`'s hashes once it has completed everywhere. */
  release(id: number): void {
    this.hashes[id] = null;
  }
}
