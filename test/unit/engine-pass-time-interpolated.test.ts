import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { passTimeModelFromArgs } from "../../src/sim/engine/pass-time-arg.js";
import { InterpolatedPassTimeModel } from "../../src/sim/engine/pass-time-interpolated.js";
import { isInputError } from "../../src/util/errors.js";

const table = {
  prefill_isl: [100, 200, 400],
  prefill_ttft_ms: [10, 20, 60],
  decode_active_kv_tokens: [0, 1000],
  decode_context_length: [100, 300],
  decode_itl: [
    [5, 7],
    [9, 15],
  ],
};

describe("interpolated pass-time model", () => {
  const m = new InterpolatedPassTimeModel(table);

  it("interpolates prefill linearly on T = B·(isl − prefix) and extrapolates from the edge segments", () => {
    expect(m.prefillMs(1, 150, 0)).toBe(15); // halfway 100..200
    expect(m.prefillMs(2, 175, 25)).toBe(40); // T = 300: halfway 200..400 → 20 + 0.5·40
    expect(m.prefillMs(1, 500, 0)).toBe(80); // beyond: 60 + (100/200)·40
    expect(m.prefillMs(1, 50, 0)).toBe(5); // below: 10 − (50/100)·10
    expect(m.prefillMs(1, 10, 0)).toBe(1); // 10 − 0.9·10
    expect(m.prefillMs(1, 30, 30)).toBe(0);
  });

  it("interpolates decode bilinearly on (active KV, context) and extrapolates", () => {
    // (500, 200): centre of the cell → (5 + 7 + 9 + 15)/4 = 9
    expect(m.decodeMs(8, 500, 200, 99999)).toBe(9);
    // (1000, 200): along the kv = 1000 row → 12
    expect(m.decodeMs(1, 1000, 200, 0)).toBe(12);
    // (2000, 100): kv extrapolated along the ctx = 100 column: 5 + 2·(9 − 5) = 13
    expect(m.decodeMs(1, 2000, 100, 0)).toBe(13);
    // (0, 500): ctx extrapolated along kv = 0: 5 + 2·(7 − 5) = 9
    expect(m.decodeMs(1, 0, 500, 0)).toBe(9);
  });

  it("maps negative or non-finite results to 0 and treats a single point as constant", () => {
    expect(m.decodeMs(1, -3000, 100, 0)).toBe(0); // 5 − 3·4 < 0
    const one = new InterpolatedPassTimeModel({
      prefill_isl: [64],
      prefill_ttft_ms: [12],
      decode_active_kv_tokens: [0],
      decode_context_length: [10],
      decode_itl: [[4]],
    });
    expect([one.prefillMs(3, 1000, 0), one.decodeMs(1, 5e6, 7e3, 0)]).toEqual([12, 4]);
  });
});

describe("interpolated table from a JSON file", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-pass-time-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads the table named by perf_model.path", () => {
    const path = join(dir, "table.json");
    writeFileSync(path, JSON.stringify(table));
    const model = passTimeModelFromArgs(parseEngineArgs({ perf_model: { type: "interpolated", path } }, "x"));
    expect(model.prefillMs(1, 150, 0)).toBe(15);
    const inline = passTimeModelFromArgs(
      parseEngineArgs({ perf_model: { type: "interpolated", table } }, "x"),
    );
    expect(inline.decodeMs(1, 500, 200, 0)).toBe(9);
  });

  it.each([
    [
      { ...table, prefill_isl: [100, 100, 400] },
      'field "prefill_isl": must be strictly increasing (element 1 is 100)',
    ],
    [
      { ...table, prefill_ttft_ms: [1, 2] },
      'field "prefill_ttft_ms": must have one value per prefill_isl point (3), got 2',
    ],
    [
      { ...table, decode_itl: [[5, 7]] },
      'field "decode_itl": must have one row per decode_active_kv_tokens point (2), got 1',
    ],
    [
      { ...table, decode_itl: [[5, 7], [9]] },
      'field "decode_itl.1": must have one value per decode_context_length point (2), got 1',
    ],
    [
      { ...table, extra: 1 },
      'field "extra": unknown field (allowed: prefill_isl, prefill_ttft_ms, decode_active_kv_tokens, decode_context_length, decode_itl)',
    ],
    [
      { ...table, decode_context_length: [100, "x"] },
      'field "decode_context_length.1": must be a finite number (got "x")',
    ],
  ])("rejects a malformed table with an error naming the file and field (%#)", (bad, rule) => {
    const path = join(dir, "bad.json");
    writeFileSync(path, JSON.stringify(bad));
    const args = parseEngineArgs({ perf_model: { type: "interpolated", path } }, "x");
    let message = "";
    try {
      passTimeModelFromArgs(args);
    } catch (error) {
      expect(isInputError(error)).toBe(true);
      message = (error as Error).message;
    }
    expect(message).toBe(`${path}: ${rule}`);
  });

  it("reports a missing file and invalid JSON on one line", () => {
    const missing = join(dir, "nope.json");
    expect(() =>
      passTimeModelFromArgs(parseEngineArgs({ perf_model: { type: "interpolated", path: missing } }, "x")),
    ).toThrow(`${missing}: cannot read the perf-model table (ENOENT)`);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{");
    expect(() =>
      passTimeModelFromArgs(parseEngineArgs({ perf_model: { type: "interpolated", path: broken } }, "x")),
    ).toThrow(/^.*broken\.json: not valid JSON \(/);
  });
});
