import { basename } from "node:path";
import {
  checkMemory,
  memoryBudget,
  replayMemoryBytes,
  synthMemoryBytes,
  traceSize,
} from "../../parallel/memory-estimate.js";
import { MAX_BENCHMARK_GRANULARITY } from "../../parallel/run-limits.js";
import type { PlannerConfig } from "../../planner/config.js";
import { loadPlannerConfig, parsePlannerConfigText } from "../../planner/config-file.js";
import { DEFAULT_BENCHMARK_GRANULARITY } from "../../replay/bootstrap-fpms.js";
import { compareWithHindsight } from "../../replay/hindsight/comparison.js";
import type { PlannerReplayOptions } from "../../replay/planner-replay.js";
import {
  type ReplayOutcome,
  replayConsoleText,
  replayJsonText,
  writeReplayOutputs,
} from "../../replay/replay-outputs.js";
import { type ReplayRun, runReplay } from "../../replay/run-replay.js";
import { readPlannerWarmupWindows } from "../../replay/warmup-windows.js";
import {
  MAX_ARRIVAL_SPEEDUP,
  MAX_CONCURRENCY,
  MAX_POOL_WORKERS,
  MAX_SEED,
  MIN_ARRIVAL_SPEEDUP,
} from "../../sim/cluster/cluster-limits.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import { resolveClusterOptions } from "../../sim/cluster/resolve-options.js";
import { DEFAULT_ROUTER_MODE, ROUTER_MODES } from "../../sim/router/router-policies.js";
import type { TraceColumns } from "../../trace/columns.js";
import { DEFAULT_TRACE_BLOCK_SIZE, MAX_TRACE_BLOCK_SIZE } from "../../trace/columns.js";
import { TURN_DOMAIN } from "../../trace/synth/distributions.js";
import { buildReplaySyntheticTrace } from "../../trace/synth/replay-synthetic.js";
import { MAX_SYNTH_REQUESTS } from "../../trace/synth/synth-spec.js";
import { InputError } from "../../util/errors.js";
import { flagOption, numberOption, parseCommandArgs, stringOption } from "../args.js";
import type { CliIo, CommandMain } from "../io.js";
import { readJsonOrFile } from "../json-arg.js";
import {
  expectAtMostOneFile,
  loadTrace,
  TRACE_INPUT_HELP,
  TRACE_INPUT_OPTIONS,
  traceInputSettings,
} from "../load-trace.js";
import { createProgress } from "../progress.js";
import { CELLS_HELP, CELLS_OPTIONS, checkCellFlags, replayCells } from "./replay-cells.js";

export const HELP = `Usage: kvsim replay [TRACE] [options]

Replay a request trace through a simulated cluster — a KV-aware (or round-robin / random) router in front of
mock vLLM workers, aggregated or disaggregated — and print AIPerf-style latency and throughput metrics.
Without TRACE (and without the synthetic flags) it replays the embedded Mooncake conversation trace.

Cluster:
  --mode agg|disagg               aggregated workers, or separate prefill and decode pools (default agg)
  --num-workers N                 aggregated workers (default 1)
  --num-prefill-workers N         prefill workers in disagg mode (default 1)
  --num-decode-workers N          decode workers in disagg mode (default 1)
  --router-mode ${ROUTER_MODES.join("|")}   (default ${DEFAULT_ROUTER_MODE})
  --router-config JSON|FILE       KV router settings (snake_case keys, e.g. {"router_temperature":0.5})
  --engine-args JSON|FILE         mock engine args of every worker (e.g. {"num_gpu_blocks":8192}): in disagg
                                  both pools take them, and the two flags below override them field by field
  --prefill-engine-args JSON|FILE engine args of prefill workers (disagg; over --engine-args)
  --decode-engine-args JSON|FILE  engine args of decode workers (disagg; over --engine-args)

Workload:
  --arrival-speedup-ratio R       divide arrival times and inter-turn delays by R (default 1)
  --concurrency N                 closed loop: keep N requests in flight, ignoring trace timestamps
  --seed N                        seed for every random choice (default 0)
  Synthetic instead of a trace (all three required): --input-tokens N --output-tokens N --request-count N,
  with optional --arrival-interval-ms MS (1), --turns-per-session N (1), --shared-prefix-ratio F (0),
  --num-prefix-groups N (0), --inter-turn-delay-ms MS (0)

Planner in the loop:
  --planner-config JSON|FILE      run the planner (autoscaler) over the replay: it ticks on simulated time, reads
                                  the workers' forward passes and the traffic, and scales the pools (YAML/JSON
                                  file or inline JSON; snake_case planner keys, e.g. {"mode":"agg",
                                  "optimization_target":"sla"}). Its "mode" sets --mode unless --mode is given;
                                  "kv_hit_rate_awareness": false withholds the KV hit rate from the planner
  --benchmark-granularity N       steps per axis of the regression bootstrap sweep (SLA mode; default 8)
  --report-html FILE              write the planner's HTML report (charts of replicas, latency, load, KV)
  --compare-hindsight             after the planner run, also find the hindsight schedule and the cheapest static
                                  cluster for the same trace, cluster and SLA (ttft, itl, sla_attainment_target,
                                  max_gpu_budget of the planner config): one summary line each, a "comparison"
                                  section in the JSON report, the hindsight replicas beside the planner's in HTML

Output:
  --report-json FILE              write the flat JSON report (with --planner-config: plus a "planner" section)
  --requests-out FILE             write one JSON line per request
  --json                          print the JSON report instead of the table
  --quiet                         no progress bar
  --check-invariants              verify engine invariants after every pass (slow; debugging)
  --allow-large-memory            run even when the memory estimate exceeds the budget (docs/limits.md#memory)
  -h, --help                      this help
${CELLS_HELP}${TRACE_INPUT_HELP}`;

const OPTIONS = {
  ...TRACE_INPUT_OPTIONS,
  mode: { type: "string" },
  "num-workers": { type: "string" },
  "num-prefill-workers": { type: "string" },
  "num-decode-workers": { type: "string" },
  "router-mode": { type: "string" },
  "router-config": { type: "string" },
  "engine-args": { type: "string" },
  "prefill-engine-args": { type: "string" },
  "decode-engine-args": { type: "string" },
  "arrival-speedup-ratio": { type: "string" },
  concurrency: { type: "string" },
  "replay-concurrency": { type: "string" },
  seed: { type: "string" },
  "input-tokens": { type: "string" },
  "output-tokens": { type: "string" },
  "request-count": { type: "string" },
  "arrival-interval-ms": { type: "string" },
  "turns-per-session": { type: "string" },
  "shared-prefix-ratio": { type: "string" },
  "num-prefix-groups": { type: "string" },
  "inter-turn-delay-ms": { type: "string" },
  "report-json": { type: "string" },
  "planner-config": { type: "string" },
  "benchmark-granularity": { type: "string" },
  "report-html": { type: "string" },
  "compare-hindsight": { type: "boolean" },
  "requests-out": { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  "check-invariants": { type: "boolean" },
  "allow-large-memory": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...CELLS_OPTIONS,
} as const;

const SYNTHETIC_FLAGS = [
  "input-tokens",
  "output-tokens",
  "request-count",
  "arrival-interval-ms",
  "turns-per-session",
  "shared-prefix-ratio",
  "num-prefix-groups",
  "inter-turn-delay-ms",
] as const;

type Args = ReturnType<typeof parseCommandArgs>;

async function replayTrace(
  args: Args,
  io: CliIo,
  quiet: boolean,
): Promise<{ trace: TraceColumns; name: string }> {
  const synthetic = SYNTHETIC_FLAGS.filter((f) => stringOption(args, f) !== undefined);
  if (synthetic.length === 0) {
    expectAtMostOneFile("replay", args);
    const loaded = await loadTrace(traceInputSettings(args), io, quiet);
    return { trace: loaded.columns, name: basename(loaded.displayName) };
  }
  if (args.positionals.length > 0) {
    throw new InputError(
      `kvsim replay: give either a TRACE file or the synthetic flags (--${synthetic[0]}), not both`,
    );
  }
  for (const required of ["input-tokens", "output-tokens", "request-count"] as const) {
    if (stringOption(args, required) === undefined) {
      throw new InputError(
        `kvsim replay: synthetic mode needs --input-tokens, --output-tokens and --request-count (missing --${required})`,
      );
    }
  }
  const int = { integer: true, min: 1 } as const;
  const tokens = { ...int, max: 2 ** 31 - 1 } as const;
  const ms = { min: 0, max: 1e9 } as const;
  const inputTokens = numberOption(args, "input-tokens", 0, tokens);
  const outputTokens = numberOption(args, "output-tokens", 0, tokens);
  const requestCount = numberOption(args, "request-count", 0, { ...int, max: MAX_SYNTH_REQUESTS });
  const turnsPerSession = numberOption(args, "turns-per-session", 1, { ...int, max: TURN_DOMAIN.max });
  const blockSize = numberOption(args, "trace-block-size", DEFAULT_TRACE_BLOCK_SIZE, {
    ...int,
    max: MAX_TRACE_BLOCK_SIZE,
  });
  // The rows before they are built: a session's last turn holds every earlier one (an upper bound per row).
  const rows = requestCount * turnsPerSession;
  const idsPerRow = Math.ceil((turnsPerSession * (inputTokens + outputTokens)) / blockSize);
  checkMemory(
    synthMemoryBytes(rows, rows * idsPerRow),
    `the synthetic trace (${rows} requests of up to ${idsPerRow} hash ids)`,
    memoryBudget(io.env),
    flagOption(args, "allow-large-memory"),
  );
  const trace = buildReplaySyntheticTrace({
    inputTokens,
    outputTokens,
    requestCount,
    arrivalIntervalMs: numberOption(args, "arrival-interval-ms", 1, ms),
    turnsPerSession,
    sharedPrefixRatio: numberOption(args, "shared-prefix-ratio", 0, { min: 0, max: 1 }),
    numPrefixGroups: numberOption(args, "num-prefix-groups", 0, { integer: true, min: 0, max: 1_000_000 }),
    interTurnDelayMs: numberOption(args, "inter-turn-delay-ms", 0, ms),
    blockSize,
  });
  return { trace, name: "synthetic" };
}

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("replay", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  const quiet = flagOption(args, "quiet");
  checkCellFlags(args);
  const plannerConfig = loadReplayPlannerConfig(args, io);
  const mode = stringOption(args, "mode") ?? plannerClusterMode(plannerConfig);
  checkModeFlags(args, mode);
  const { trace, name } = await replayTrace(args, io, quiet);
  const int = { integer: true, min: 1 } as const;
  const workers = { integer: true, min: 1, max: MAX_POOL_WORKERS } as const;
  // --replay-concurrency is the reference's name for --concurrency.
  const concurrencyFlag =
    stringOption(args, "concurrency") !== undefined ? "concurrency" : "replay-concurrency";
  const concurrencyText = stringOption(args, concurrencyFlag);
  const options = resolveClusterOptions(
    {
      mode: mode as "agg",
      numWorkers: numberOption(args, "num-workers", 1, workers),
      numPrefillWorkers: numberOption(args, "num-prefill-workers", 1, workers),
      numDecodeWorkers: numberOption(args, "num-decode-workers", 1, workers),
      routerMode: stringOption(args, "router-mode") ?? DEFAULT_ROUTER_MODE,
      routerConfig: readJsonOrFile(stringOption(args, "router-config"), "--router-config"),
      engineArgs: readJsonOrFile(stringOption(args, "engine-args"), "--engine-args"),
      prefillEngineArgs: readJsonOrFile(stringOption(args, "prefill-engine-args"), "--prefill-engine-args"),
      decodeEngineArgs: readJsonOrFile(stringOption(args, "decode-engine-args"), "--decode-engine-args"),
      arrivalSpeedupRatio: numberOption(args, "arrival-speedup-ratio", 1, {
        min: MIN_ARRIVAL_SPEEDUP,
        max: MAX_ARRIVAL_SPEEDUP,
      }),
      concurrency:
        concurrencyText === undefined
          ? null
          : numberOption(args, concurrencyFlag, 1, { ...int, max: MAX_CONCURRENCY }),
      seed: numberOption(args, "seed", 0, { integer: true, min: 0, max: MAX_SEED }),
      checkInvariants: flagOption(args, "check-invariants"),
    },
    trace.traceBlockSize,
    {
      routerConfig: "--router-config",
      engineArgs: "--engine-args",
      prefillEngineArgs: "--prefill-engine-args",
      decodeEngineArgs: "--decode-engine-args",
    },
  );
  const planner = plannerConfig === null ? null : plannerOptions(args, plannerConfig, name);
  const checkReplayMemory = (extraThreads: number): void => {
    const workersAtLeast = plannerConfig?.minEndpoint ?? 0;
    const estimate = replayMemoryBytes({ options, trace: traceSize(trace), extraThreads, workersAtLeast });
    const what = `this replay (${describeCluster(options, workersAtLeast)}; ${trace.count} requests)`;
    checkMemory(estimate, what, memoryBudget(io.env), flagOption(args, "allow-large-memory"));
  };
  if (stringOption(args, "cells") !== undefined) {
    if (plannerConfig?.scalingPolicy === "hindsight" || flagOption(args, "compare-hindsight")) {
      throw new InputError(
        "kvsim replay: --cells shards the trace, and the hindsight search needs the whole one: drop --cells for scaling_policy hindsight or --compare-hindsight",
      );
    }
    return replayCells(args, io, {
      trace,
      name,
      options,
      planner,
      quiet,
      checkMemory: checkReplayMemory,
    });
  }
  checkReplayMemory(0);
  const bar = createProgress({ label: "replay", total: trace.count, unit: "req", io, quiet });
  let run: ReplayRun;
  try {
    run = runReplay(trace, options, {
      planner,
      hooks: { onProgress: (done) => bar.update(done), progressEvery: 64 },
    });
  } finally {
    bar.finish();
  }
  const comparison =
    flagOption(args, "compare-hindsight") && run.planner !== null && plannerConfig !== null
      ? compareWithHindsight(trace, options, plannerConfig, run.planner, name)
      : undefined;
  const outcome: ReplayOutcome = {
    report: run.report,
    kvTiers: run.kvTiers,
    planner: run.planner,
    collector: run.simulation.collector,
    ...(comparison === undefined ? {} : { comparison }),
  };
  await writeReplayOutputs(outcome, trace, {
    reportJson: stringOption(args, "report-json"),
    reportHtml: stringOption(args, "report-html"),
    requestsOut: stringOption(args, "requests-out"),
  });
  io.stdout.write(flagOption(args, "json") ? replayJsonText(outcome) : replayConsoleText(outcome));
  return 0;
};

/** "agg: 8 workers × 16384 KV blocks" for the memory message. */
function describeCluster(options: ClusterOptions, workersAtLeast: number): string {
  const pool = (n: number, blocks: number): string =>
    `${Math.max(n, workersAtLeast)} worker${Math.max(n, workersAtLeast) === 1 ? "" : "s"} × ${blocks} KV blocks`;
  return options.mode === "agg"
    ? `agg: ${pool(options.numWorkers, options.engineArgs.num_gpu_blocks)}`
    : `disagg: prefill ${pool(options.numPrefillWorkers, options.prefillEngineArgs.num_gpu_blocks)}, ` +
        `decode ${pool(options.numDecodeWorkers, options.decodeEngineArgs.num_gpu_blocks)}`;
}

/**
 * Flags of the other topology are refused rather than ignored: a user who passes --num-workers to a disagg
 * replay (or --prefill-engine-args to an agg one) believes they changed the run. --engine-args applies to both.
 */
const FLAGS_OF_MODE: Readonly<Record<"agg" | "disagg", readonly string[]>> = {
  agg: ["num-workers"],
  disagg: ["num-prefill-workers", "num-decode-workers", "prefill-engine-args", "decode-engine-args"],
};

function checkModeFlags(args: Args, mode: string): void {
  if (mode !== "agg" && mode !== "disagg") return; // resolveClusterOptions names the bad --mode
  const other = mode === "agg" ? "disagg" : "agg";
  const stray = FLAGS_OF_MODE[other].find((flag) => stringOption(args, flag) !== undefined);
  if (stray === undefined) return;
  const why =
    stringOption(args, "mode") !== undefined
      ? ""
      : stringOption(args, "planner-config") !== undefined
        ? " (the mode of --planner-config)"
        : " (the default mode)";
  throw new InputError(
    `kvsim replay: --${stray} applies only to --mode ${other}; this replay is ${mode}${why}, so it would be ignored`,
  );
}

// ---- planner in the loop (docs/planner-in-the-loop.md) ----

const PLANNER_ONLY_FLAGS = ["benchmark-granularity", "report-html", "compare-hindsight"] as const;

/** The planner config of `--planner-config`, or null; planner-only flags without it are an error. */
function loadReplayPlannerConfig(args: Args, io: CliIo): PlannerConfig | null {
  const value = stringOption(args, "planner-config");
  if (value === undefined) {
    const stray = PLANNER_ONLY_FLAGS.find((f) =>
      f === "compare-hindsight" ? flagOption(args, f) : stringOption(args, f) !== undefined,
    );
    if (stray !== undefined) throw new InputError(`kvsim replay: --${stray} needs --planner-config`);
    return null;
  }
  const onWarning = (message: string): void => {
    io.stderr.write(`kvsim: ${message}\n`);
  };
  const config = value.trimStart().startsWith("{")
    ? parsePlannerConfigText(value, "--planner-config", "json", { onWarning })
    : loadPlannerConfig(value, { onWarning });
  const clusterMode = stringOption(args, "mode");
  if (
    clusterMode !== undefined &&
    (config.mode === "agg" || config.mode === "disagg") &&
    config.mode !== clusterMode
  ) {
    throw new InputError(
      `--planner-config: field "mode" is "${config.mode}" but --mode is ${clusterMode} (drop --mode to follow the planner config)`,
    );
  }
  return config;
}

/** Without --mode the planner config's mode picks the topology (the replay's own default is agg). */
function plannerClusterMode(config: PlannerConfig | null): string {
  return config?.mode === "disagg" ? "disagg" : "agg";
}

/** The planner in the loop as `--planner-config` and `--benchmark-granularity` describe it. */
function plannerOptions(args: Args, config: PlannerConfig, traceName: string): PlannerReplayOptions {
  const granularity = numberOption(args, "benchmark-granularity", DEFAULT_BENCHMARK_GRANULARITY, {
    integer: true,
    min: 1,
    max: MAX_BENCHMARK_GRANULARITY,
  });
  return { config, benchmarkGranularity: granularity, warmup: readPlannerWarmupWindows(config), traceName };
}
