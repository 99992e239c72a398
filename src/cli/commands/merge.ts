import { mergeSweepOutputs } from "../../parallel/sweep/merge.js";
import { SWEEP_FILES, writeSweepOutputs } from "../../parallel/sweep/outputs.js";
import { InputError } from "../../util/errors.js";
import { flagOption, parseCommandArgs } from "../args.js";
import type { CommandMain } from "../io.js";
import { printSweepSummary, questionFromFlags } from "./sweep.js";

export const HELP = `Usage: kvsim merge DIR... --out DIR [options]

Combine the output directories of a sweep run in slices (\`kvsim sweep --shard i/N\`, e.g. a Kubernetes Indexed
Job or a Slurm array) into the output one process would have written: rows in grid order, the HTML page, the
manifest, and the cheapest configuration meeting the capacity question. Every slice 0..N-1 of the same grid
and traces must be present and finished.

Options:
  --out DIR               output directory for the merged sweep (required)
  --sla KEY=MS[,KEY=MS]   judge the rows against this question instead of the slices' (see kvsim sweep --help)
  --ttft-p99-ms MS        shorthand for --sla ttft_p99_ms=MS
  --itl-p99-ms MS         shorthand for --sla itl_p99_ms=MS
  --json                  print the rows as JSON lines instead of the table
  --quiet                 no status line
  -h, --help              this help
`;

const OPTIONS = {
  out: { type: "string" },
  sla: { type: "string" },
  "ttft-p99-ms": { type: "string" },
  "itl-p99-ms": { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("merge", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  const outDir = args.values.out;
  if (typeof outDir !== "string")
    throw new InputError("merge: --out DIR is required (see kvsim merge --help)");
  const flagQuestion = questionFromFlags(args);
  const merged = mergeSweepOutputs(args.positionals, flagQuestion === null ? {} : { question: flagQuestion });
  await writeSweepOutputs(outDir, merged);
  printSweepSummary(io, merged, flagOption(args, "json"), merged);
  if (!flagOption(args, "quiet")) {
    io.stderr.write(
      `kvsim merge: ${args.positionals.length} slice(s), ${merged.rows.length} points → ${outDir}/ (${SWEEP_FILES.jsonl}, ${SWEEP_FILES.csv}, ${SWEEP_FILES.kvsweep}, ${SWEEP_FILES.html}, ${SWEEP_FILES.manifest})\n`,
    );
  }
  return 0;
};
