import { runPlannerStudy } from "../../parallel/study/run-study.js";
import { PLANNER_STUDY_SLA, PLANNER_STUDY_WORKLOADS } from "../../studies/planners/design.js";
import { writePlannerStudyOutputs } from "../../studies/planners/outputs.js";
import { plannerTableText } from "../../studies/planners/table.js";
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

export const HELP = `Usage: kvsim study planners [options]

Which autoscaler meets the SLA, and at what cost? Replays four workloads — the Mooncake conversation and
synthetic traces, a seeded shared-prefix ramp and a bursty multi-turn workload (gamma arrivals, CV 3, two peaks,
on prefill-slow engines that take 30 s to start) — through agg and disagg clusters under scaling_policy dynamo
(the reference planner) and kvsim, each with kv_hit_rate_awareness on and off, and under hindsight (the cheapest
schedule with the whole trace known; its search also verifies the cheapest static cluster): 40 replays. Prints
one row per replay (GPU-hours against hindsight and static, TTFT/ITL SLA attainment, peak replicas, transitions)
and writes planners.md, planners.json and planners.svg to --out. The same command gives the same files.

${STUDY_OPTIONS_HELP.replace("  --quiet", `${workloadsOptionHelp(PLANNER_STUDY_WORKLOADS)}  --quiet`)}`;

const OPTIONS = { ...STUDY_OPTIONS, workloads: { type: "string" } } as const;

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("study planners", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  const settings = studyCliSettings("study planners", args);
  const workloads = parseStudyWorkloads(
    "study planners",
    stringOption(args, "workloads"),
    PLANNER_STUDY_WORKLOADS,
  );
  const study = await runStudyWithProgress(io, settings, (options) =>
    runPlannerStudy({ ...options, ...(workloads === undefined ? {} : { workloads }) }),
  );
  const paths = writePlannerStudyOutputs(settings.outDir, study);
  const workloadLines = study.workloads
    .map((w) => {
      const sla = PLANNER_STUDY_SLA[w.name];
      return studyWorkloadLine(w, `SLA TTFT ${sla.ttftMs} ms / ITL ${sla.itlMs} ms`);
    })
    .join("\n");
  io.stdout.write(
    `Planner study${study.quick ? " (quick)" : ""}: ${study.results.length} replays\n${workloadLines}\n\n` +
      plannerTableText(study.results),
  );
  reportStudyWritten(io, settings, study, paths);
  return 0;
};
