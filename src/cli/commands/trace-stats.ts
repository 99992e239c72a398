import {
  computeTraceStats,
  type DistributionSummary,
  type TraceStats,
  traceStatsToJson,
} from "../../trace/stats.js";
import { flagOption, parseCommandArgs } from "../args.js";
import type { CommandMain } from "../io.js";
import {
  expectAtMostOneFile,
  loadTrace,
  TRACE_INPUT_HELP,
  TRACE_INPUT_OPTIONS,
  traceInputSettings,
} from "../load-trace.js";

export const HELP = `Usage: kvsim trace stats [FILE] [options]

Shape of a trace — requests, span, rate, ISL/OSL distributions, unique hash ids — and the prefix reuse an
infinitely large cache would see in arrival order (a request reuses its leading blocks up to its first block
never seen before).

Output:
  --json                  one JSON object: requests, span_s, rate_rps, isl, osl ({mean,p50,p90,p99,max}),
                          unique_hash_ids, reuse ({blocks, per_request_mean, tokens}; fractions 0..1)
  -h, --help              this help
${TRACE_INPUT_HELP}`;

const OPTIONS = {
  ...TRACE_INPUT_OPTIONS,
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("trace stats", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  expectAtMostOneFile("trace stats", args);
  const trace = await loadTrace(traceInputSettings(args), io);
  const stats = computeTraceStats(trace.columns);
  if (flagOption(args, "json")) {
    io.stdout.write(`${JSON.stringify(traceStatsToJson(stats))}\n`);
  } else {
    io.stdout.write(formatTraceStats(trace.displayName, stats));
  }
  return 0;
};

const grouped = (digits: number) =>
  new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = grouped(0);
const one = grouped(1);
const two = grouped(2);

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** The human table: a label column, then values right-aligned in fixed-width columns. */
export function formatTraceStats(name: string, s: TraceStats): string {
  const label = (text: string) => text.padEnd(18);
  const cell = (text: string) => text.padStart(9);
  const dist = (title: string, d: DistributionSummary) =>
    label(title) + [d.mean, d.p50, d.p90, d.p99, d.max].map((v) => cell(int.format(v))).join("");
  const lines = [
    `${label("trace")}${name}`,
    `${label("requests")}${int.format(s.requests)}`,
    `${label("span")}${one.format(s.spanS)} s`,
    `${label("mean rate")}${s.rateRps === null ? "n/a (one instant)" : `${two.format(s.rateRps)} req/s`}`,
    `${label("unique hash ids")}${int.format(s.uniqueHashIds)}`,
    "",
    label("") + ["mean", "p50", "p90", "p99", "max"].map(cell).join(""),
    dist("ISL (tokens)", s.isl),
    dist("OSL (tokens)", s.osl),
    "",
    "prefix reuse (infinite cache, arrival order)",
    `${label("  blocks")}${pct(s.reuse.blocks).padStart(7)}   reused blocks / all blocks`,
    `${label("  per request")}${pct(s.reuse.perRequestMean).padStart(7)}   mean over requests of reused / own blocks`,
    `${label("  tokens")}${pct(s.reuse.tokens).padStart(7)}   reused tokens / all input tokens`,
  ];
  return `${lines.join("\n")}\n`;
}
