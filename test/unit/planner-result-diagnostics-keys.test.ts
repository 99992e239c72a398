import { describe, expect, it } from "vitest";
import { DiagnosticsRecorder } from "../../src/planner/diagnostics-recorder.js";
import { emptyDiagnostics } from "../../src/planner/planner-state.js";
import { tickSnapshotJson } from "../../src/replay/planner-result-json.js";
import { config, fpm, fpmMap, tick } from "../support/planner-kit.js";

// The result JSON's `diagnostics` entries (contract: planner-report.md) are derived from the recorder's field
// table; this is the published key list, in the published order, written out by hand.
const DIAGNOSTICS_KEYS = [
  "timestamp_s",
  "num_prefill_replicas",
  "num_decode_replicas",
  "observed_ttft_ms",
  "observed_itl_ms",
  "observed_requests_per_second",
  "observed_request_duration_seconds",
  "observed_input_sequence_tokens",
  "observed_output_sequence_tokens",
  "observed_kv_hit_rate",
  "estimated_ttft_ms",
  "estimated_itl_ms",
  "predicted_requests_per_second",
  "predicted_input_sequence_tokens",
  "predicted_output_sequence_tokens",
  "predicted_kv_hit_rate",
  "engine_rps_prefill",
  "engine_rps_decode",
  "load_decision_reason",
  "throughput_decision_reason",
  "load_decision_reason_prefill",
  "load_decision_reason_decode",
  "throughput_decision_reason_prefill",
  "throughput_decision_reason_decode",
  "prefill_engines",
  "decode_engines",
  "throughput_lower_bound_prefill",
  "throughput_lower_bound_decode",
  "scale_to_prefill",
  "scale_to_decode",
  "gpu_hours",
  "effective_isl",
  "sticky_kv_hit_rate",
];

describe("planner result JSON: one diagnostics entry per tick", () => {
  it("has the published keys in the published order, per-engine rows included", () => {
    const r = new DiagnosticsRecorder(config({ throughput_adjustment_interval: 60 }));
    r.record({
      input: {
        nowS: 30,
        fpmObservations: { prefill: null, decode: fpmMap(fpm("d0", { dpRank: 2, queuedDecodeKv: 64 })) },
      },
      effects: { scaleTo: null, nextTick: tick(60, {}), diagnostics: emptyDiagnostics() },
      numPrefillReplicas: null,
      numDecodeReplicas: 1,
      observed: { ttftMs: 10, itlMs: 2, numReq: 120, requestDurationS: null, isl: 100, osl: 5, kvHitRate: 0 },
      gpuHours: 0.25,
    });
    const [snapshot] = r.snapshots;
    if (snapshot === undefined) throw new Error("no snapshot");
    const json = tickSnapshotJson(snapshot, { effectiveIsl: 100, stickyKvHitRate: null });
    expect(Object.keys(json)).toEqual(DIAGNOSTICS_KEYS);
    expect(json.timestamp_s).toBe(30);
    expect(json.observed_requests_per_second).toBe(2); // 120 requests / the 60 s throughput interval
    expect(json.decode_engines).toEqual([
      {
        worker_id: "d0",
        dp_rank: 2,
        queued_prefill_tokens: 0,
        queued_decode_kv_tokens: 64,
        inflight_decode_kv_tokens: 0,
      },
    ]);
    expect(json.gpu_hours).toBe(0.25);
    expect(json.effective_isl).toBe(100);
  });
});
