// Label formatting worked out by hand: simulated time as hh:mm:ss on clock-aligned ticks, numbers with
// thousands separators and about three significant figures, percentages with one decimal — locale-independent.

import { describe, expect, it } from "vitest";
import { niceCeil, timeRange } from "../../src/report/html/axes.js";
import {
  formatAxisValue,
  formatDuration,
  formatFixed,
  formatNumber,
  formatPercent,
  formatSimTime,
} from "../../src/report/html/format.js";

describe("simulated-time axis", () => {
  it.each([
    // 4 s … 114 s: 15 s steps give 0…120 = 8 intervals (too many); 30 s steps give 0…120 = 4.
    [4, 114, { minS: 0, maxS: 120, stepS: 30 }],
    // 1 s … 1 s (one tick): a single 1 s interval.
    [1, 1, { minS: 1, maxS: 2, stepS: 1 }],
    // 0 … 24,000 s (6 h 40 min): 3600 s steps give 0…25,200 = 7 intervals.
    [0, 24_000, { minS: 0, maxS: 25_200, stepS: 3600 }],
    // 95 … 400 s: 60 s steps give 60…420 = 6 intervals (30 s would be 3…14 → 11).
    [95, 400, { minS: 60, maxS: 420, stepS: 60 }],
    // 2 days: 43,200 s steps give 0…172,800 = 4 intervals (21,600 s would be 8).
    [0, 172_800, { minS: 0, maxS: 172_800, stepS: 43_200 }],
  ])("covers %d…%d s", (first, last, expected) => {
    expect(timeRange(first, last)).toEqual(expected);
  });

  it.each([
    [0, "00:00:00"],
    [59.9, "00:00:59"],
    [3723, "01:02:03"],
    [90_000, "25:00:00"],
    [-5, "-00:00:05"],
  ])("formats %d s as %s", (seconds, text) => {
    expect(formatSimTime(seconds)).toBe(text);
  });
});

describe("numbers", () => {
  it.each([
    [0, "0"],
    [1500, "1,500"],
    [1_048_576, "1,048,576"],
    [30, "30"],
    [12.5, "12.5"],
    [2.519, "2.52"],
    [0.08019, "0.0802"],
    [0.000123456, "0.000123"],
    [-1234.5, "-1,235"],
    [Number.NaN, "—"],
  ])("formatNumber(%d) = %s", (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it("formats fixed decimals, percentages, durations and axis ticks", () => {
    expect(formatFixed(1234567.891, 2)).toBe("1,234,567.89");
    expect(formatFixed(-0.0001, 1)).toBe("0.0");
    expect(formatPercent(0.98345)).toBe("98.3%");
    expect(formatPercent(null)).toBe("—");
    expect(formatDuration(45)).toBe("45.0 s");
    expect(formatDuration(750)).toBe("12 min 30 s");
    expect(formatDuration(11_100)).toBe("3 h 05 min");
    expect(formatAxisValue(15_000)).toBe("15k");
    expect(formatAxisValue(1_200_000)).toBe("1.2M");
    expect(formatAxisValue(0.25)).toBe("0.25");
    expect(formatAxisValue(2.5)).toBe("2.5");
  });

  it.each([
    [0.9, 1],
    [1, 1],
    [1.1, 1.2],
    [31, 40],
    [1620, 2000],
    [0.27, 0.3],
    [0, 1],
  ])("niceCeil(%d) = %d", (x, nice) => {
    expect(niceCeil(x)).toBe(nice);
  });
});
