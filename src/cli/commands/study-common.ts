// What the `kvsim study …` commands share: their options, the thread count, --workloads, and the progress bar
// over the points' shared request counters.

import { MAX_THREADS } from "../../parallel/run-limits.js";
import type { StudyRunOptions, StudyStartInfo } from "../../parallel/study/run-study.js";
import { formatGrouped } from "../../report/aiperf-table.js";
import type { StudyWorkloadShape } from "../../studies/study-workload.js";
import { InputError } from "../../util/errors.js";
import { flagOption, type ParsedArgs, parseNumberText, stringOption } from "../args.js";
import type { CliIo } from "../io.js";
import { type CounterProgress, createCounterProgress } from "../progress.js";

export const STUDY_OPTIONS = {
  out: { type: "string" },
  threads: { type: "string" },
  quick: { type: "boolean" },
  "mooncake-trace": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

export const STUDY_OPTIONS_HELP = `Options:
  --out DIR               output directory (default study-out; the committed study lives in docs/study)
  --threads N|auto        worker threads (default auto: one per core, at most 16); 1 runs on this thread
  --quick                 a much smaller study (seconds of traffic instead of minutes), for a quick look
  --mooncake-trace FILE   the Mooncake synthetic trace (default ../shared/traces/mooncake_synthetic_trace.jsonl
                          next to the package)
  --quiet                 no progress bar or status line
  -h, --help              this help
`;

export interface StudyCliSettings {
  readonly quiet: boolean;
  readonly outDir: string;
  readonly run: Omit<StudyRunOptions, "onStart" | "onProgress">;
}

export function studyCliSettings(command: string, args: ParsedArgs): StudyCliSettings {
  if (args.positionals.length > 0) {
    throw new InputError(`kvsim ${command}: unexpected argument "${args.positionals[0]}"`);
  }
  const threadsText = stringOption(args, "threads");
  const threads =
    threadsText === undefined || threadsText === "auto"
      ? undefined
      : parseNumberText("--threads", threadsText, { integer: true, min: 1, max: MAX_THREADS });
  const mooncakeTracePath = stringOption(args, "mooncake-trace");
  return {
    quiet: flagOption(args, "quiet"),
    outDir: stringOption(args, "out") ?? "study-out",
    run: {
      quick: flagOption(args, "quick"),
      ...(threads === undefined ? {} : { threads }),
      ...(mooncakeTracePath === undefined ? {} : { mooncakeTracePath }),
    },
  };
}

/** Runs a study with a progress bar over its request counters (quiet under --quiet, CI or a pipe). */
export async function runStudyWithProgress<R>(
  io: CliIo,
  settings: StudyCliSettings,
  run: (options: StudyRunOptions) => Promise<R>,
): Promise<R> {
  let bar: CounterProgress | null = null;
  try {
    return await run({
      ...settings.run,
      onStart: (info: StudyStartInfo) => {
        bar = createCounterProgress({
          label: "study",
          total: info.totalRequests,
          unit: "req",
          io,
          quiet: settings.quiet,
          counters: info.counters,
        });
      },
      onProgress: () => (bar as CounterProgress | null)?.poll(),
    });
  } finally {
    (bar as CounterProgress | null)?.finish();
  }
}

/** `--workloads LIST`'s help line (studies that can run a subset of their workloads). */
export function workloadsOptionHelp(known: readonly string[]): string {
  return `  --workloads LIST        run only these, comma-separated (default all: ${known.join(",")})\n`;
}

/** The workloads `--workloads` names, in the study's order; undefined when absent (= all). */
export function parseStudyWorkloads<N extends string>(
  command: string,
  text: string | undefined,
  known: readonly N[],
): N[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(",").map((w) => w.trim());
  for (const name of names) {
    if (!(known as readonly string[]).includes(name)) {
      throw new InputError(
        `kvsim ${command}: --workloads: unknown workload "${name}" (one of ${known.join(", ")})`,
      );
    }
  }
  return known.filter((w) => names.includes(w));
}

/** A workload's line in a study's printout: its requests, span and infinite-cache reuse, then `detail`. */
export function studyWorkloadLine(w: StudyWorkloadShape, detail: string): string {
  return (
    `${w.name}: ${formatGrouped(w.stats.requests)} requests over ${w.stats.spanS.toFixed(0)} s, ` +
    `${(w.stats.reuse.tokens * 100).toFixed(1)}% infinite-cache token reuse, ${detail}`
  );
}

/** The status line after a study wrote its files (none under --quiet). */
export function reportStudyWritten(
  io: CliIo,
  settings: StudyCliSettings,
  study: { readonly results: readonly unknown[]; readonly threads: number; readonly wallTimeMs: number },
  paths: readonly string[],
): void {
  if (settings.quiet) return;
  io.stderr.write(
    `kvsim: ${study.results.length} replays on ${study.threads} thread(s) in ` +
      `${(study.wallTimeMs / 1000).toFixed(1)} s; wrote ${paths.join(", ")}\n`,
  );
}
