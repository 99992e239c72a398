/**
 * Ranges of the cluster settings (docs/limits.md), shared by `kvsim replay` flags, sweep grids and the library.
 * Each pool worker costs ~80 kB plus its KV pool (docs/limits.md#memory), and routing scans every worker per
 * request, so 10,000 workers per pool is far past any real deployment while still allocating in seconds.
 */
export const MAX_POOL_WORKERS = 10_000;
/** Arrival speedup: 1/1000 (a trace stretched a thousandfold) .. 10^6 (an hour of trace in 3.6 ms). */
export const MIN_ARRIVAL_SPEEDUP = 1e-3;
export const MAX_ARRIVAL_SPEEDUP = 1e6;
/** Closed-loop cap on requests in flight (a cap above the trace's request count never binds). */
export const MAX_CONCURRENCY = 10_000_000;
export const MAX_SEED = 0xffffffff;
