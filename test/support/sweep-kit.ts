// Shared fixtures of the sweep tests: small synthetic traces (no files) so a whole point replays in tens of ms.

/** 60 two-turn sessions sharing prefixes: ~0.05 s per point on one core. */
export const SMALL_SYNTHETIC = {
  name: "syn",
  synthetic: {
    input_tokens: 1536,
    output_tokens: 48,
    request_count: 60,
    arrival_interval_ms: 30,
    turns_per_session: 2,
    shared_prefix_ratio: 0.5,
    num_prefix_groups: 3,
  },
} as const;

/** A grid of 8 points: 2 agg sizes + 2 disagg splits, 2 seeds, random routing (so the seed matters). */
export function smallGrid(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traces: [SMALL_SYNTHETIC],
    workers: [1, 2],
    prefill_decode: ["1:1", "1:2"],
    router_modes: ["random"],
    seeds: [3, 4],
    ...extra,
  };
}
