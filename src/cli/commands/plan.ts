// `kvsim plan`: run the planner state machine over recorded tick inputs (JSONL) and print its decisions and
// diagnostics, to test a planner config against metrics recorded from a live system.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { PlannerConfig } from "../../planner/config.js";
import { loadPlannerConfig } from "../../planner/config-file.js";
import { DiagnosticsRecorder } from "../../planner/diagnostics-recorder.js";
import { parseObservationRecord } from "../../planner/observations-schema.js";
import { type PlannedTick, type RecordedTick, replayRecordedTicks } from "../../planner/recorded-ticks.js";
import { PlannerStateMachine, type WarmupWindow } from "../../planner/state-machine.js";
import type {
  EngineCapabilities,
  ForwardPassMetrics,
  ScheduledTick,
  WorkerCapabilities,
} from "../../planner/types.js";
import { extractWarmupObservations } from "../../planner/warmup.js";
import { readTrace } from "../../trace/read-trace.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { InputError, inputErrorAt } from "../../util/errors.js";
import { snakeCasedKeys } from "../../util/snake-case.js";
import { flagOption, type OptionSpec, parseCommandArgs, parseNumberText, stringOption } from "../args.js";
import type { CliIo, CommandMain } from "../io.js";

export const HELP = `Usage: kvsim plan --config FILE --observations FILE [options]

Run the planner over recorded tick inputs and print one line per tick: time, tick kind, decision, reasons,
estimates, predictions, the KV hit rate and the throughput floors.

  --config FILE|JSON       planner config (.yaml/.yml/.json, or inline JSON)
  --observations FILE      recorded tick inputs, JSON Lines (schema in the README, "Planner")
  --start-s S              schedule start (default: first record's now_s − load_adjustment_interval)
  --json                   print JSON Lines {line, now_s, tick, scale_to, next_tick, diagnostics, state}
  --diagnostics-out FILE   also write the diagnostics snapshots (JSON), atomically
  -q, --quiet              no summary line
  -h, --help               this help

Each record is offered to the next scheduled tick: records earlier than it (by more than 0.5 s) are skipped,
the rest run as that tick at their own now_s; the tick's flags decide which of the record's traffic, worker
counts and FPMs the planner sees.
`;

const OPTIONS: OptionSpec = {
  config: { type: "string" },
  observations: { type: "string" },
  "start-s": { type: "string" },
  json: { type: "boolean" },
  "diagnostics-out": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
};

interface ObservationsFile {
  readonly capabilities: WorkerCapabilities;
  readonly benchmarkPrefill: ForwardPassMetrics[];
  readonly benchmarkDecode: ForwardPassMetrics[];
  readonly ticks: RecordedTick[];
}

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("plan", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  if (args.positionals.length > 0)
    throw new InputError(`kvsim plan: unexpected argument "${args.positionals[0]}"`);
  const configArg = stringOption(args, "config");
  const obsPath = stringOption(args, "observations");
  if (configArg === undefined) throw new InputError("kvsim plan: --config FILE is required");
  if (obsPath === undefined) throw new InputError("kvsim plan: --observations FILE is required");
  const startText = stringOption(args, "start-s");
  const startS = startText === undefined ? undefined : parseNumberText("--start-s", startText);
  const json = flagOption(args, "json");
  const quiet = flagOption(args, "quiet");

  const config = loadPlannerConfig(configArg, {
    env: io.env,
    onWarning: (m) => io.stderr.write(`kvsim: warning: ${m}\n`),
  });
  const observations = readObservations(obsPath);
  const capabilities = mergeGpuCounts(config, observations.capabilities);
  const machine = new PlannerStateMachine(config, capabilities, loadWarmup(config, io));
  machine.loadBenchmarkFpms({ prefill: observations.benchmarkPrefill, decode: observations.benchmarkDecode });
  const recorder = new DiagnosticsRecorder(config, capabilities.decode?.maxKvTokens ?? null);

  let decisions = 0;
  const out: string[] = [];
  const flush = (): void => {
    if (out.length > 0) io.stdout.write(out.join(""));
    out.length = 0;
  };
  if (!json)
    out.push(`planner: mode ${config.mode}, target ${config.optimizationTarget}, ${scalingText(config)}\n`);
  const summary = replayRecordedTicks(
    machine,
    observations.ticks,
    startS === undefined ? {} : { startS },
    (t) => {
      if (t.effects.scaleTo !== null) decisions++;
      out.push(json ? `${JSON.stringify(tickJson(t))}\n` : `${tickText(t)}\n`);
      if (out.length >= 256) flush();
      recorder.record({
        input: t.input,
        effects: t.effects,
        numPrefillReplicas: t.numPrefillWorkers,
        numDecodeReplicas: t.numDecodeWorkers,
        observed: t.observed,
        gpuHours: t.gpuHours,
      });
    },
  );
  flush();
  const diagnosticsOut = stringOption(args, "diagnostics-out");
  if (diagnosticsOut !== undefined) writeFileAtomic(diagnosticsOut, `${JSON.stringify(recorder.toJSON())}\n`);
  if (!quiet) {
    const skipped = summary.skippedLines.length;
    const line =
      `${plural(summary.processedTicks, "tick")}, ${plural(decisions, "scaling decision")}, ` +
      `${plural(recorder.summary().replicaTransitions, "replica transition")}` +
      (skipped > 0
        ? `, ${plural(skipped, "record")} skipped (before the next scheduled tick: line${skipped === 1 ? "" : "s"} ${lineList(summary.skippedLines)})`
        : "");
    (json ? io.stderr : io.stdout).write(`${line}\n`);
  }
  return 0;
};

function readObservations(path: string): ObservationsFile {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(
      `${path}: cannot read the observations (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`,
    );
  }
  const result: ObservationsFile = { capabilities: {}, benchmarkPrefill: [], benchmarkDecode: [], ticks: [] };
  let capabilities: WorkerCapabilities | null = null;
  let lastNowS = Number.NEGATIVE_INFINITY;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const lineText = (lines[i] ?? "").trim();
    if (lineText === "") continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      throw inputErrorAt(
        file,
        line,
        null,
        `invalid JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const record = parseObservationRecord(value, file, line);
    if (record.kind !== "tick" && result.ticks.length > 0) {
      throw inputErrorAt(file, line, record.kind, "header records must come before the first tick record");
    }
    if (record.kind === "capabilities") {
      if (capabilities !== null) throw inputErrorAt(file, line, "capabilities", "given twice");
      capabilities = record.capabilities;
    } else if (record.kind === "benchmark_fpms") {
      result.benchmarkPrefill.push(...record.prefill);
      result.benchmarkDecode.push(...record.decode);
    } else {
      const nowS = record.tick.input.nowS;
      if (nowS < lastNowS)
        throw inputErrorAt(file, line, "now_s", `goes backwards (${nowS} after ${lastNowS})`);
      lastNowS = nowS;
      result.ticks.push({ line, record: record.tick });
    }
  }
  if (result.ticks.length === 0) throw new InputError(`${file}: no tick records (lines with "now_s")`);
  return { ...result, capabilities: capabilities ?? {} };
}

/** GPUs per replica: the config's `*_engine_num_gpu` wins over the recorded capability (as natively). */
function mergeGpuCounts(config: PlannerConfig, caps: WorkerCapabilities): WorkerCapabilities {
  const merge = (
    c: EngineCapabilities | null | undefined,
    gpus: number | null,
  ): EngineCapabilities | null => {
    if (gpus === null) return c ?? null;
    return { ...(c ?? {}), numGpu: gpus };
  };
  return {
    prefill: merge(caps.prefill, config.prefillEngineNumGpu),
    decode: merge(caps.decode, config.decodeEngineNumGpu),
  };
}

/** Warm-up windows from `load_predictor_warmup_trace` (SLA mode); a failure only warns, as upstream. */
function loadWarmup(config: PlannerConfig, io: CliIo): WarmupWindow[] | null {
  const path = config.loadPredictorWarmupTrace;
  if (path === null || config.optimizationTarget !== "sla") return null;
  try {
    const { columns } = readTrace(path, { sort: true });
    return extractWarmupObservations(columns, config.throughputAdjustmentIntervalS);
  } catch (error) {
    io.stderr.write(
      `kvsim: warning: predictor warm-up skipped: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return null;
  }
}

function scalingText(config: PlannerConfig): string {
  const parts: string[] = [];
  if (config.enableLoadScaling) parts.push(`load every ${config.loadAdjustmentIntervalS} s`);
  if (config.enableThroughputScaling)
    parts.push(`throughput every ${config.throughputAdjustmentIntervalS} s`);
  return parts.join(", ");
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function lineList(lines: readonly number[]): string {
  const shown = lines.slice(0, 10).join(", ");
  return lines.length > 10 ? `${shown}, …` : shown;
}

// ---- output ----

function tickKind(tick: ScheduledTick): string {
  if (tick.runLoadScaling && tick.runThroughputScaling) return "load+throughput";
  return tick.runThroughputScaling ? "throughput" : "load";
}

function num(x: number | null, digits: number): string {
  return x === null ? "-" : x.toFixed(digits);
}

function count(x: number | null): string {
  return x === null ? "-" : String(x);
}

function reasonText(aggregate: string | null, prefill: string | null, decode: string | null): string {
  if (prefill === null && decode === null) return aggregate ?? "-";
  return `${aggregate ?? "-"}(p:${prefill ?? "-"},d:${decode ?? "-"})`;
}

/** `t=65.000 load scale_to=p:7,d:- load=scale_up throughput=- ttft_est=2304.0ms ...` */
export function tickText(t: PlannedTick): string {
  const d = t.effects.diagnostics;
  const s = t.effects.scaleTo;
  return [
    `t=${t.input.nowS.toFixed(3)}`,
    tickKind(t.tick),
    `ready=p:${t.numPrefillWorkers},d:${t.numDecodeWorkers}`,
    `scale_to=${s === null ? "-" : `p:${count(s.numPrefill)},d:${count(s.numDecode)}`}`,
    `load=${reasonText(d.loadDecisionReason, d.loadDecisionReasonPrefill, d.loadDecisionReasonDecode)}`,
    `throughput=${reasonText(d.throughputDecisionReason, d.throughputDecisionReasonPrefill, d.throughputDecisionReasonDecode)}`,
    `ttft_est=${d.estimatedTtftMs === null ? "-" : `${d.estimatedTtftMs.toFixed(1)}ms`}`,
    `itl_est=${d.estimatedItlMs === null ? "-" : `${d.estimatedItlMs.toFixed(2)}ms`}`,
    `pred_req=${num(d.predictedNumReq, 1)}`,
    `pred_isl=${num(d.predictedIsl, 1)}`,
    `pred_osl=${num(d.predictedOsl, 1)}`,
    `pred_hit=${num(d.predictedKvHitRate, 3)}`,
    `hit=${num(t.lastKvHitRate, 3)}`,
    `engine_rps=p:${num(d.engineRpsPrefill, 3)},d:${num(d.engineRpsDecode, 3)}`,
    `floors=p:${d.throughputLowerBoundPrefill},d:${d.throughputLowerBoundDecode}`,
  ].join(" ");
}

function scheduledTickJson(tick: ScheduledTick): Record<string, number | boolean> {
  return {
    at_s: tick.atS,
    run_load_scaling: tick.runLoadScaling,
    run_throughput_scaling: tick.runThroughputScaling,
    need_traffic_metrics: tick.needTrafficMetrics,
    traffic_metrics_duration_s: tick.trafficMetricsDurationS,
    need_worker_states: tick.needWorkerStates,
    need_worker_fpm: tick.needWorkerFpm,
  };
}

export function tickJson(t: PlannedTick): Record<string, unknown> {
  const s = t.effects.scaleTo;
  return {
    line: t.line,
    now_s: t.input.nowS,
    tick: scheduledTickJson(t.tick),
    scale_to: s === null ? null : { num_prefill: s.numPrefill, num_decode: s.numDecode },
    next_tick: scheduledTickJson(t.effects.nextTick),
    diagnostics: snakeCasedKeys(t.effects.diagnostics),
    state: {
      ready_num_prefill: t.numPrefillWorkers,
      ready_num_decode: t.numDecodeWorkers,
      last_kv_hit_rate: t.lastKvHitRate,
      gpu_hours: t.gpuHours,
    },
  };
}
