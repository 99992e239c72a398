import { MAX_THREADS } from "../../parallel/run-limits.js";
import { runKvReuseStudy, type StudyStartInfo } from "../../parallel/study/run-study.js";
import { formatGrouped } from "../../report/aiperf-table.js";
import { KV_REUSE_ITL_SLA_MS, KV_REUSE_TTFT_SLA_MS } from "../../studies/kv-reuse/design.js";
import { STUDY_FILES, writeStudyOutputs } from "../../studies/kv-reuse/outputs.js";
import { studyTableText } from "../../studies/kv-reuse/table.js";
import { InputError } from "../../util/errors.js";
import { flagOption, parseCommandArgs, parseNumberText, stringOption } from "../args.js";
import type { CommandMain } from "../io.js";
import { type CounterProgress, createCounterProgress } from "../progress.js";

export const HELP = `Usage: kvsim study kv-reuse [options]

Does the planner's KV-reuse discount pay off? Replays two workloads — a seeded shared-prefix ramp (rate 2 → 24 → 2
req/s over 600 s, 80 % infinite-cache token reuse) and the Mooncake FAST'25 synthetic trace — through agg and
disagg clusters with the SLA planner in the loop, on the mixed (throughput + load) and the load-only cadence,
each with kv_hit_rate_awareness on and off: 16 replays. Prints one row per replay (GPU-hours, peak replicas,
TTFT/ITL SLA attainment, replica transitions, the hit rate the planner applied, the reuse the engines realised)
and writes kv-reuse.md, kv-reuse.json and kv-reuse.svg to --out. The same command gives the same files.

Options:
  --out DIR               output directory (default study-out; the committed study lives in docs/study)
  --threads N|auto        worker threads (default auto: one per core, at most 16); 1 runs on this thread
  --quick                 a much smaller study (the ramp squeezed into 60 s, the first 200 Mooncake requests)
  --mooncake-trace FILE   the Mooncake synthetic trace (default ../shared/traces/mooncake_synthetic_trace.jsonl
                          next to the package)
  --quiet                 no progress bar or status line
  -h, --help              this help
`;

const OPTIONS = {
  out: { type: "string" },
  threads: { type: "string" },
  quick: { type: "boolean" },
  "mooncake-trace": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

const SUBCOMMANDS = ["kv-reuse"] as const;

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("study kv-reuse", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  if (args.positionals.length > 0) {
    throw new InputError(
      `kvsim study kv-reuse: unexpected argument "${args.positionals[0]}" (studies: ${SUBCOMMANDS.join(", ")})`,
    );
  }
  const quiet = flagOption(args, "quiet");
  const threadsText = stringOption(args, "threads");
  const threads =
    threadsText === undefined || threadsText === "auto"
      ? undefined
      : parseNumberText("--threads", threadsText, { integer: true, min: 1, max: MAX_THREADS });
  const outDir = stringOption(args, "out") ?? "study-out";
  const mooncakeTracePath = stringOption(args, "mooncake-trace");
  let bar: CounterProgress | null = null;
  let study: Awaited<ReturnType<typeof runKvReuseStudy>>;
  try {
    study = await runKvReuseStudy({
      quick: flagOption(args, "quick"),
      ...(threads === undefined ? {} : { threads }),
      ...(mooncakeTracePath === undefined ? {} : { mooncakeTracePath }),
      onStart: (info: StudyStartInfo) => {
        bar = createCounterProgress({
          label: "study",
          total: info.totalRequests,
          unit: "req",
          io,
          quiet,
          counters: info.counters,
        });
      },
      onProgress: () => (bar as CounterProgress | null)?.poll(),
    });
  } finally {
    (bar as CounterProgress | null)?.finish();
  }
  const paths = writeStudyOutputs(outDir, study);
  const workloads = study.workloads
    .map(
      (w) =>
        `${w.name}: ${formatGrouped(w.trace.count)} requests over ${w.stats.spanS.toFixed(0)} s, ` +
        `${(w.stats.reuse.tokens * 100).toFixed(1)}% infinite-cache token reuse, ` +
        `p99 idle prefill ${w.p99IdlePrefillMs.toFixed(0)} ms, TTFT SLA ${KV_REUSE_TTFT_SLA_MS[w.name]} ms`,
    )
    .join("\n");
  io.stdout.write(
    `KV-reuse study${study.quick ? " (quick)" : ""}: ${study.results.length} planner-in-the-loop replays, ` +
      `ITL SLA ${KV_REUSE_ITL_SLA_MS} ms\n${workloads}\n\n${studyTableText(study.results)}`,
  );
  if (!quiet) {
    io.stderr.write(
      `kvsim: ${study.results.length} replays on ${study.threads} thread(s) in ` +
        `${(study.wallTimeMs / 1000).toFixed(1)} s; wrote ${paths.markdown}, ${STUDY_FILES.json} and ` +
        `${STUDY_FILES.svg}\n`,
    );
  }
  return 0;
};
