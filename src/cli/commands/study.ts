import { runKvReuseStudy } from "../../parallel/study/run-study.js";
import { KV_REUSE_ITL_SLA_MS, KV_REUSE_TTFT_SLA_MS } from "../../studies/kv-reuse/design.js";
import { STUDY_FILES, writeStudyOutputs } from "../../studies/kv-reuse/outputs.js";
import { studyTableText } from "../../studies/kv-reuse/table.js";
import { flagOption, parseCommandArgs } from "../args.js";
import type { CommandMain } from "../io.js";
import {
  runStudyWithProgress,
  STUDY_OPTIONS,
  STUDY_OPTIONS_HELP,
  studyCliSettings,
  studyWorkloadLine,
} from "./study-common.js";

export const HELP = `Usage: kvsim study kv-reuse [options]

Does the planner's KV-reuse discount pay off? Replays two workloads — a seeded shared-prefix ramp (rate 2 → 24 → 2
req/s over 600 s, 80 % infinite-cache token reuse) and the Mooncake FAST'25 synthetic trace — through agg and
disagg clusters with the SLA planner in the loop, on the mixed (throughput + load) and the load-only cadence,
each with kv_hit_rate_awareness on and off: 16 replays. Prints one row per replay (GPU-hours, peak replicas,
TTFT/ITL SLA attainment, replica transitions, the hit rate the planner applied, the reuse the engines realised)
and writes kv-reuse.md, kv-reuse.json and kv-reuse.svg to --out. The same command gives the same files.

${STUDY_OPTIONS_HELP}`;

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("study kv-reuse", argv, STUDY_OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  const settings = studyCliSettings("study kv-reuse", args);
  const { quiet, outDir } = settings;
  const study = await runStudyWithProgress(io, settings, runKvReuseStudy);
  const paths = writeStudyOutputs(outDir, study);
  const workloads = study.workloads
    .map((w) =>
      studyWorkloadLine(
        w,
        `p99 idle prefill ${w.p99IdlePrefillMs.toFixed(0)} ms, TTFT SLA ${KV_REUSE_TTFT_SLA_MS[w.name]} ms`,
      ),
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
