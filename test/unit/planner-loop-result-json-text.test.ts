import { describe, expect, it } from "vitest";
import type { PlannerReplayResultJson } from "../../src/report/planner-result.js";
import { plannerResultFromJson, plannerResultToJson } from "../../src/report/planner-result-text.js";

function result(planner: Record<string, unknown>): PlannerReplayResultJson {
  return { report: { num_requests: 3, duration_ms: 1.5 }, planner: planner as never };
}

describe("report JSON text of a planner replay", () => {
  it("writes the flat report keys, then `planner`; pairs inline, one object per line", () => {
    const text = plannerResultToJson(
      result({
        ticks: 2,
        cdf: [
          [1, 0.5],
          [2, 1],
        ],
        rows: [
          { a: 1, b: null },
          { a: 2, b: "x" },
        ],
        empty: [],
      }),
    );
    expect(text).toBe(
      [
        "{",
        '  "num_requests": 3,',
        '  "duration_ms": 1.5,',
        '  "planner": {',
        '    "ticks": 2,',
        '    "cdf": [[1,0.5],[2,1]],',
        '    "rows": [',
        '      {"a":1,"b":null},',
        '      {"a":2,"b":"x"}',
        "    ],",
        '    "empty": []',
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    expect(JSON.parse(text)).toEqual({
      num_requests: 3,
      duration_ms: 1.5,
      planner: {
        ticks: 2,
        cdf: [
          [1, 0.5],
          [2, 1],
        ],
        rows: [
          { a: 1, b: null },
          { a: 2, b: "x" },
        ],
        empty: [],
      },
    });
  });

  it("refuses a non-finite number instead of writing null, naming where it is", () => {
    expect(() => plannerResultToJson(result({ rows: [{ gpu_hours: Number.NaN }] }))).toThrow(
      /"\.planner\.rows\[0\]\.gpu_hours" is not finite/,
    );
  });

  it("splits a saved report object back into {report, planner}", () => {
    const parsed = plannerResultFromJson(JSON.parse(plannerResultToJson(result({ ticks: 4 }))));
    expect(parsed).toEqual({ report: { num_requests: 3, duration_ms: 1.5 }, planner: { ticks: 4 } });
    expect(() => plannerResultFromJson({ num_requests: 3 })).toThrow(/no "planner" section/);
    expect(() => plannerResultFromJson({ num_requests: "3", planner: {} })).toThrow(
      /"num_requests" is not a number/,
    );
  });
});
