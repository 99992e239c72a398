import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  answerCapacityQuestion,
  type CapacityQuestion,
  makeQuestion,
} from "../../report/capacity/question.js";
import { InputError } from "../../util/errors.js";
import { unpackMetadata } from "../schema/msgpack.js";
import { decodeSweepRows } from "../schema/sweep-rows-file.js";
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  SWEEP_FILES,
  type SweepOutput,
  type SweepTraceInfo,
} from "./outputs.js";
import { type SweepRow, withQuestion } from "./row.js";
import { canonicalJson } from "./sweep-traces.js";

/**
 * `kvsim merge DIR...`: combines the output directories of `kvsim sweep --shard i/N` slices into the output a
 * single process would have written. Every slice must be finished (its manifest exists), come from the same
 * grid and traces (same grid hash), and the slices must be exactly 0..N-1 of one N; rows are read from each
 * slice's FlatBuffers row file and put back in grid order. The answer is computed on the merged rows.
 */

interface SliceManifest {
  readonly dir: string;
  readonly gridHash: string;
  readonly title: string | null;
  readonly grid: unknown;
  readonly question: Record<string, unknown> | null;
  readonly shardIndex: number;
  readonly shardCount: number;
  readonly totalPoints: number;
  readonly pointIndexes: readonly number[];
  readonly traces: readonly SweepTraceInfo[];
  readonly withPlanner: boolean;
  readonly withKvTiers: boolean;
  readonly wallTimeMs: number;
}

function readManifest(dir: string): SliceManifest {
  const path = join(dir, SWEEP_FILES.manifest);
  if (!existsSync(path)) {
    const partial = existsSync(join(dir, SWEEP_FILES.partial))
      ? ` (it holds ${SWEEP_FILES.partial}: that slice failed or was interrupted; rerun it)`
      : "";
    throw new InputError(`${dir}: no ${SWEEP_FILES.manifest}, so not a finished sweep slice${partial}`);
  }
  let m: Record<string, unknown>;
  try {
    m = unpackMetadata(readFileSync(path)) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(
      `${path}: unreadable manifest (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (m === null || typeof m !== "object" || m.format !== MANIFEST_FORMAT) {
    throw new InputError(`${path}: not a kvsim sweep manifest`);
  }
  if (m.version !== MANIFEST_VERSION) {
    throw new InputError(
      `${path}: manifest version ${String(m.version)} is not supported (this kvsim reads ${MANIFEST_VERSION})`,
    );
  }
  const shard = m.shard as { index: number; count: number };
  return {
    dir,
    gridHash: String(m.grid_hash),
    title: (m.title as string | null) ?? null,
    grid: m.grid,
    question: (m.question as Record<string, unknown> | null) ?? null,
    shardIndex: shard.index,
    shardCount: shard.count,
    totalPoints: m.total_points as number,
    pointIndexes: m.point_indexes as number[],
    traces: m.traces as SweepTraceInfo[],
    withPlanner: m.with_planner === true,
    // Absent in a grid without tiers, and in manifests written before tiers existed.
    withKvTiers: m.with_kv_tiers === true,
    wallTimeMs: m.wall_time_ms as number,
  };
}

export interface MergeOptions {
  /** Judge rows against this question instead of the slices' (which must then agree). */
  readonly question?: CapacityQuestion | null;
}

/** Reads and checks the slices; returns the merged output (write it with writeSweepOutputs). */
export function mergeSweepOutputs(dirs: readonly string[], options: MergeOptions = {}): SweepOutput {
  if (dirs.length === 0)
    throw new InputError("kvsim merge: give the output directories of the slices to merge");
  const manifests = dirs.map(readManifest);
  const first = manifests[0] as SliceManifest;
  for (const m of manifests) {
    if (m.gridHash !== first.gridHash) {
      throw new InputError(
        `${m.dir}: comes from a different grid or traces than ${first.dir} (grid hash ${m.gridHash.slice(0, 12)} ≠ ${first.gridHash.slice(0, 12)})`,
      );
    }
    if (m.shardCount !== first.shardCount) {
      throw new InputError(
        `${m.dir}: is slice ${m.shardIndex}/${m.shardCount}, but ${first.dir} is of ${first.shardCount} slices`,
      );
    }
  }
  const n = first.shardCount;
  const byIndex = new Map<number, SliceManifest>();
  for (const m of manifests) {
    const other = byIndex.get(m.shardIndex);
    if (other !== undefined)
      throw new InputError(`${m.dir}: slice ${m.shardIndex}/${n} is also in ${other.dir}`);
    byIndex.set(m.shardIndex, m);
  }
  const missing: number[] = [];
  for (let i = 0; i < n; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) {
    throw new InputError(
      `kvsim merge: missing slice(s) ${missing.map((i) => `${i}/${n}`).join(", ")} of ${n}`,
    );
  }

  let question: CapacityQuestion | null;
  if (options.question !== undefined) {
    question = options.question;
  } else {
    for (const m of manifests) {
      if (canonicalJson(m.question) !== canonicalJson(first.question)) {
        throw new InputError(
          `${m.dir}: asks a different capacity question than ${first.dir} (pass --sla to choose one)`,
        );
      }
    }
    question =
      first.question === null
        ? null
        : makeQuestion(
            first.question,
            (key, rule) => new InputError(`${first.dir}: manifest question ${key ?? ""}: ${rule}`),
          );
  }

  const rows: SweepRow[] = [];
  for (let i = 0; i < n; i++) {
    const m = byIndex.get(i) as SliceManifest;
    const path = join(m.dir, SWEEP_FILES.kvsweep);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new InputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    const file = decodeSweepRows(bytes, path);
    if (file.gridHash !== m.gridHash || file.shardIndex !== i || file.shardCount !== n) {
      throw new InputError(`${path}: does not match its manifest (grid hash or slice differ)`);
    }
    const expected = m.pointIndexes;
    if (
      file.rows.length !== expected.length ||
      file.rows.some((r, k) => r.index !== expected[k] || r.index % n !== i)
    ) {
      throw new InputError(`${path}: its rows are not the points slice ${i}/${n} ran`);
    }
    rows.push(...file.rows.map((r) => withQuestion(r, question)));
  }
  rows.sort((a, b) => a.index - b.index);
  if (rows.length !== first.totalPoints || rows.some((r, k) => r.index !== k)) {
    throw new InputError(`kvsim merge: the slices hold ${rows.length} of ${first.totalPoints} points`);
  }
  return {
    gridHash: first.gridHash,
    grid: first.grid,
    title: first.title,
    question,
    shard: { index: 0, count: 1 },
    totalPoints: first.totalPoints,
    traces: first.traces,
    withPlanner: first.withPlanner,
    withKvTiers: first.withKvTiers,
    rows,
    answer: question === null ? null : answerCapacityQuestion(rows, question),
    threads: null,
    wallTimeMs: manifests.reduce((sum, m) => sum + m.wallTimeMs, 0),
    mergedFrom: manifests
      .slice()
      .sort((a, b) => a.shardIndex - b.shardIndex)
      .map((m) => ({ dir: m.dir, shard: `${m.shardIndex}/${m.shardCount}` })),
  };
}
