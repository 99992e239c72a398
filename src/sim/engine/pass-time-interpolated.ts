import type { PassTimeModel } from "./pass-time-model.js";
import { type InterpolatedTable, parseInterpolatedTable } from "./pass-time-table.js";

/** Index i of the segment [xs[i], xs[i+1]] used for x: the edge segment outside the range (extrapolation). */
function segment(xs: Float64Array, x: number): number {
  const n = xs.length;
  if (n < 2 || x <= (xs[1] as number)) return 0;
  if (x >= (xs[n - 2] as number)) return n - 2;
  let lo = 1;
  let hi = n - 2;
  // Invariant: xs[lo] <= x < xs[hi]; ends with hi = lo + 1, the segment holding x.
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Weight of the upper point of segment i for x (outside [0, 1] when extrapolating; 0 for a single point). */
function weight(xs: Float64Array, i: number, x: number): number {
  if (xs.length < 2) return 0;
  const x0 = xs[i] as number;
  const x1 = xs[i + 1] as number;
  return (x - x0) / (x1 - x0);
}

function clampMs(v: number): number {
  // "Interpolation errors map to 0" (docs/design.md#perf-model): negative or non-finite results cost nothing.
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * A measured table (pass-time-table.ts): prefill = 1-D linear interpolation on T = B·(meanIsl − meanPrefix);
 * decode = bilinear interpolation on (activeKvTokens, contextLength). Both extrapolate linearly from the edge
 * segment outside the measured range.
 */
export class InterpolatedPassTimeModel implements PassTimeModel {
  private readonly prefillX: Float64Array;
  private readonly prefillY: Float64Array;
  private readonly kvAxis: Float64Array;
  private readonly ctxAxis: Float64Array;
  /** decode_itl flattened row-major: [kv index · ctxAxis.length + ctx index]. */
  private readonly itl: Float64Array;

  /** A table that breaks the rules of pass-time-table.ts (e.g. `{}`) throws an InputError naming the field. */
  constructor(table: InterpolatedTable) {
    parseInterpolatedTable(table, "InterpolatedPassTimeModel");
    this.prefillX = Float64Array.from(table.prefill_isl);
    this.prefillY = Float64Array.from(table.prefill_ttft_ms);
    this.kvAxis = Float64Array.from(table.decode_active_kv_tokens);
    this.ctxAxis = Float64Array.from(table.decode_context_length);
    const cols = this.ctxAxis.length;
    this.itl = new Float64Array(this.kvAxis.length * cols);
    for (let r = 0; r < this.kvAxis.length; r++) {
      const row = table.decode_itl[r] as readonly number[];
      for (let c = 0; c < cols; c++) this.itl[r * cols + c] = row[c] as number;
    }
  }

  prefillMs(batch: number, meanIsl: number, meanPrefix: number): number {
    if (batch <= 0 || meanIsl <= meanPrefix) return 0;
    const t = batch * (meanIsl - meanPrefix);
    const xs = this.prefillX;
    const ys = this.prefillY;
    const i = segment(xs, t);
    if (xs.length < 2) return clampMs(ys[0] as number);
    const w = weight(xs, i, t);
    return clampMs((ys[i] as number) + w * ((ys[i + 1] as number) - (ys[i] as number)));
  }

  decodeMs(_batch: number, activeKvTokens: number, contextLength: number, _totalKvTokens: number): number {
    const kv = this.kvAxis;
    const ctx = this.ctxAxis;
    const cols = ctx.length;
    const i = segment(kv, activeKvTokens);
    const j = segment(ctx, contextLength);
    const wi = weight(kv, i, activeKvTokens);
    const wj = weight(ctx, j, contextLength);
    const i1 = kv.length < 2 ? i : i + 1;
    const j1 = cols < 2 ? j : j + 1;
    const v00 = this.itl[i * cols + j] as number;
    const v01 = this.itl[i * cols + j1] as number;
    const v10 = this.itl[i1 * cols + j] as number;
    const v11 = this.itl[i1 * cols + j1] as number;
    const low = v00 + wj * (v01 - v00);
    const high = v10 + wj * (v11 - v10);
    return clampMs(low + wi * (high - low));
  }
}
