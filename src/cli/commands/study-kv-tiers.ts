import { runKvTiersStudy } from "../../parallel/study/run-study.js";
import { KV_TIERS_WORKLOADS, STATIC_WORKERS } from "../../studies/kv-tiers/design.js";
import { writeKvTiersStudyOutputs } from "../../studies/kv-tiers/outputs.js";
import { kvTiersTableCaption, kvTiersTableText } from "../../studies/kv-tiers/table.js";
import { flagOption, parseCommandArgs, stringOption } from "../args.js";
import type { CommandMain } from "../io.js";
import {
  parseStudyWorkloads,
  reportStudyWritten,
  runStudyWithProgress,
  STUDY_OPTIONS,
  STUDY_OPTIONS_HELP,
  studyCliSettings,
  studyWorkloadLine,
  workloadsOptionHelp,
} from "./study-common.js";

export const HELP = `Usage: kvsim study kv-tiers [options]

Does KV offload pay? Replays three workloads — the Mooncake conversation and synthetic traces and a shared-prefix
workload with 512 long prefixes — on a static aggregated cluster and with the kvsim planner in the loop (agg and
disagg), with a host KV tier (G2) of 0, 1×, 4× or 16× the GPU cache at 50 GB/s, each without and with a disk tier
(G3) of 64× at 7 GB/s, KV priced at a 70B model's 327,680 bytes per token: 72 replays. Prints one row per replay
(prompt-token reuse from each tier, TTFT p50/p99, onboarding p99, GPU-hours, workers) and writes kv-tiers.md,
kv-tiers.json and kv-tiers.svg to --out. The same command gives the same files.

${STUDY_OPTIONS_HELP.replace("  --quiet", `${workloadsOptionHelp(KV_TIERS_WORKLOADS)}  --quiet`)}`;

const OPTIONS = { ...STUDY_OPTIONS, workloads: { type: "string" } } as const;

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("study kv-tiers", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  const settings = studyCliSettings("study kv-tiers", args);
  const workloads = parseStudyWorkloads(
    "study kv-tiers",
    stringOption(args, "workloads"),
    KV_TIERS_WORKLOADS,
  );
  const study = await runStudyWithProgress(io, settings, (options) =>
    runKvTiersStudy({ ...options, ...(workloads === undefined ? {} : { workloads }) }),
  );
  const paths = writeKvTiersStudyOutputs(settings.outDir, study);
  const workloadLines = study.workloads
    .map((w) => studyWorkloadLine(w, `static cluster ${STATIC_WORKERS[w.name]} workers`))
    .join("\n");
  io.stdout.write(
    `KV-tiers study${study.quick ? " (quick)" : ""}: ${study.results.length} replays\n${workloadLines}\n\n` +
      `${kvTiersTableCaption()}\n${kvTiersTableText(study.results)}`,
  );
  reportStudyWritten(io, settings, study, paths);
  return 0;
};
