// The tiered sweep grid both KV-tier sweep tests run: a shared-prefix synthetic trace, a 96-block GPU cache, and
// the same cache with a small host tier over a disk tier; and the `kvsim replay` flags of that trace.

export const GPU = { num_gpu_blocks: 96 };
export const TIERS = {
  num_gpu_blocks: 96,
  host_kv_blocks: 32,
  host_kv_bandwidth: 5,
  disk_kv_blocks: 512,
  disk_kv_bandwidth: 1,
  kv_bytes_per_token: 131072,
};
/** The grid's `traces:` section. */
export const TRACE = `traces:
  - name: shared
    synthetic: {input_tokens: 2048, output_tokens: 16, request_count: 60, arrival_interval_ms: 200, shared_prefix_ratio: 0.75, num_prefix_groups: 8}
`;
/** The same trace as `kvsim replay` flags. */
export const REPLAY_WORKLOAD = [
  "--input-tokens",
  "2048",
  "--output-tokens",
  "16",
  "--request-count",
  "60",
  "--arrival-interval-ms",
  "200",
  "--shared-prefix-ratio",
  "0.75",
  "--num-prefix-groups",
  "8",
];
