import { describe, expect, it } from "vitest";
import { omitWallTime, stringifyFlat, WALL_TIME_KEYS } from "../../src/report/json-stable.js";
import { buildReport, reportToJson } from "../../src/report/summary.js";
import { RequestCollector } from "../../src/sim/collector.js";

describe("deterministic JSON", () => {
  it("writes keys in the given order, not insertion order", () => {
    expect(stringifyFlat({ b: 2, a: 1 }, ["a", "b"], 0)).toBe('{"a":1,"b":2}');
    expect(stringifyFlat({ b: 2, a: 1 }, ["b", "a"])).toBe('{\n  "b": 2,\n  "a": 1\n}');
  });

  it("prints numbers in shortest round-trip form, -0 as 0, null and strings as JSON", () => {
    expect(
      stringifyFlat({ x: 0.1 + 0.2, y: -0, z: null, s: 'a"b', big: 1e21 }, ["x", "y", "z", "s", "big"], 0),
    ).toBe('{"x":0.30000000000000004,"y":0,"z":null,"s":"a\\"b","big":1e+21}');
  });

  it("refuses non-finite numbers and missing or extra fields instead of writing something wrong", () => {
    expect(() => stringifyFlat({ x: Number.NaN }, ["x"])).toThrow(/not finite/);
    expect(() => stringifyFlat({ x: Number.POSITIVE_INFINITY }, ["x"])).toThrow(/not finite/);
    expect(() => stringifyFlat({ x: 1 }, ["x", "y"])).toThrow(/missing field y/);
    expect(() => stringifyFlat({ x: 1, y: 2 }, ["x"])).toThrow(/unexpected field/);
  });

  it("keeps wall-time fields apart: the only ones that differ between two runs of the same replay", () => {
    expect([...WALL_TIME_KEYS]).toEqual([
      "wall_time_ms",
      "processed_tokens_per_s",
      "processed_output_tokens_per_s",
    ]);
    const c = new RequestCollector(1);
    c.onArrival(0, 0);
    c.onAdmit(0, 0, 3);
    c.onToken(0, 7.25);
    c.onToken(0, 9.5);
    const trace = { inputTokens: new Uint32Array([8]), outputTokens: new Uint32Array([2]) };
    const fast = buildReport(c, trace, 12.5);
    const slow = buildReport(c, trace, 4000);
    expect(reportToJson(fast)).not.toBe(reportToJson(slow));
    expect(reportToJson(fast, { omitWallTime: true })).toBe(reportToJson(slow, { omitWallTime: true }));
    const kept = Object.keys(omitWallTime(fast));
    expect(kept).toHaveLength(68 - 3);
    expect(kept.some((k) => (WALL_TIME_KEYS as readonly string[]).includes(k))).toBe(false);
    expect(reportToJson(fast).endsWith("}\n")).toBe(true);
  });
});
