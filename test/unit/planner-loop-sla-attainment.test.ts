import { describe, expect, it } from "vitest";
import { slaAttainment } from "../../src/replay/sla-attainment.js";
import { RequestCollector } from "../../src/sim/collector.js";

function request(c: RequestCollector, id: number, arrivalMs: number, tokenTimesMs: number[]): void {
  c.onArrival(id, arrivalMs);
  c.onAdmit(id, arrivalMs, 0);
  for (const t of tokenTimesMs) c.onToken(id, t);
}

describe("SLA attainment (docs/design.md#sla-attainment), inclusive bounds", () => {
  it("counts TTFT over requests with a first token and mean ITL over requests with two or more", () => {
    const c = new RequestCollector(5);
    request(c, 0, 0, [100, 120]); // TTFT 100 = SLA (met); mean ITL 20 = SLA (met)
    request(c, 1, 0, [101]); //      TTFT 101 (missed); one token: no ITL
    request(c, 2, 50, [80, 100, 141]); // TTFT 30 (met); mean ITL (141 − 80)/2 = 30.5 (missed)
    c.onArrival(3, 0); //            admitted, no token yet: in neither count
    c.onAdmit(3, 0, 0);
    // request 4 never arrived
    const s = slaAttainment(c, 100, 20);
    expect(s).toEqual({
      ttftSlaMs: 100,
      itlSlaMs: 20,
      ttftFraction: 2 / 3,
      itlFraction: 1 / 2,
      ttftRequests: 3,
      itlRequests: 2,
    });
  });

  it("reports 0 with a count of 0 when no request is eligible", () => {
    expect(slaAttainment(new RequestCollector(2), 500, 50)).toEqual({
      ttftSlaMs: 500,
      itlSlaMs: 50,
      ttftFraction: 0,
      itlFraction: 0,
      ttftRequests: 0,
      itlRequests: 0,
    });
  });
});
