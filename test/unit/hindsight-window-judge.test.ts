import { describe, expect, it } from "vitest";
import { WindowJudge } from "../../src/replay/hindsight/window-judge.js";
import { RequestCollector } from "../../src/sim/collector.js";

// TTFT SLA 100 ms, mean ITL SLA 10 ms; requests arrive at 0.
//   r0: 3 tokens at 50, 60, 70 ms → TTFT 50 met, mean ITL (70 − 50)/2 = 10 met (inclusive)
//   r1: no token yet                → at 150 ms its TTFT is > 150 − 0 > 100: missed, whatever comes later
//   r2: 11 tokens wanted, 2 so far (0, 5 ms) → at 200 ms its mean ITL ≥ (200 − 0)/10 = 20 > 10: missed
function collector(): RequestCollector {
  const c = new RequestCollector(3);
  for (let id = 0; id < 3; id++) {
    c.onArrival(id, 0);
    c.onAdmit(id, 0, 0);
  }
  for (const t of [50, 60, 70]) c.onToken(0, t);
  for (const t of [0, 5]) c.onToken(2, t);
  return c;
}
const osl = Uint32Array.from([3, 4, 11]);

function judge(ids: number[], target: number): WindowJudge {
  return new WindowJudge(
    Int32Array.from(ids),
    new Int32Array(ids.length),
    1,
    { ttftMs: 100, itlMs: 10, attainment: target },
    osl,
  );
}

describe("window judge", () => {
  it("passes once enough requests have met both SLAs", () => {
    // Half of {r0, r1} must meet each SLA: r0 does.
    expect(judge([0, 1], 0.5).judge(collector(), 150)[0]).toEqual({
      verdict: "pass",
      ttftShort: false,
      itlShort: false,
    });
  });

  it("fails as soon as a miss is certain: a request still without a token past the TTFT SLA", () => {
    expect(judge([0, 1], 1).judge(collector(), 150)[0]).toEqual({
      verdict: "fail",
      ttftShort: true,
      itlShort: false,
    });
    // At 90 ms r1 could still make it: undecided.
    expect(judge([0, 1], 1).judge(collector(), 90)[0]?.verdict).toBe("open");
  });

  it("fails a mean ITL that can no longer come under the SLA", () => {
    expect(judge([0, 2], 1).judge(collector(), 200)[0]).toEqual({
      verdict: "fail",
      ttftShort: false,
      itlShort: true,
    });
    // At 90 ms the bound is (90 − 0)/10 = 9 ≤ 10: undecided.
    expect(judge([0, 2], 1).judge(collector(), 90)[0]?.verdict).toBe("open");
  });
});
