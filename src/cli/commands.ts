import type { CommandMain } from "./io.js";

export interface CommandEntry {
  /** Words that select the command, e.g. ["trace", "stats"]. */
  readonly words: readonly string[];
  readonly summary: string;
  /** Loaded lazily so `kvsim --help` and small commands start fast. */
  readonly load: () => Promise<CommandMain>;
}

/** Every CLI command. Add one line per command; the module exports `main: CommandMain`. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    words: ["replay"],
    summary: "replay a trace through a simulated cluster and report TTFT/ITL/throughput",
    load: async () => (await import("./commands/replay.js")).main,
  },
  {
    words: ["trace", "synth"],
    summary: "generate a seeded synthetic workload (Mooncake JSONL)",
    load: async () => (await import("./commands/trace-synth.js")).main,
  },
  {
    words: ["trace", "stats"],
    summary: "requests, rate, ISL/OSL and infinite-cache prefix reuse of a trace",
    load: async () => (await import("./commands/trace-stats.js")).main,
  },
  {
    words: ["trace", "compile"],
    summary: "validate a JSONL trace and compile it to the columnar .kvtrace format",
    load: async () => (await import("./commands/trace-compile.js")).main,
  },
  {
    words: ["plan"],
    summary: "run the planner over recorded tick inputs (JSONL) and print its decisions",
    load: async () => (await import("./commands/plan.js")).main,
  },
  {
    words: ["sweep"],
    summary: "run a capacity sweep over a grid of cluster configs on all cores; answer the SLA question",
    load: async () => (await import("./commands/sweep.js")).main,
  },
  {
    words: ["study", "kv-reuse"],
    summary: "study the planner's KV-reuse discount: 16 replays, awareness on vs off; table, chart, docs",
    load: async () => (await import("./commands/study.js")).main,
  },
  {
    words: ["study", "planners"],
    summary:
      "compare autoscalers: dynamo, kvsim and hindsight on 4 workloads, agg and disagg; table, chart, docs",
    load: async () => (await import("./commands/study-planners.js")).main,
  },
  {
    words: ["study", "kv-tiers"],
    summary:
      "does KV offload pay? host and disk tiers on 3 workloads, static and planner; table, chart, docs",
    load: async () => (await import("./commands/study-kv-tiers.js")).main,
  },
  {
    words: ["merge"],
    summary: "combine the output directories of `kvsim sweep --shard i/N` slices",
    load: async () => (await import("./commands/merge.js")).main,
  },
];
