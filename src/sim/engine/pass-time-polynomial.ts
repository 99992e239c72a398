import type { PassTimeModel } from "./pass-time-model.js";

/**
 * The default model fitted by the mocker: prefill is quadratic in the new tokens T = B·(isl − prefix); decode
 * depends only on the KV-cache fill fraction p (not on batch size — a known limitation upstream).
 * Evaluated as a·(t·t) + b·t + c (docs/design.md#perf-model) so results are bit-identical to the reference.
 */
export class PolynomialPassTimeModel implements PassTimeModel {
  prefillMs(batch: number, meanIsl: number, meanPrefix: number): number {
    if (batch <= 0 || meanIsl <= meanPrefix) return 0;
    const t = batch * (meanIsl - meanPrefix);
    const ms = 4.209989e-7 * (t * t) + 1.518344e-2 * t + 16.50142;
    return Math.max(ms, 0);
  }

  decodeMs(_batch: number, activeKvTokens: number, _contextLength: number, totalKvTokens: number): number {
    const p = totalKvTokens > 0 ? activeKvTokens / totalKvTokens : 1;
    const ms = -25.74 * (p * p) + 54.01 * p + 5.74;
    return Math.max(ms, 0);
  }
}
