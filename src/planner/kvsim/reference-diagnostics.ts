// The kvsim policy's figures in the reference's diagnostics fields, so the existing report panels (estimates,
// predictions, decision timeline) show the kvsim planner too. Its own richer record travels beside them.

import type { TickDiagnostics } from "../types.js";
import type { KvsimPoolDiagnostics, KvsimTickDiagnostics } from "./diagnostics.js";

function loadReason(pool: KvsimPoolDiagnostics): TickDiagnostics["loadDecisionReason"] {
  if (pool.target > pool.current) return "scale_up";
  if (pool.target < pool.current) return "scale_down";
  return "no_change";
}

export function recordKvsimDiagnostics(diag: TickDiagnostics, kvsim: KvsimTickDiagnostics | null): void {
  if (kvsim === null) {
    diag.loadDecisionReason = "insufficient_data";
    return;
  }
  diag.estimatedTtftMs = kvsim.estimatedTtftMs;
  diag.estimatedItlMs = kvsim.estimatedItlMs;
  diag.predictedNumReq = kvsim.predictedArrivalRatePerS;
  diag.predictedIsl = kvsim.isl;
  diag.predictedOsl = kvsim.osl;
  diag.predictedKvHitRate = kvsim.appliedKvHitRate;
  const decode = loadReason(kvsim.decode);
  diag.loadDecisionReasonDecode = decode;
  if (kvsim.prefill === null) {
    diag.loadDecisionReason = decode;
    return;
  }
  const prefill = loadReason(kvsim.prefill);
  diag.loadDecisionReasonPrefill = prefill;
  diag.loadDecisionReason =
    prefill === "scale_up" || decode === "scale_up"
      ? "scale_up"
      : prefill === "scale_down" || decode === "scale_down"
        ? "scale_down"
        : "no_change";
}
