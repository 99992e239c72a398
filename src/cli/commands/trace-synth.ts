import { checkMemory, memoryBudget, synthMemoryBytes } from "../../parallel/memory-estimate.js";
import { MAX_TRACE_BLOCK_SIZE } from "../../trace/columns.js";
import {
  COUNT_DOMAIN,
  formatDistribution,
  parseDistribution,
  TIME_DOMAIN,
  TURN_DOMAIN,
} from "../../trace/synth/distributions.js";
import { generateTrace } from "../../trace/synth/generate.js";
import { writeTraceJsonl } from "../../trace/synth/jsonl-writer.js";
import {
  constantRate,
  MAX_SYNTH_RATE,
  MAX_SYNTH_TIME_S,
  parseRateProfile,
} from "../../trace/synth/rate-profile.js";
import { expectedSynthSize } from "../../trace/synth/synth-size.js";
import {
  DEFAULT_REQUEST_COUNT,
  DEFAULT_SYNTH_SPEC,
  isSynthPresetName,
  MAX_SYNTH_REQUESTS,
  resolveSynthSpec,
  SYNTH_PRESETS,
  type SynthPresetName,
  type SynthSpec,
} from "../../trace/synth/synth-spec.js";
import { summarizeTrace } from "../../trace/synth/synth-summary.js";
import { InputError } from "../../util/errors.js";
import { flagOption, numberOption, type OptionSpec, parseCommandArgs, stringOption } from "../args.js";
import type { CommandMain } from "../io.js";
import { createProgress } from "../progress.js";

const D = DEFAULT_SYNTH_SPEC;

export const HELP = `Usage: kvsim trace synth [options] -o FILE

Generate a seeded synthetic workload as Mooncake JSONL (same options and seed → byte-identical file).

Size (one of; default --requests ${DEFAULT_REQUEST_COUNT}, or the rate profile's last time when --rate-profile has >1 point):
  --requests N            exactly N requests (the last session may be cut short)
  --duration S            every session whose first turn arrives in [0, S) seconds
Arrivals (of sessions; = requests when --turns is 1):
  --rate R                constant rate, sessions per second (default 1)
  --rate-profile SPEC     piecewise-linear rate "T0:R0,T1:R1,..." (seconds:req/s, first T = 0, last rate
                          held), e.g. "0:2,600:12,1200:2"; Poisson/gamma arrivals by time rescaling
  --arrival KIND          poisson | gamma | constant (default ${D.arrival})
  --cv X                  gamma only: coefficient of variation of the gaps; > 1 bursty, < 1 smooth (default 1)
Lengths (distribution SPEC: N | fixed:N | uniform:LO:HI | lognormal:MEAN:SD[:MAX]):
  --isl SPEC              new prompt tokens per turn, after any shared prefix (default ${formatDistribution(D.isl)})
  --osl SPEC              output tokens per request (default ${formatDistribution(D.osl)})
Shared prefixes:
  --prefix-groups N       number of prefix groups; each session joins one (default 0 = none)
  --prefix-tokens N       each group's shared prefix length in tokens; its whole blocks are shared
  --zipf S                group popularity: P(group g) ∝ 1/(g+1)^S, 0 = uniform (default ${D.zipfExponent})
Multi-turn sessions (turn k+1's prompt = turn k's prompt + response + new tokens):
  --turns SPEC            turns per session (default ${formatDistribution(D.turns)})
  --think-time-ms SPEC    think time after a turn completes, ms (default ${formatDistribution(D.thinkTimeMs)})
Other:
  --preset NAME           start from a named workload; explicit options override it. Presets:
                          shared-prefix  2000 req at 4 req/s, 16 groups × 4096-token prefix, Zipf 1,
                                         isl lognormal:1024:512, osl lognormal:256:128 (≈ 79 % token reuse)
  --seed N                random seed (default ${D.seed})
  --trace-block-size N    tokens per hash id (default ${D.traceBlockSize})
  -o, --output FILE       where to write ("-" = standard output); written atomically
  -q, --quiet             no summary line
  --allow-large-memory    run even when the memory estimate exceeds the budget (docs/limits.md#memory)
  -h, --help              this help
`;

const OPTIONS: OptionSpec = {
  preset: { type: "string" },
  seed: { type: "string" },
  requests: { type: "string" },
  duration: { type: "string" },
  rate: { type: "string" },
  "rate-profile": { type: "string" },
  arrival: { type: "string" },
  cv: { type: "string" },
  isl: { type: "string" },
  osl: { type: "string" },
  "prefix-groups": { type: "string" },
  "prefix-tokens": { type: "string" },
  zipf: { type: "string" },
  turns: { type: "string" },
  "think-time-ms": { type: "string" },
  "trace-block-size": { type: "string" },
  output: { type: "string", short: "o" },
  quiet: { type: "boolean", short: "q" },
  "allow-large-memory": { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("trace synth", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  if (args.positionals.length > 0)
    throw new InputError(`trace synth: unexpected argument "${args.positionals[0]}" (see --help)`);
  const output = stringOption(args, "output");
  if (output === undefined || output === "")
    throw new InputError("trace synth: -o/--output FILE is required");

  const presetText = stringOption(args, "preset");
  let preset: SynthPresetName | undefined;
  if (presetText !== undefined) {
    if (!isSynthPresetName(presetText)) {
      throw new InputError(
        `trace synth: --preset: unknown preset "${presetText}" (known: ${Object.keys(SYNTH_PRESETS).join(", ")})`,
      );
    }
    preset = presetText;
  }
  const o: Partial<Mutable<SynthSpec>> = {};
  const num = (name: string, rule: Parameters<typeof numberOption>[3]): number | undefined =>
    stringOption(args, name) === undefined ? undefined : numberOption(args, name, 0, rule);
  const label = (name: string): string => `trace synth: --${name}`;

  const seed = num("seed", {});
  if (seed !== undefined) o.seed = seed;
  const requests = num("requests", { integer: true, min: 1, max: MAX_SYNTH_REQUESTS });
  if (requests !== undefined) o.requests = requests;
  const duration = num("duration", { min: 0, exclusiveMin: true, max: MAX_SYNTH_TIME_S });
  if (duration !== undefined) o.durationS = duration;
  const rate = num("rate", { min: 0, exclusiveMin: true, max: MAX_SYNTH_RATE });
  const profileText = stringOption(args, "rate-profile");
  if (rate !== undefined && profileText !== undefined)
    throw new InputError("trace synth: give --rate or --rate-profile, not both");
  if (rate !== undefined) o.rateProfile = constantRate(rate);
  if (profileText !== undefined) o.rateProfile = parseRateProfile(label("rate-profile"), profileText);
  const arrival = stringOption(args, "arrival");
  if (arrival !== undefined) {
    if (arrival !== "poisson" && arrival !== "gamma" && arrival !== "constant")
      throw new InputError(`trace synth: --arrival: must be poisson, gamma or constant, got "${arrival}"`);
    o.arrival = arrival;
  }
  const cv = num("cv", { min: 0, exclusiveMin: true, max: 100 });
  if (cv !== undefined) o.burstinessCv = cv;
  const dist = (name: string, domain: typeof COUNT_DOMAIN) => {
    const text = stringOption(args, name);
    return text === undefined ? undefined : parseDistribution(label(name), text, domain);
  };
  const isl = dist("isl", COUNT_DOMAIN);
  if (isl !== undefined) o.isl = isl;
  const osl = dist("osl", COUNT_DOMAIN);
  if (osl !== undefined) o.osl = osl;
  const turns = dist("turns", TURN_DOMAIN);
  if (turns !== undefined) o.turns = turns;
  const think = dist("think-time-ms", TIME_DOMAIN);
  if (think !== undefined) o.thinkTimeMs = think;
  const groups = num("prefix-groups", { integer: true, min: 0, max: 1_000_000 });
  if (groups !== undefined) o.prefixGroups = groups;
  const prefixTokens = num("prefix-tokens", { integer: true, min: 0, max: 1 << 24 });
  if (prefixTokens !== undefined) o.prefixTokens = prefixTokens;
  const zipf = num("zipf", { min: 0, max: 100 });
  if (zipf !== undefined) o.zipfExponent = zipf;
  const blockSize = num("trace-block-size", { integer: true, min: 1, max: MAX_TRACE_BLOCK_SIZE });
  if (blockSize !== undefined) o.traceBlockSize = blockSize;

  const spec = resolveSynthSpec(o, preset);
  if (cv !== undefined && spec.arrival !== "gamma")
    throw new InputError("trace synth: --cv: applies only to --arrival gamma");
  if (zipf !== undefined && spec.prefixGroups === 0)
    throw new InputError("trace synth: --zipf: needs --prefix-groups >= 1");
  const size = expectedSynthSize(spec);
  checkMemory(
    synthMemoryBytes(size.rows, size.hashIds),
    `trace synth (about ${Math.round(size.rows)} requests, ${Math.round(size.hashIds)} hash ids)`,
    memoryBudget(io.env),
    flagOption(args, "allow-large-memory"),
  );
  const trace = generateTrace(spec);

  const toStdout = output === "-";
  const quiet = flagOption(args, "quiet");
  const bar = createProgress({ label: "synth", total: trace.count, unit: "req", io, quiet });
  const onRows = (rows: number): void => bar.update(rows);
  // "-" too goes through the checked writer: a failed write must stop the run before the summary claims success.
  writeTraceJsonl(trace, output, onRows);
  bar.finish();

  if (!quiet) {
    const s = summarizeTrace(trace);
    const where = toStdout ? "standard output" : output;
    const line =
      `wrote ${s.requests} requests (${s.sessions} sessions) spanning ${s.spanS.toFixed(1)} s to ${where}; ` +
      `mean isl ${s.meanInputTokens.toFixed(0)}, osl ${s.meanOutputTokens.toFixed(0)} tokens; ` +
      `prefix reuse (infinite cache) ${(100 * s.reuseRatio).toFixed(1)} % of input tokens\n`;
    (toStdout ? io.stderr : io.stdout).write(line);
  }
  return 0;
};
