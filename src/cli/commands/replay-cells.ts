import { availableParallelism } from "node:os";
import { CellFaultError, CellsAbortedError } from "../../parallel/cells/cell-errors.js";
import {
  appendCellsSection,
  type CellsSection,
  cellsSection,
  cellsSummaryLines,
  compareWithUnsharded,
} from "../../parallel/cells/cells-report.js";
import { type CellReplayRun, type CellRunStart, runCellReplay } from "../../parallel/cells/run-cells.js";
import { formatShardKey, parseShardKey, type ShardKey } from "../../parallel/cells/shard-key.js";
import { MAX_CELLS, MAX_THREADS } from "../../parallel/run-limits.js";
import type { PlannerReplayOptions } from "../../replay/planner-replay.js";
import { replayConsoleText, replayJsonText, writeReplayOutputs } from "../../replay/replay-outputs.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { TraceColumns } from "../../trace/columns.js";
import { InputError } from "../../util/errors.js";
import { flagOption, type ParsedArgs, parseNumberText, stringOption } from "../args.js";
import type { CliIo } from "../io.js";
import { type CounterProgress, createCounterProgress } from "../progress.js";

/**
 * `kvsim replay --cells K`: the sharded replay (src/parallel/cells). Without --cells, replay runs the unsharded
 * path unchanged; with it (K = 1 included) it runs the cell machinery, whose K = 1 result is byte-identical to
 * the unsharded one. For K > 1 the report gains a last "cells" section with the error against an unsharded run of
 * the same config (run after the sharded one unless --no-compare-unsharded).
 */

export const CELLS_HELP = `
Sharded replay (cells):
  --cells K                       split the cluster into K cells, each with its own router and its share of the
                                  workers (floor + remainder, lowest cells first); the trace is split by
                                  --shard-key and the cells run on --threads threads. Results do not depend on
                                  the thread count; --cells 1 equals the unsharded replay byte for byte
  --shard-key session|block:D|hash
                                  session: whole sessions, balanced by load; block:D: sessions whose first turn
                                  starts with the same D hash ids go together (prefix locality); hash: sessions by
                                  a hash of their number. Default: session when the trace has session ids, else
                                  block:2 (every Mooncake conversation request shares block 0)
  --threads N|auto                also sets the cell threads (default auto: min(K, cores))
  --no-compare-unsharded          skip the unsharded K=1 run that measures the error of K cells (TTFT p50/p99,
                                  GPU-hours) in the summary and the report's "cells" section

`;

export const CELLS_OPTIONS = {
  cells: { type: "string" },
  "shard-key": { type: "string" },
  "no-compare-unsharded": { type: "boolean" },
} as const;

/** --shard-key and --no-compare-unsharded need --cells. */
export function checkCellFlags(args: ParsedArgs): void {
  if (stringOption(args, "cells") !== undefined) return;
  if (stringOption(args, "shard-key") !== undefined)
    throw new InputError("kvsim replay: --shard-key needs --cells");
  if (flagOption(args, "no-compare-unsharded"))
    throw new InputError("kvsim replay: --no-compare-unsharded needs --cells");
}

export interface CellsRunInput {
  readonly trace: TraceColumns;
  readonly name: string;
  readonly options: ClusterOptions;
  readonly planner: PlannerReplayOptions | null;
  readonly quiet: boolean;
  /** Refuses the run when its memory estimate with this many extra threads exceeds the budget. */
  readonly checkMemory: (extraThreads: number) => void;
}

function cellThreads(args: ParsedArgs, cells: number): number {
  const text = stringOption(args, "threads");
  if (text === undefined || text === "auto") return Math.max(1, Math.min(cells, availableParallelism()));
  return parseNumberText("--threads", text, { integer: true, min: 1, max: MAX_THREADS });
}

export async function replayCells(args: ParsedArgs, io: CliIo, input: CellsRunInput): Promise<number> {
  const cells = parseNumberText("--cells", stringOption(args, "cells") ?? "1", {
    integer: true,
    min: 1,
    max: MAX_CELLS,
  });
  const keyText = stringOption(args, "shard-key");
  const shardKey: ShardKey | undefined = keyText === undefined ? undefined : parseShardKey(keyText);
  const threads = cellThreads(args, cells);
  // Host threads (at most one per cell) and the coordinator.
  input.checkMemory(Math.min(threads, cells) + 1);
  const compare = cells > 1 && !flagOption(args, "no-compare-unsharded");
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once("SIGINT", onSigint);
  let bar: CounterProgress | null = null;
  const progress = (label: string) => (info: CellRunStart) => {
    if (!input.quiet && label === "replay") {
      io.stderr.write(
        `kvsim replay: ${info.cells} cell(s) (shard key ${formatShardKey(info.shardKey)}) on ${info.threads} ` +
          `thread(s), ${info.totalRequests.toLocaleString("en-US")} requests\n`,
      );
    }
    bar = createCounterProgress({
      label,
      total: info.totalRequests,
      unit: "req",
      io,
      quiet: input.quiet,
      counters: info.counters,
    });
  };
  const common = {
    planner: input.planner,
    signal: controller.signal,
    sourceName: input.name,
  };
  let run: CellReplayRun;
  let unsharded: CellReplayRun | null = null;
  try {
    run = await runCellReplay(input.trace, input.options, {
      ...common,
      cells,
      threads,
      ...(shardKey === undefined ? {} : { shardKey }),
      onStart: progress("replay"),
    });
    (bar as CounterProgress | null)?.finish();
    if (compare) {
      unsharded = await runCellReplay(input.trace, input.options, {
        ...common,
        cells: 1,
        threads: 1,
        onStart: progress("unsharded K=1 (for comparison)"),
      });
      (bar as CounterProgress | null)?.finish();
    }
  } catch (error) {
    (bar as CounterProgress | null)?.finish();
    if (error instanceof CellsAbortedError) {
      io.stderr.write("kvsim: replay interrupted; no output written\n");
      return 130;
    }
    if (error instanceof CellFaultError) {
      io.stderr.write(`kvsim: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  return writeCellOutputs(args, io, input, run, unsharded);
}

async function writeCellOutputs(
  args: ParsedArgs,
  io: CliIo,
  input: CellsRunInput,
  run: CellReplayRun,
  unsharded: CellReplayRun | null,
): Promise<number> {
  let section: CellsSection | null = null;
  if (run.layout.count > 1) {
    const comparison = unsharded === null ? null : compareWithUnsharded(run, unsharded, input.options);
    section = cellsSection(run.layout, run.cellEndMs, comparison);
  }
  const outcome = {
    report: run.report,
    kvTiers: run.kvTiers,
    planner: run.planner,
    collector: run.collector,
  };
  const base = replayJsonText(outcome);
  const json = section === null ? base : appendCellsSection(base, section);
  await writeReplayOutputs(
    outcome,
    input.trace,
    {
      reportJson: stringOption(args, "report-json"),
      reportHtml: stringOption(args, "report-html"),
      requestsOut: stringOption(args, "requests-out"),
    },
    json,
  );
  io.stdout.write(
    flagOption(args, "json")
      ? json
      : replayConsoleText(outcome, section === null ? [] : cellsSummaryLines(section)),
  );
  return 0;
}
