// SLA attainment of a replay (docs/design.md#sla-attainment), both bounds inclusive:
//   TTFT:     requests with a first token whose TTFT ≤ ttft SLA, over requests with a first token
//   mean ITL: requests with ≥ 2 output tokens whose mean ITL ((last − first)/(n − 1)) ≤ itl SLA, over those
// A fraction with no eligible request is reported as 0 next to its request count of 0.

import type { RequestCollector } from "../sim/collector.js";

export interface SlaAttainment {
  readonly ttftSlaMs: number;
  readonly itlSlaMs: number;
  readonly ttftFraction: number;
  readonly itlFraction: number;
  readonly ttftRequests: number;
  readonly itlRequests: number;
}

export function slaAttainment(
  collector: RequestCollector,
  ttftSlaMs: number,
  itlSlaMs: number,
): SlaAttainment {
  let ttftRequests = 0;
  let ttftMet = 0;
  let itlRequests = 0;
  let itlMet = 0;
  for (let id = 0; id < collector.requestCount; id++) {
    if (!collector.isCompleted(id)) continue;
    ttftRequests++;
    if (collector.ttftMs(id) <= ttftSlaMs) ttftMet++;
    if ((collector.tokenCount[id] as number) < 2) continue;
    itlRequests++;
    if (collector.tpotMs(id) <= itlSlaMs) itlMet++;
  }
  return {
    ttftSlaMs,
    itlSlaMs,
    ttftFraction: ttftRequests === 0 ? 0 : ttftMet / ttftRequests,
    itlFraction: itlRequests === 0 ? 0 : itlMet / itlRequests,
    ttftRequests,
    itlRequests,
  };
}
