import * as flatbuffers from "flatbuffers";
import {
  isTrafficLayoutLength,
  TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH,
} from "../../signals/traffic-accumulator.js";
import type { CollectorState } from "../../sim/collector.js";
import { InputError } from "../../util/errors.js";
import { rootInBounds, viewInBounds } from "./bounds.js";
import { ShardResult as FbShardResult } from "./generated/shard_result_generated.js";
import { packMetadata, unpackMetadata } from "./msgpack.js";

/**
 * One replay shard's accumulators as a FlatBuffers file (.kvshard, schema src/parallel/schema/shard_result.fbs,
 * identifier "KVSH"): the collector's per-request columns (CollectorState), its pooled ITL/rate accumulators
 * and the planner traffic sums, each in the fixed layout its owner exports — so shards written by different
 * processes merge exactly (RequestCollector.fromState + mergeFrom, TrafficAccumulator.fromFloat64Array +
 * mergeFrom). Decoding returns typed-array views into the file's buffer: no per-column copies.
 */

export const SHARD_RESULT_VERSION = 1;
export const SHARD_RESULT_IDENTIFIER = "KVSH";

export interface ShardResultData {
  readonly shardIndex: number;
  readonly shardCount: number;
  readonly traceChecksum: string;
  /** Row i of `collector` is request globalIds[i] of the whole trace. */
  readonly globalIds: Uint32Array;
  readonly collector: CollectorState;
  /** TrafficAccumulator.toFloat64Array() layout. */
  readonly traffic: Float64Array;
  readonly wallTimeMs: number;
  /** Heterogeneous metadata (msgpack in the file). */
  readonly metadata: unknown;
}

export function encodeShardResult(r: ShardResultData): Uint8Array {
  const c = r.collector;
  const n = c.requestCount;
  if (r.globalIds.length !== n)
    throw new RangeError(`shard result: ${r.globalIds.length} global ids for ${n} rows`);
  const b = new flatbuffers.Builder(1024 + n * 88 + c.pooled.byteLength);
  const checksum = b.createString(r.traceChecksum);
  const globalIds = FbShardResult.createGlobalIdsVector(b, r.globalIds);
  const arrival = FbShardResult.createArrivalMsVector(b, c.arrivalMs);
  const firstAdmit = FbShardResult.createFirstAdmitMsVector(b, c.firstAdmitMs);
  const firstToken = FbShardResult.createFirstTokenMsVector(b, c.firstTokenMs);
  const secondToken = FbShardResult.createSecondTokenMsVector(b, c.secondTokenMs);
  const lastToken = FbShardResult.createLastTokenMsVector(b, c.lastTokenMs);
  const tokenCount = FbShardResult.createTokenCountVector(b, c.tokenCount);
  const reused = FbShardResult.createReusedTokensVector(b, c.reusedTokens);
  const worker = FbShardResult.createWorkerIdVector(b, c.workerId);
  const preemptions = FbShardResult.createPreemptionsVector(b, c.preemptions);
  const pooled = FbShardResult.createPooledVector(b, c.pooled);
  const traffic = FbShardResult.createTrafficVector(b, r.traffic);
  const metadata = FbShardResult.createMetadataVector(b, packMetadata(r.metadata));
  const hostTokens = FbShardResult.createHostTokensVector(b, c.hostTokens);
  const diskTokens = FbShardResult.createDiskTokensVector(b, c.diskTokens);
  const onboardedTokens = FbShardResult.createOnboardedTokensVector(b, c.onboardedTokens);
  const onboardMs = FbShardResult.createOnboardMsVector(b, c.onboardMs);
  const root = FbShardResult.createShardResult(
    b,
    SHARD_RESULT_VERSION,
    r.shardIndex,
    r.shardCount,
    checksum,
    n,
    globalIds,
    arrival,
    firstAdmit,
    firstToken,
    secondToken,
    lastToken,
    tokenCount,
    reused,
    worker,
    preemptions,
    pooled,
    traffic,
    r.wallTimeMs,
    metadata,
    hostTokens,
    diskTokens,
    onboardedTokens,
    onboardMs,
  );
  FbShardResult.finishShardResultBuffer(b, root);
  return b.asUint8Array();
}

function need<T extends ArrayBufferView & { length: number }>(
  file: Uint8Array,
  v: T | null,
  name: string,
  n: number,
): T {
  if (v === null) throw new Error(`${name} is missing`);
  if (!viewInBounds(file, v)) throw new Error(`${name} runs past the end of the file`);
  if (v.length !== n) throw new Error(`${name} has ${v.length} entries, expected ${n}`);
  return v;
}

/** A tier column: absent in a file written before tiers existed, which had none (zeros). */
function tierColumn<T extends Uint32Array | Float64Array>(
  file: Uint8Array,
  v: T | null,
  name: string,
  n: number,
  empty: (n: number) => T,
): T {
  return v === null ? empty(n) : need(file, v, name, n);
}

/** Reads a .kvshard buffer; InputError naming `displayName` when it is foreign, truncated or inconsistent. */
export function decodeShardResult(input: Uint8Array, displayName: string): ShardResultData {
  if (input.length < 8 || new TextDecoder().decode(input.subarray(4, 8)) !== SHARD_RESULT_IDENTIFIER) {
    throw new InputError(`${displayName}: not a .kvshard file (no "${SHARD_RESULT_IDENTIFIER}" identifier)`);
  }
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  if (!rootInBounds(bytes)) throw new InputError(`${displayName}: corrupt .kvshard file (truncated)`);
  let t: FbShardResult;
  try {
    t = FbShardResult.getRootAsShardResult(new flatbuffers.ByteBuffer(bytes));
  } catch {
    throw new InputError(`${displayName}: corrupt .kvshard file (unreadable table)`);
  }
  const version = t.version();
  // Every writer stores a version ≥ 1; 0 is the runtime's default for an absent field: a damaged table.
  if (version === 0) throw new InputError(`${displayName}: corrupt .kvshard file (no version field)`);
  if (version !== SHARD_RESULT_VERSION) {
    throw new InputError(
      `${displayName}: .kvshard version ${version} is not supported (this kvsim reads version ${SHARD_RESULT_VERSION})`,
    );
  }
  try {
    const n = t.requestCount();
    const pooled = t.pooledArray();
    if (pooled === null || pooled.length < 5 || !viewInBounds(bytes, pooled))
      throw new Error("pooled accumulators are missing");
    const rawTraffic = t.trafficArray();
    // With KV tiers the export carries TRAFFIC_TIER_FIELDS more floats (traffic-accumulator.ts).
    const traffic = need(
      bytes,
      rawTraffic,
      "traffic",
      rawTraffic !== null && isTrafficLayoutLength(rawTraffic.length)
        ? rawTraffic.length
        : TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH,
    );
    const metadataBytes = t.metadataArray();
    return {
      shardIndex: t.shardIndex(),
      shardCount: t.shardCount(),
      traceChecksum: t.traceChecksum() ?? "",
      globalIds: need(bytes, t.globalIdsArray(), "global_ids", n),
      collector: {
        requestCount: n,
        arrivalMs: need(bytes, t.arrivalMsArray(), "arrival_ms", n),
        firstAdmitMs: need(bytes, t.firstAdmitMsArray(), "first_admit_ms", n),
        firstTokenMs: need(bytes, t.firstTokenMsArray(), "first_token_ms", n),
        secondTokenMs: need(bytes, t.secondTokenMsArray(), "second_token_ms", n),
        lastTokenMs: need(bytes, t.lastTokenMsArray(), "last_token_ms", n),
        tokenCount: need(bytes, t.tokenCountArray(), "token_count", n),
        reusedTokens: need(bytes, t.reusedTokensArray(), "reused_tokens", n),
        workerId: need(bytes, t.workerIdArray(), "worker_id", n),
        preemptions: need(bytes, t.preemptionsArray(), "preemptions", n),
        hostTokens: tierColumn(bytes, t.hostTokensArray(), "host_tokens", n, (k) => new Uint32Array(k)),
        diskTokens: tierColumn(bytes, t.diskTokensArray(), "disk_tokens", n, (k) => new Uint32Array(k)),
        onboardedTokens: tierColumn(
          bytes,
          t.onboardedTokensArray(),
          "onboarded_tokens",
          n,
          (k) => new Float64Array(k),
        ),
        onboardMs: tierColumn(bytes, t.onboardMsArray(), "onboard_ms", n, (k) => new Float64Array(k)),
        pooled,
      },
      traffic,
      wallTimeMs: t.wallTimeMs(),
      metadata: metadataBytes === null || metadataBytes.length === 0 ? null : unpackMetadata(metadataBytes),
    };
  } catch (error) {
    throw new InputError(
      `${displayName}: corrupt .kvshard file (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
