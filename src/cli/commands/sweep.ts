import { once } from "node:events";
import {
  checkMemory,
  memoryBudget,
  pointSimulationBytes,
  sweepMemoryBytes,
  traceSize,
} from "../../parallel/memory-estimate.js";
import { DEFAULT_MAX_SWEEP_POINTS, MAX_SWEEP_POINTS, MAX_THREADS } from "../../parallel/run-limits.js";
import { countSweepPoints, sweepPoints } from "../../parallel/sweep/expand.js";
import { loadSweepGrid, type SweepGrid } from "../../parallel/sweep/grid.js";
import { gridHasKvTiers } from "../../parallel/sweep/grid-kv-tiers.js";
import {
  gridHasPlanner,
  SWEEP_FILES,
  sweepOutputFromResult,
  writePartialRows,
  writeSweepOutputs,
} from "../../parallel/sweep/outputs.js";
import { type RowTextOptions, rowsToJsonl } from "../../parallel/sweep/row.js";
import {
  checkSweepPointCount,
  runSweep,
  type SweepPlan,
  type SweepResult,
} from "../../parallel/sweep/run-sweep.js";
import {
  formatShard,
  inShard,
  parseShardSpec,
  type ShardSpec,
  WHOLE_GRID,
} from "../../parallel/sweep/shard-spec.js";
import { SweepAbortedError, SweepFailedError } from "../../parallel/sweep/sweep-errors.js";
import { readSweepTraces, type TraceFileReader } from "../../parallel/sweep/sweep-traces.js";
import { formatCapacityAnswer, formatSweepTable } from "../../report/capacity/answer-text.js";
import {
  type CapacityQuestion,
  makeQuestion,
  mergeQuestions,
  parseSlaFlag,
} from "../../report/capacity/question.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { TraceColumns } from "../../trace/columns.js";
import { InputError } from "../../util/errors.js";
import { flagOption, parseCommandArgs, parseNumberText, stringOption } from "../args.js";
import type { CliIo, CommandMain } from "../io.js";
import { loadTrace } from "../load-trace.js";
import { type CounterProgress, createCounterProgress } from "../progress.js";

export const HELP = `Usage: kvsim sweep --grid FILE [options]

Run a capacity sweep: the grid's axes (worker counts, prefill:decode splits, router modes and configs, engine
args, planner configs, arrival speedups, concurrencies, seeds, traces) expand into points, and every point is
one whole replay on a pool of worker threads sharing the traces in memory. Writes one row per point
(rows.jsonl, rows.csv, rows.kvsweep), report.html and manifest.msgpack to --out, and prints the cheapest
configuration that meets the capacity question. A point's engine_args apply to every pool; on disagg points
prefill_engine_args / decode_engine_args override them field by field (as --engine-args and
--prefill-engine-args / --decode-engine-args do in kvsim replay).

Options:
  --grid FILE             the grid, YAML or JSON (see README "Sweeps")                       (required)
  --out DIR               output directory (default sweep-out)
  --threads N|auto        worker threads (default auto: one per core, at most one per point)
  --shard i/N             run only slice i of N (0-based: the points whose index ≡ i mod N), for a sweep
                          spread over machines; combine the slices' directories with \`kvsim merge\`
  --sla KEY=MS[,KEY=MS]   the capacity question, e.g. ttft_p99_ms=2000,itl_p99_ms=50; KEY is
                          <metric>_<stat>_ms (metric ttft|ttst|tpot|itl|e2e_latency, stat
                          mean|median|p50|p90|p95|p99|max); overrides the grid's bound on the same metric
  --ttft-p99-ms MS        shorthand for --sla ttft_p99_ms=MS
  --itl-p99-ms MS         shorthand for --sla itl_p99_ms=MS
  --keep-going            run every point even after one fails (default: stop at the first failure)
  --max-points N          refuse a run of more than N points (default ${DEFAULT_MAX_SWEEP_POINTS}; at most ${MAX_SWEEP_POINTS})
  --allow-large-memory    run even when the memory estimate exceeds the budget (docs/limits.md#memory)
  --list                  print the points (index and id) this run would simulate, and exit (streamed: any size)
  --json                  print the rows as JSON lines instead of the table
  --quiet                 no progress bar or status line
  -h, --help              this help

A failed or interrupted sweep (exit 1, 2 or 130) writes only ${SWEEP_FILES.partial}: the rows that finished.
`;

const OPTIONS = {
  grid: { type: "string" },
  out: { type: "string" },
  threads: { type: "string" },
  shard: { type: "string" },
  sla: { type: "string" },
  "ttft-p99-ms": { type: "string" },
  "itl-p99-ms": { type: "string" },
  "keep-going": { type: "boolean" },
  "max-points": { type: "string" },
  "allow-large-memory": { type: "boolean" },
  list: { type: "boolean" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

type Args = ReturnType<typeof parseCommandArgs>;

/** The question from --sla and the shorthand flags (null when none is given). */
export function questionFromFlags(args: Args): CapacityQuestion | null {
  let q: CapacityQuestion | null = null;
  const sla = stringOption(args, "sla");
  if (sla !== undefined) q = parseSlaFlag(sla);
  for (const [flag, key] of [
    ["ttft-p99-ms", "ttft_p99_ms"],
    ["itl-p99-ms", "itl_p99_ms"],
  ] as const) {
    const text = stringOption(args, flag);
    if (text === undefined) continue;
    const value = parseNumberText(`--${flag}`, text, { min: 0 });
    q = mergeQuestions(
      q,
      makeQuestion({ [key]: value }, (_k, rule) => new InputError(`--${flag}: ${rule}`)),
    );
  }
  return q;
}

function threadsOption(args: Args): number | undefined {
  const text = stringOption(args, "threads");
  if (text === undefined || text === "auto") return undefined;
  return parseNumberText("--threads", text, { integer: true, min: 1, max: MAX_THREADS });
}

/**
 * `--list`: index and id of every point of the slice, generated one at a time and written in batches that wait
 * for the reader (a 10^9-point grid lists in constant memory; `| head` ends it at once).
 */
async function listPoints(io: CliIo, grid: SweepGrid, shard: ShardSpec): Promise<void> {
  let batch = "";
  for (const point of sweepPoints(grid)) {
    if (!inShard(point.index, shard)) continue;
    batch += `${point.index}\t${point.id}\n`;
    if (batch.length >= 1 << 16) {
      const flushed = io.stdout.write(batch);
      batch = "";
      if (!flushed) await once(io.stdout, "drain");
    }
  }
  if (batch !== "") io.stdout.write(batch);
}

/** Refuses a sweep whose threads would each hold a replay too big for the machine together. */
function checkSweepMemory(io: CliIo, args: Args, plan: SweepPlan, traces: readonly TraceColumns[]): void {
  let largest = 0;
  let largestId = "";
  plan.points.forEach((point, k) => {
    const trace = traces[point.traceSlot] as TraceColumns;
    const minEndpoint = point.plannerConfig.value?.config.minEndpoint ?? 0;
    const bytes = pointSimulationBytes(plan.options[k] as ClusterOptions, traceSize(trace), minEndpoint);
    if (bytes > largest) {
      largest = bytes;
      largestId = point.id;
    }
  });
  const shared = traces.reduce(
    (sum, t) => ({
      count: sum.count + t.count,
      hashIds: sum.hashIds + t.hashIds.length,
      tokens: 0,
    }),
    { count: 0, hashIds: 0, tokens: 0 },
  );
  const estimate = sweepMemoryBytes({
    points: plan.points.length,
    threads: plan.threads,
    traces: shared,
    largestPointBytes: largest,
  });
  checkMemory(
    estimate,
    `this sweep (${plan.points.length} points on ${plan.threads} thread(s), the largest "${largestId}")`,
    memoryBudget(io.env),
    flagOption(args, "allow-large-memory"),
  );
}

/** Prints the rows and the answer (shared with `kvsim merge`). */
export function printSweepSummary(
  io: CliIo,
  out: Pick<SweepResult, "rows" | "answer" | "question">,
  json: boolean,
  columns: RowTextOptions,
): void {
  if (json) {
    io.stdout.write(rowsToJsonl(out.rows, columns));
    return;
  }
  const cheapest = out.answer?.kind === "cheapest" ? out.answer.row.index : null;
  io.stdout.write(`${formatSweepTable(out.rows, cheapest, columns.withKvTiers === true)}\n`);
  if (out.answer !== null && out.question !== null) {
    io.stdout.write(`\n${formatCapacityAnswer(out.answer, out.question)}\n`);
  }
}

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("sweep", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  if (args.positionals.length > 0) {
    throw new InputError(
      `kvsim sweep: unexpected argument "${args.positionals[0]}" (the grid goes in --grid FILE)`,
    );
  }
  const gridPath = stringOption(args, "grid");
  if (gridPath === undefined)
    throw new InputError("kvsim sweep: --grid FILE is required (see kvsim sweep --help)");
  const quiet = flagOption(args, "quiet");
  const outDir = stringOption(args, "out") ?? "sweep-out";
  const shardText = stringOption(args, "shard");
  const shard = shardText === undefined ? WHOLE_GRID : parseShardSpec(shardText);
  const threads = threadsOption(args);
  const flagQuestion = questionFromFlags(args);
  const grid = loadSweepGrid(gridPath);
  for (const warning of grid.warnings) io.stderr.write(`kvsim: ${warning}\n`);
  const question = mergeQuestions(grid.question, flagQuestion);

  if (flagOption(args, "list")) {
    await listPoints(io, grid, shard);
    return 0;
  }
  const maxPointsText = stringOption(args, "max-points");
  const maxPoints =
    maxPointsText === undefined
      ? DEFAULT_MAX_SWEEP_POINTS
      : parseNumberText("--max-points", maxPointsText, { integer: true, min: 1, max: MAX_SWEEP_POINTS });
  // Before the traces are read: a 10^9-point grid is refused at once, not after loading and expanding it.
  checkSweepPointCount(countSweepPoints(grid), shard, maxPoints);

  const reader: TraceFileReader = async (path, options) =>
    (
      await loadTrace(
        {
          path,
          sort: options.sort === true,
          lenient: options.lenient === true,
          threads: "auto",
          ...(options.traceBlockSize === undefined ? {} : { traceBlockSize: options.traceBlockSize }),
        },
        io,
        quiet,
      )
    ).columns;
  const traces: TraceColumns[] = await readSweepTraces(grid, reader);

  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once("SIGINT", onSigint);
  let bar: CounterProgress | null = null;
  let result: SweepResult;
  try {
    result = await runSweep({
      grid,
      traces,
      shard,
      question,
      keepGoing: flagOption(args, "keep-going"),
      signal: controller.signal,
      maxPoints,
      beforeStart: (plan) => checkSweepMemory(io, args, plan, traces),
      ...(threads === undefined ? {} : { threads }),
      onStart: (info) => {
        if (!quiet) {
          const slice = shard.count > 1 ? ` (slice ${formatShard(shard)})` : "";
          io.stderr.write(
            `kvsim sweep: ${info.points} point(s)${slice} on ${info.threads} thread(s), ${info.totalRequests.toLocaleString("en-US")} requests to simulate\n`,
          );
        }
        bar = createCounterProgress({
          label: "sweep",
          total: info.totalRequests,
          unit: "req",
          io,
          quiet,
          counters: info.counters,
        });
      },
    });
  } catch (error) {
    (bar as CounterProgress | null)?.finish();
    const columns = { withPlanner: gridHasPlanner(grid), withKvTiers: gridHasKvTiers(grid) };
    if (error instanceof SweepAbortedError) {
      const path = writePartialRows(outDir, error.completedRows, columns);
      io.stderr.write(
        `kvsim: sweep interrupted; ${error.completedRows.length} finished point(s) are in ${path} (no final outputs written)\n`,
      );
      return 130;
    }
    if (error instanceof SweepFailedError) {
      const path = writePartialRows(outDir, error.completedRows, columns);
      io.stderr.write(`kvsim: ${error.message}\n`);
      io.stderr.write(
        `kvsim: ${error.completedRows.length} finished point(s) are in ${path}; no final outputs were written\n`,
      );
      return error.isInputError ? 2 : 1;
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  (bar as CounterProgress | null)?.finish();
  const output = sweepOutputFromResult(result, traces);
  await writeSweepOutputs(outDir, output);
  printSweepSummary(io, result, flagOption(args, "json"), output);
  if (!quiet) {
    const note = shard.count > 1 ? `; combine the ${shard.count} slices with kvsim merge` : "";
    io.stderr.write(
      `kvsim sweep: wrote ${outDir}/ (${SWEEP_FILES.jsonl}, ${SWEEP_FILES.csv}, ${SWEEP_FILES.kvsweep}, ${SWEEP_FILES.html}, ${SWEEP_FILES.manifest})${note}\n`,
    );
  }
  return 0;
};
