/**
 * Ranges of the run settings above one replay (docs/limits.md): threads, cells, sweep points, the planner's
 * regression bootstrap. Threads cost ~10–20 MB each (a V8 isolate, measured in docs/limits.md#memory) and start
 * in ~0.1–0.5 s of CPU, so thousands would spend the run starting threads.
 */
export const MAX_THREADS = 256;
export const MAX_CELLS = 1024;
/** Steps per axis of an SLA planner's regression bootstrap (decode sweeps granularity² points). */
export const MAX_BENCHMARK_GRANULARITY = 256;
/** GPUs per worker (a sweep's gpus_per_worker; a planner config's *_engine_num_gpu). */
export const MAX_GPUS_PER_WORKER = 1024;
/**
 * Points a sweep runs without --max-points: each is a whole replay (10 ms to minutes), so 100,000 is already days
 * of CPU; a grid beyond it is almost always a typo (a seed range of 10^6), refused before anything is allocated.
 */
export const DEFAULT_MAX_SWEEP_POINTS = 100_000;
/** The largest --max-points: rows and point descriptions are kept in memory (~2 kB per point). */
export const MAX_SWEEP_POINTS = 100_000_000;
