import { formatGrouped } from "../report/aiperf-table.js";
import { requireFields } from "../util/options.js";
import type { CliIo } from "./io.js";

/**
 * A one-line progress bar on stderr for long work:
 *
 *   replay ██████████░░░░░░░░░░  52,310/100,000  52.3%  8,412 req/s  ETA 0:05
 *
 * It draws only when it can help: stderr is a TTY (so never into a pipe or a file), --quiet is off and the
 * `CI` environment variable is unset (or "0"/"false"). Redraws are throttled to one per 100 ms; `finish()`
 * erases the line so the table or report that follows starts clean. When it does not draw, every method is a
 * no-op, so callers never branch on it.
 */

export interface ProgressOptions {
  /** Shown before the bar, e.g. "replay". */
  readonly label: string;
  /** Units of work in all; ≤ 0 when unknown (no bar, percentage or ETA then). */
  readonly total: number;
  /** Unit name for the rate, e.g. "req" → "req/s". */
  readonly unit: string;
  readonly io: Pick<CliIo, "stderr" | "env">;
  /** --quiet */
  readonly quiet?: boolean;
  /** Milliseconds clock; defaults to performance.now (tests pass a fake one). */
  readonly nowMs?: () => number;
}

export interface Progress {
  /** Reports that `done` units are finished (absolute, not an increment). */
  update(done: number): void;
  /** Erases the line. Further calls do nothing. */
  finish(): void;
}

/** Minimum time between two redraws. */
export const REDRAW_INTERVAL_MS = 100;
const BAR_MIN_WIDTH = 10;
const BAR_MAX_WIDTH = 30;
const ERASE_LINE = "\r\x1b[K";

/** True when the environment says a CI system is running us (any value but "", "0" or "false"). */
export function isCiEnv(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

/** Whether a progress display should draw at all. */
export function progressEnabled(io: Pick<CliIo, "stderr" | "env">, quiet: boolean): boolean {
  return io.stderr.isTTY === true && !quiet && !isCiEnv(io.env);
}

/** Seconds → "m:ss", or "h:mm:ss" from an hour on. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** The text of one progress line (without the leading erase), for a display `columns` wide. */
export function renderProgressLine(
  label: string,
  done: number,
  total: number,
  unit: string,
  elapsedMs: number,
  columns: number,
): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const rateText = `${formatGrouped(rate, rate < 10 ? 1 : 0)} ${unit}/s`;
  if (total <= 0) return `${label}  ${formatGrouped(done)} ${unit}  ${rateText}`;
  const fraction = Math.min(Math.max(done / total, 0), 1);
  const eta = rate > 0 ? formatEta((total - Math.min(done, total)) / rate) : "--:--";
  const counts = `${formatGrouped(done)}/${formatGrouped(total)}`;
  const tail = `  ${counts}  ${(fraction * 100).toFixed(1)}%  ${rateText}  ETA ${eta}`;
  const room = columns - 1 - label.length - 1 - tail.length;
  const width = Math.min(BAR_MAX_WIDTH, room);
  if (width < BAR_MIN_WIDTH) return `${label}${tail}`.slice(0, Math.max(columns - 1, 0));
  const filled = Math.floor(fraction * width);
  return `${label} ${"█".repeat(filled)}${"░".repeat(width - filled)}${tail}`;
}

const defaultNow = (): number => performance.now();

function columnsOf(stream: NodeJS.WritableStream): number {
  const columns = (stream as { columns?: unknown }).columns;
  return typeof columns === "number" && columns > 0 ? columns : 80;
}

const SILENT: Progress = Object.freeze({ update: () => {}, finish: () => {} });

/** A progress bar fed by explicit `update(done)` calls (single-threaded work). */
export function createProgress(options: ProgressOptions): Progress {
  requireFields(options, ["label", "total", "unit", "io"], "createProgress");
  if (!progressEnabled(options.io, options.quiet === true)) return SILENT;
  const { label, total, unit } = options;
  const stderr = options.io.stderr;
  const now = options.nowMs ?? defaultNow;
  const startMs = now();
  let lastDrawMs = Number.NEGATIVE_INFINITY;
  let finished = false;
  return {
    update(done: number): void {
      if (finished) return;
      const t = now();
      if (t - lastDrawMs < REDRAW_INTERVAL_MS) return;
      lastDrawMs = t;
      stderr.write(
        `${ERASE_LINE}${renderProgressLine(label, done, total, unit, t - startMs, columnsOf(stderr))}`,
      );
    },
    finish(): void {
      if (finished) return;
      finished = true;
      if (lastDrawMs !== Number.NEGATIVE_INFINITY) stderr.write(ERASE_LINE);
    },
  };
}

export interface CounterProgressOptions extends ProgressOptions {
  /**
   * Per-thread done counters, usually an Int32Array over a SharedArrayBuffer: worker k bumps slot k with
   * `Atomics.add(counters, k, n)` and the main thread's timer sums the slots with Atomics.load. Each slot holds
   * up to 2^31 − 1 units.
   */
  readonly counters: Int32Array;
  /** How often the timer polls and redraws; defaults to REDRAW_INTERVAL_MS. */
  readonly pollIntervalMs?: number;
}

export interface CounterProgress {
  /** Polls the counters and redraws now (also what the timer does). */
  poll(): void;
  /** Stops the timer and erases the line. Further calls do nothing. */
  finish(): void;
}

/** Σ of the counters, read atomically slot by slot. */
export function sumCounters(counters: Int32Array): number {
  let done = 0;
  for (let k = 0; k < counters.length; k++) done += Atomics.load(counters, k);
  return done;
}

const SILENT_COUNTER: CounterProgress = Object.freeze({ poll: () => {}, finish: () => {} });

/**
 * A progress bar fed by shared counters that other threads bump, polled on an unref'd timer (so it never keeps
 * the process alive). Starts no timer at all when the display is off.
 */
export function createCounterProgress(options: CounterProgressOptions): CounterProgress {
  if (!progressEnabled(options.io, options.quiet === true)) return SILENT_COUNTER;
  const bar = createProgress(options);
  const counters = options.counters;
  const poll = (): void => bar.update(sumCounters(counters));
  const timer = setInterval(poll, options.pollIntervalMs ?? REDRAW_INTERVAL_MS);
  timer.unref();
  let finished = false;
  return {
    poll,
    finish(): void {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      bar.finish();
    },
  };
}
