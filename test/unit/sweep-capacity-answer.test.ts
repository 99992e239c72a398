import { describe, expect, it } from "vitest";
import {
  answerCapacityQuestion,
  boundMetricKey,
  type CapacityQuestion,
  makeQuestion,
  mergeQuestions,
  parseSlaFlag,
  type RankedRow,
} from "../../src/report/capacity/question.js";
import { ROW_METRIC_KEYS } from "../../src/report/capacity/row-keys.js";
import { InputError } from "../../src/util/errors.js";

function row(
  index: number,
  gpuCount: number,
  gpuHours: number,
  ttftMs: number,
  itlMs: number,
  completed = 100,
): RankedRow {
  const m = new Float64Array(ROW_METRIC_KEYS.length);
  m[ROW_METRIC_KEYS.indexOf("num_requests")] = 100;
  m[ROW_METRIC_KEYS.indexOf("completed_requests")] = completed;
  m[ROW_METRIC_KEYS.indexOf("p99_ttft_ms")] = ttftMs;
  m[ROW_METRIC_KEYS.indexOf("p99_itl_ms")] = itlMs;
  return { index, gpuCount, gpuHours, metrics: m };
}

const question = parseSlaFlag("ttft_p99_ms=2000,itl_p99_ms=50");

// Bounds TTFT p99 ≤ 2000 ms and ITL p99 ≤ 50 ms, inclusive:
//   r0  1 GPU            ttft 2500           → fails (TTFT)
//   r1  3 GPUs           ttft  900, itl 30   → passes
//   r2  2 GPUs, 0.5 GPUh ttft 2000, itl 50   → passes (both exactly at the bound)
//   r3  2 GPUs, 0.5 GPUh ttft 1500, itl 45   → passes; ties r2 on GPUs and GPU-hours, lower TTFT p99
//   r4  2 GPUs           ttft  100, 99/100 completed → fails (a request never finished)
//   r5  2 GPUs, 0.4 GPUh ttft 1500, itl 45   → passes; fewer GPU-hours than r2 and r3
const rows = [
  row(0, 1, 0.1, 2500, 40),
  row(1, 3, 0.9, 900, 30),
  row(2, 2, 0.5, 2000, 50),
  row(3, 2, 0.5, 1500, 45),
  row(4, 2, 0.5, 100, 10, 99),
  row(5, 2, 0.4, 1500, 45),
];

describe("the capacity answer", () => {
  it("is the passing point with the fewest GPUs, then the fewest GPU-hours", () => {
    const a = answerCapacityQuestion(rows, question);
    expect(a.kind).toBe("cheapest");
    if (a.kind !== "cheapest") return;
    expect(a.row.index).toBe(5);
    expect(a.passing).toBe(4); // r1, r2, r3, r5
    expect(a.total).toBe(6);
  });

  it("breaks a GPU and GPU-hour tie by the lower TTFT p99", () => {
    const a = answerCapacityQuestion(rows.slice(0, 5), question);
    expect(a.kind === "cheapest" ? a.row.index : -1).toBe(3);
  });

  it("with no passing point, names the completed point closest to the bounds (largest metric/bound ratio)", () => {
    // Bounds 50 ms / 50 ms: worst ratios r0 2500/50 = 50, r1 900/50 = 18, r2 40, r3 30, r5 30; r4 is unfinished.
    const strict = makeQuestion({ ttft_p99_ms: 50, itl_p99_ms: 50 }, (_k, rule) => new InputError(rule));
    const a = answerCapacityQuestion(rows, strict);
    expect(a.kind).toBe("none");
    expect(a.kind === "none" ? a.closest?.index : -1).toBe(1);
  });

  it("reads bound keys as <metric>_<stat>_ms, p50 meaning the median", () => {
    expect(boundMetricKey("ttft_p99_ms")).toBe("p99_ttft_ms");
    expect(boundMetricKey("itl_p50_ms")).toBe("median_itl_ms");
    expect(boundMetricKey("e2e_latency_p90_ms")).toBe("p90_e2e_latency_ms");
    expect(boundMetricKey("tpot_mean_ms")).toBe("mean_tpot_ms");
    expect(boundMetricKey("ttft_p75_ms")).toBeNull(); // rows keep mean, median, p90, p95, p99, max
    expect(boundMetricKey("ttft_p99")).toBeNull();
    expect(boundMetricKey("queue_p99_ms")).toBeNull();
  });

  it("lets CLI bounds override the grid's on the same metric and keeps the others", () => {
    const grid: CapacityQuestion = parseSlaFlag("ttft_p99_ms=2000,itl_p99_ms=50");
    const merged = mergeQuestions(grid, parseSlaFlag("itl_p99_ms=25"));
    expect(merged?.bounds.map((b) => [b.metricKey, b.maxMs])).toEqual([
      ["p99_ttft_ms", 2000],
      ["p99_itl_ms", 25],
    ]);
    expect(() => parseSlaFlag("ttft_p99_ms=fast")).toThrow(
      "--sla: ttft_p99_ms: must be a finite number of milliseconds >= 0 (got NaN)",
    );
    expect(() => parseSlaFlag("ttft_p99_ms")).toThrow("--sla: expected KEY=MS[,KEY=MS...]");
  });
});
