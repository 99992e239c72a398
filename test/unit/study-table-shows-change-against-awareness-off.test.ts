import { describe, expect, it } from "vitest";
import { expandKvReuseMatrix, type StudyPoint } from "../../src/studies/kv-reuse/design.js";
import type { StudyPointFigures, StudyPointResult } from "../../src/studies/kv-reuse/point-run.js";
import { STUDY_COLUMNS, studyTableMarkdown, studyTableText } from "../../src/studies/kv-reuse/table.js";

function figures(over: Partial<StudyPointFigures>): StudyPointFigures {
  return {
    gpuHours: 1,
    gpuHoursPrefill: 0,
    gpuHoursDecode: 1,
    peakPrefillReplicas: null,
    peakDecodeReplicas: 1,
    meanPrefillReplicas: null,
    meanDecodeReplicas: 1,
    ttftAttainment: 1,
    itlAttainment: 1,
    ttftRequests: 10,
    replicaTransitions: 0,
    scalingEvents: 0,
    ticks: 10,
    sticky: { ticks: 10, nullTicks: 10, zeroTicks: 0, positiveTicks: 0, meanApplied: 0, max: 0 },
    realisedTokenReuse: 0,
    p90TtftMs: 100,
    simulatedS: 60,
    ...over,
  };
}

const points = expandKvReuseMatrix();
const point = (id: string): StudyPoint => {
  const c = points.find((x) => x.id === id);
  if (c === undefined) throw new Error(id);
  return c;
};

// Two configurations: disagg mixed (on 0.5 GPU-h vs off 2.0 → (0.5 − 2)/2 = −75.0 %) and agg load-only
// (on 1.05 vs off 1.0 → +5.0 %).
const results: StudyPointResult[] = [
  {
    point: point("shared-prefix/disagg/mixed/on"),
    figures: figures({
      gpuHours: 0.5,
      peakPrefillReplicas: 4,
      peakDecodeReplicas: 2,
      ttftAttainment: 0.979,
      itlAttainment: 1,
      replicaTransitions: 8,
      sticky: { ticks: 10, nullTicks: 1, zeroTicks: 0, positiveTicks: 9, meanApplied: 0.7649, max: 0.8 },
      realisedTokenReuse: 0.8,
    }),
    wallTimeMs: 1,
  },
  {
    point: point("shared-prefix/disagg/mixed/off"),
    figures: figures({ gpuHours: 2, peakPrefillReplicas: 8, ttftAttainment: 0.9984 }),
    wallTimeMs: 1,
  },
  { point: point("mooncake/agg/load-only/on"), figures: figures({ gpuHours: 1.05 }), wallTimeMs: 1 },
  { point: point("mooncake/agg/load-only/off"), figures: figures({ gpuHours: 1 }), wallTimeMs: 1 },
];

describe("the study table", () => {
  it("has one markdown row per point under a header naming every column", () => {
    const lines = studyTableMarkdown(results).trimEnd().split("\n");
    expect(lines).toHaveLength(2 + results.length);
    const header = (lines[0] as string)
      .split("|")
      .slice(1, -1)
      .map((s) => s.trim());
    expect(header).toEqual(STUDY_COLUMNS.map((c) => c.header));
    expect(header).toEqual(
      expect.arrayContaining(["GPU-hours", "peak prefill", "TTFT SLA met", "ITL SLA met", "transitions"]),
    );
    const row = (lines[2] as string)
      .split("|")
      .slice(1, -1)
      .map((s) => s.trim());
    expect(row).toEqual([
      "shared-prefix",
      "disagg",
      "mixed",
      "on",
      "0.500",
      "-75.0%",
      "4",
      "2",
      "97.9%",
      "100.0%",
      "8",
      "0.76",
      "80.0%",
    ]);
    const off = (lines[3] as string)
      .split("|")
      .slice(1, -1)
      .map((s) => s.trim());
    expect(off[5]).toBe(""); // no change column on the reference row
    expect(off[8]).toBe("99.8%"); // 0.9984 → 99.84 % → one decimal
    const agg = (lines[4] as string)
      .split("|")
      .slice(1, -1)
      .map((s) => s.trim());
    expect(agg[5]).toBe("+5.0%");
    expect(agg[6]).toBe("—"); // agg has no prefill pool
  });

  it("aligns the text form: numbers flush right, names flush left, a rule under the header", () => {
    const lines = studyTableText(results).trimEnd().split("\n");
    expect(lines).toHaveLength(2 + results.length);
    expect(lines[1]).toMatch(/^-+( {2}-+)+$/);
    const rule = lines[1] as string;
    // Column k spans the k-th run of dashes; every numeric cell ends where its dashes end.
    const spans = [...rule.matchAll(/-+/g)].map((m) => [
      m.index as number,
      (m.index as number) + m[0].length,
    ]);
    expect(spans).toHaveLength(STUDY_COLUMNS.length);
    const gpuCol = STUDY_COLUMNS.findIndex((c) => c.header === "GPU-hours");
    const [start, end] = spans[gpuCol] as [number, number];
    expect((lines[2] as string).slice(start, end)).toBe("    0.500");
    expect((lines[0] as string).slice(0, "workload".length)).toBe("workload");
  });
});
