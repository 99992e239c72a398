import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildReport, type ReplayReport } from "../../src/report/summary.js";
import { RequestCollector } from "../../src/sim/collector.js";
import {
  replayScenario,
  type Scenario,
  scenarioArb,
  TICKS_PER_MS,
} from "../support/collector-scenario-kit.js";

/**
 * Slow oracle: keeps every token time of every request and computes the report from the definitions
 * (docs/replay.md#the-report) — integer-arithmetic nearest rank, BigInt-exact sums for values that are whole
 * ticks (TTFT, E2E, TTST, ITL).
 */
interface OracleDist {
  mean: number;
  min: number;
  max: number;
  median: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  std: number;
}

/** round((n−1)·p/100) with halves up, in integers: ⌊((n−1)·p + 50) / 100⌋. */
function rank(n: number, p: number): number {
  return Math.floor(((n - 1) * p + 50) / 100);
}

function percentiles(
  sorted: number[],
): Pick<OracleDist, "min" | "max" | "median" | "p75" | "p90" | "p95" | "p99"> {
  const n = sorted.length;
  const at = (p: number): number => sorted[rank(n, p)] as number;
  return {
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    median: at(50),
    p75: at(75),
    p90: at(90),
    p95: at(95),
    p99: at(99),
  };
}

/** A distribution without samples: every statistic is null in the report (docs/replay.md#the-report). */
const NO_SAMPLES = null;

/** Values given as whole ticks: exact mean and std, rounded once (as an exact implementation must give). */
function tickDist(ticks: number[]): OracleDist | null {
  const n = ticks.length;
  if (n === 0) return NO_SAMPLES;
  let s = 0n;
  let s2 = 0n;
  for (const t of ticks) {
    s += BigInt(t);
    s2 += BigInt(t) * BigInt(t);
  }
  const sorted = ticks.map((t) => t / TICKS_PER_MS).sort((a, b) => a - b);
  const d = BigInt(n) * s2 - s * s;
  return {
    ...percentiles(sorted),
    mean: Number(s) / TICKS_PER_MS / n,
    std: n < 2 ? 0 : Math.sqrt(Number(d) / TICKS_PER_MS / TICKS_PER_MS) / n,
  };
}

/** Arbitrary doubles: two-pass mean and std (compared with a tolerance). */
function floatDist(values: number[]): OracleDist | null {
  const n = values.length;
  if (n === 0) return NO_SAMPLES;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const variance = sorted.reduce((a, x) => a + (x - mean) * (x - mean), 0) / n;
  return { ...percentiles(sorted), mean, std: Math.sqrt(variance) };
}

interface Oracle {
  arrived: number;
  completed: number;
  input: number;
  output: number;
  reused: number;
  durationMs: number;
  ttft: OracleDist | null;
  ttst: OracleDist | null;
  tpot: OracleDist | null;
  itl: OracleDist | null;
  e2e: OracleDist | null;
  perUser: OracleDist | null;
}

function oracle(s: Scenario): Oracle {
  const o = { arrived: 0, completed: 0, input: 0, output: 0, reused: 0, durationMs: 0 };
  const ttft: number[] = [];
  const ttst: number[] = [];
  const e2e: number[] = [];
  const itl: number[] = [];
  const tpot: number[] = [];
  const perUser: number[] = [];
  for (const r of s.requests) {
    if (!r.arrives) continue;
    o.arrived++;
    if (r.admissions.length === 0 || r.tokenGapsTicks.length === 0) continue;
    o.completed++;
    o.input += r.inputTokens;
    o.output += r.outputTokens;
    o.reused += Math.max(...r.admissions.map((a) => a.reused));
    // Every token time, in ticks.
    const times: number[] = [];
    let t = r.arrivalTicks + r.admissions.reduce((sum, a) => sum + a.delayTicks, 0);
    for (const gap of r.tokenGapsTicks) {
      t += gap;
      times.push(t);
    }
    const first = times[0] as number;
    const last = times[times.length - 1] as number;
    ttft.push(first - r.arrivalTicks);
    e2e.push(last - r.arrivalTicks);
    o.durationMs = Math.max(o.durationMs, last / TICKS_PER_MS);
    if (times.length >= 2) {
      ttst.push((times[1] as number) - first);
      tpot.push((last / TICKS_PER_MS - first / TICKS_PER_MS) / (times.length - 1));
    }
    for (let k = 1; k < times.length; k++) {
      const gap = (times[k] as number) - (times[k - 1] as number);
      itl.push(gap);
      if (gap > 0) perUser.push(1000 / (gap / TICKS_PER_MS));
    }
  }
  return {
    ...o,
    ttft: tickDist(ttft),
    ttst: tickDist(ttst),
    tpot: floatDist(tpot),
    itl: tickDist(itl),
    e2e: tickDist(e2e),
    perUser: floatDist(perUser),
  };
}

const PERCENTILES = ["median", "p75", "p90", "p95", "p99"] as const;
const BOUND = 2 ** -10;

function closeTo(actual: number, expected: number, scale: number): boolean {
  return Math.abs(actual - expected) <= 1e-12 * Math.max(Math.abs(expected), scale, 1e-300);
}

interface Mode {
  /** "exact": mean and std bit-equal to the BigInt oracle; "close": within 1e-12 relative (two-pass oracle). */
  readonly moments: "exact" | "close";
  /** "exact": sorted-array elements; "histogram": within 2^−10 relative of them. */
  readonly percentiles: "exact" | "histogram";
}

function checkDist(
  report: ReplayReport,
  key: (stat: string) => string,
  want: OracleDist | null,
  mode: Mode,
): void {
  if (want === null) {
    for (const stat of ["mean", "std", "min", "max", ...PERCENTILES]) {
      expect(report[key(stat) as keyof ReplayReport], key(stat)).toBeNull();
    }
    return;
  }
  const got = (stat: string): number => report[key(stat) as keyof ReplayReport] as number;
  expect(got("min"), key("min")).toBe(want.min);
  expect(got("max"), key("max")).toBe(want.max);
  if (mode.moments === "exact") {
    expect(got("mean"), key("mean")).toBe(want.mean);
    expect(got("std"), key("std")).toBe(want.std);
  } else {
    expect(closeTo(got("mean"), want.mean, want.max), key("mean")).toBe(true);
    expect(closeTo(got("std"), want.std, want.max), key("std")).toBe(true);
  }
  for (const p of PERCENTILES) {
    if (mode.percentiles === "histogram") {
      expect(Math.abs(got(p) - want[p]), key(p)).toBeLessThanOrEqual(want[p] * BOUND);
    } else {
      expect(got(p), key(p)).toBe(want[p]);
    }
  }
}

const EXACT: Mode = { moments: "exact", percentiles: "exact" };

describe("collector + report against an oracle that keeps every token time", () => {
  it("exact fields equal; pooled percentiles within the histogram's 2^−10 relative error", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const c = new RequestCollector(s.requests.length);
        replayScenario(s, (i) => [c, i]);
        const trace = {
          inputTokens: Uint32Array.from(s.requests.map((r) => r.inputTokens)),
          outputTokens: Uint32Array.from(s.requests.map((r) => r.outputTokens)),
        };
        const report = buildReport(c, trace, 1000);
        const o = oracle(s);
        expect(report.num_requests).toBe(o.arrived);
        expect(report.completed_requests).toBe(o.completed);
        expect(report.total_input_tokens).toBe(o.input);
        expect(report.total_output_tokens).toBe(o.output);
        expect(report.duration_ms).toBe(o.durationMs);
        const durationS = Math.max(o.durationMs / 1000, 1e-9);
        expect(report.request_throughput_rps).toBe(o.completed / durationS);
        expect(report.total_throughput_tok_s).toBe((o.input + o.output) / durationS);
        expect(report.prefix_cache_reused_ratio).toBe(o.input === 0 ? 0 : o.reused / o.input);
        checkDist(report, (st) => `${st}_ttft_ms`, o.ttft, EXACT);
        checkDist(report, (st) => `${st}_ttst_ms`, o.ttst, EXACT);
        checkDist(report, (st) => `${st}_e2e_latency_ms`, o.e2e, EXACT);
        checkDist(report, (st) => `${st}_tpot_ms`, o.tpot, { moments: "close", percentiles: "exact" });
        checkDist(report, (st) => `${st}_itl_ms`, o.itl, { moments: "exact", percentiles: "histogram" });
        const perUser = `output_token_throughput_per_user`;
        checkDist(report, (st) => `${st}_${perUser}`, o.perUser, {
          moments: "close",
          percentiles: "histogram",
        });
      }),
      { seed: 42, numRuns: 250 },
    );
  });
});
