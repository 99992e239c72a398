import { describe, expect, it } from "vitest";
import {
  countReplicaTransitions,
  DiagnosticsRecorder,
  defaultReportFileName,
  type TickSnapshot,
} from "../../src/planner/diagnostics-recorder.js";
import { emptyDiagnostics } from "../../src/planner/planner-state.js";
import type { PlannerEffects, ScalingDecision, TickDiagnostics } from "../../src/planner/types.js";
import { config, fpm, fpmMap, tick } from "../support/planner-kit.js";

function effects(
  diag: Partial<TickDiagnostics> = {},
  scaleTo: ScalingDecision | null = null,
): PlannerEffects {
  return { scaleTo, nextTick: tick(0, {}), diagnostics: { ...emptyDiagnostics(), ...diag } };
}

function recordAt(
  r: DiagnosticsRecorder,
  nowS: number,
  prefill: number | null = 1,
  decode: number | null = 1,
) {
  r.record({
    input: { nowS },
    effects: effects(),
    numPrefillReplicas: prefill,
    numDecodeReplicas: decode,
    observed: null,
    gpuHours: nowS / 3600,
  });
}

describe("diagnostics recorder (docs/planner.md#diagnostics)", () => {
  it("snapshots observed and predicted values, per-engine load, floors, decisions and GPU-hours", () => {
    const r = new DiagnosticsRecorder(
      config({ optimization_target: "sla", throughput_adjustment_interval: 60 }),
      50_000,
    );
    r.record({
      input: {
        nowS: 120,
        fpmObservations: {
          prefill: fpmMap(fpm("p0", { queuedPrefillTokens: 700 })),
          decode: fpmMap(fpm("d0", { dpRank: 1, schedDecodeKv: 9000, queuedDecodeKv: 500 })),
        },
      },
      effects: effects(
        {
          predictedNumReq: 600,
          predictedIsl: 2000,
          predictedOsl: 150,
          predictedKvHitRate: 0.35,
          estimatedTtftMs: 420,
          throughputLowerBoundPrefill: 3,
          loadDecisionReason: "scale_up",
          loadDecisionReasonPrefill: "scale_up",
          loadDecisionReasonDecode: "no_change",
          throughputDecisionReason: "set_lower_bound",
        },
        { numPrefill: 3, numDecode: null },
      ),
      numPrefillReplicas: 2,
      numDecodeReplicas: 4,
      observed: {
        ttftMs: 380,
        itlMs: 21,
        numReq: 300,
        requestDurationS: 4.5,
        isl: 1900,
        osl: 140,
        kvHitRate: 0.3,
      },
      gpuHours: 1.5,
    });
    const [s] = r.snapshots;
    expect(s).toMatchObject({
      timestampS: 120,
      numPrefillReplicas: 2,
      numDecodeReplicas: 4,
      observedTtftMs: 380,
      observedRequestsPerSecond: 5, // 300 / 60 s (the configured interval)
      observedKvHitRate: 0.3,
      predictedRequestsPerSecond: 10, // 600 / 60
      predictedKvHitRate: 0.35,
      estimatedTtftMs: 420,
      throughputLowerBoundPrefill: 3,
      throughputLowerBoundDecode: 1,
      scaleToPrefill: 3,
      scaleToDecode: null,
      loadDecisionReasonDecode: "no_change",
      gpuHours: 1.5,
      prefillEngines: [
        {
          workerId: "p0",
          dpRank: 0,
          queuedPrefillTokens: 700,
          queuedDecodeKvTokens: 0,
          inflightDecodeKvTokens: 0,
        },
      ],
      decodeEngines: [
        {
          workerId: "d0",
          dpRank: 1,
          queuedPrefillTokens: 0,
          queuedDecodeKvTokens: 500,
          inflightDecodeKvTokens: 9000,
        },
      ],
    });
    expect(r.summary()).toMatchObject({
      tickCount: 1,
      gpuHours: 1.5,
      ttftSlaMs: 500,
      itlSlaMs: 50,
      maxKvTokens: 50_000,
    });
    const json = JSON.parse(JSON.stringify(r.toJSON()));
    expect(json.snapshots[0].predictedKvHitRate).toBe(0.35);
  });

  it("keeps at most maxSnapshots, trimming the oldest", () => {
    const r = new DiagnosticsRecorder(config({}), null, 3);
    for (let t = 1; t <= 10; t++) recordAt(r, t);
    expect(r.snapshots.map((s) => s.timestampS)).toEqual([8, 9, 10]);
  });

  it("is due every report_interval_hours from the first snapshot, and restarts after a report", () => {
    const r = new DiagnosticsRecorder(config({ report_interval_hours: 1 }));
    expect(r.shouldGenerateReport(10_000)).toBe(false); // nothing recorded
    recordAt(r, 0);
    recordAt(r, 1800);
    expect(r.shouldGenerateReport(1800)).toBe(false); // 1800 − 0 < 3600
    recordAt(r, 3600);
    expect(r.shouldGenerateReport(3600)).toBe(true);
    const batch = r.takeReport()!;
    expect(batch.snapshots.map((s) => s.timestampS)).toEqual([0, 1800, 3600]);
    expect(r.size).toBe(0);
    recordAt(r, 5400);
    expect(r.shouldGenerateReport(5400)).toBe(false); // 5400 − 3600 < 3600
    recordAt(r, 7200);
    expect(r.shouldGenerateReport(7200)).toBe(true);
  });

  it("is never due when disabled; with only the dashboard on it is due on every tick (interval 0)", () => {
    const off = new DiagnosticsRecorder(config({ report_interval_hours: null, live_dashboard_port: 0 }));
    recordAt(off, 0);
    expect([off.enabled, off.shouldGenerateReport(1e9)]).toEqual([false, false]);
    const dash = new DiagnosticsRecorder(config({ report_interval_hours: null }));
    recordAt(dash, 5);
    expect([dash.enabled, dash.shouldGenerateReport(5)]).toEqual([true, true]);
  });

  it("counts replica transitions across non-null prefill and decode counts", () => {
    const snaps = (pairs: [number | null, number | null][]) =>
      pairs.map(
        ([p, d], i) => ({ timestampS: i, numPrefillReplicas: p, numDecodeReplicas: d }) as TickSnapshot,
      );
    // prefill 1, –, 2, 2, 3 → 2 changes; decode 1, 1, 1, 2, 1 → 2 changes
    expect(
      countReplicaTransitions(
        snaps([
          [1, 1],
          [null, 1],
          [2, 1],
          [2, 2],
          [3, 1],
        ]),
      ),
    ).toBe(4);
  });

  it("names reports after the last snapshot's UTC time and a sequence number, unless a file name is fixed", () => {
    // 1 700 000 000 s = 2023-11-14 22:13:20 UTC
    expect(defaultReportFileName(1_700_000_000.9, 1)).toBe("planner_report_20231114_221320_001.html");
    const fixed = new DiagnosticsRecorder(config({ report_filename: "mine.html" }));
    recordAt(fixed, 1);
    expect(fixed.finalize()?.fileName).toBe("mine.html");
    expect(fixed.finalize()).toBeNull();
  });
});
