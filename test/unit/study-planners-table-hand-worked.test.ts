// The planner study table from hand-made figures: ratios against the same workload and topology's hindsight
// schedule and static cluster, the static row after the hindsight row, "meets target" at 95 % on both SLAs.
import { describe, expect, it } from "vitest";
import { expandPlannerMatrix, type PlannerStudyPoint } from "../../src/studies/planners/design.js";
import {
  type PlannerPointFigures,
  type PlannerPointResult,
  transitionsPer5MinPerPool,
} from "../../src/studies/planners/point-run.js";
import { plannerRows, plannerTableText } from "../../src/studies/planners/table.js";

const points = expandPlannerMatrix();
const point = (id: string): PlannerStudyPoint => points.find((p) => p.id === id) as PlannerStudyPoint;

function figures(over: Partial<PlannerPointFigures>): PlannerPointFigures {
  return {
    gpuHours: 1,
    peakPrefillReplicas: 2,
    peakDecodeReplicas: 1,
    ttftAttainment: 1,
    itlAttainment: 1,
    replicaTransitions: 0,
    transitionsPer5MinPerPool: 0,
    realisedTokenReuse: 0,
    simulatedS: 600,
    hindsightChosen: null,
    staticCluster: null,
    ...over,
  };
}

const results: PlannerPointResult[] = [
  {
    point: point("bursty/disagg/dynamo/on"),
    figures: figures({ gpuHours: 1, ttftAttainment: 0.5 }),
    wallTimeMs: 0,
  },
  {
    point: point("bursty/disagg/kvsim/on"),
    figures: figures({ gpuHours: 2.4, ttftAttainment: 0.96, itlAttainment: 0.99, replicaTransitions: 6 }),
    wallTimeMs: 0,
  },
  {
    point: point("bursty/disagg/hindsight"),
    figures: figures({
      gpuHours: 2,
      ttftAttainment: 0.97,
      hindsightChosen: "schedule",
      staticCluster: { prefill: 3, decode: 1, gpuHours: 2.5, ttftAttainment: 0.97, itlAttainment: 1 },
    }),
    wallTimeMs: 0,
  },
];

describe("planner study table", () => {
  it("rates each row against its hindsight schedule and static cluster", () => {
    const rows = plannerRows(results);
    expect(rows.map((r) => r.planner)).toEqual(["dynamo", "kvsim", "hindsight", "static 3P+1D"]);
    const text = plannerTableText(results).split("\n");
    // dynamo: 1 / 2 = 0.50× hindsight, 1 / 2.5 = 0.40× static, TTFT 50 % → misses the target.
    expect(text[2]).toMatch(/dynamo\s+on\s+1\.000\s+0\.50×\s+0\.40×\s+50\.0%\s+100\.0%\s+no/);
    // kvsim: 2.4 / 2 = 1.20×, 2.4 / 2.5 = 0.96×, 96 % and 99 % → meets it.
    expect(text[3]).toMatch(/kvsim\s+on\s+2\.400\s+1\.20×\s+0\.96×\s+96\.0%\s+99\.0%\s+yes/);
    expect(text[4]).toMatch(/hindsight\s+—\s+2\.000\s+1\.00×\s+0\.80×\s+97\.0%/);
    // The static row: its own sizes as peaks, no transitions, 2.5 / 2 = 1.25× hindsight.
    expect(text[5]).toMatch(
      /static 3P\+1D\s+—\s+2\.500\s+1\.25×\s+1\.00×\s+97\.0%\s+100\.0%\s+yes\s+3\s+1\s+—\s+—/,
    );
  });

  it("has 40 points: 4 workloads × 2 modes × 5 planners, hindsight without an awareness switch", () => {
    expect(points).toHaveLength(40);
    expect(
      points
        .filter((p) => p.policy === "hindsight")
        .every((p) => !("kv_hit_rate_awareness" in p.plannerFile)),
    ).toBe(true);
    expect(
      points.filter((p) => p.awareness === false).map((p) => p.plannerFile.kv_hit_rate_awareness),
    ).toEqual(new Array(16).fill(false));
  });

  it("counts transitions per pool per 5 simulated minutes", () => {
    expect(transitionsPer5MinPerPool(6, 2, 600)).toBe(1.5); // 6 changes over 2 pools and 2 × 5 min
    expect(transitionsPer5MinPerPool(3, 1, 900)).toBe(1);
    expect(transitionsPer5MinPerPool(1, 1, 0)).toBe(300); // an empty run counts as one second
  });
});
