import fc from "fast-check";
import type { RequestCollector } from "../../src/sim/collector.js";

/**
 * Random replays for collector properties. Times are integer ticks of 1/1024 ms, so every time and gap is an
 * exact dyadic double and an oracle can compute exact sums in BigInt.
 */
export const TICKS_PER_MS = 1024;

export interface ScenarioRequest {
  readonly arrives: boolean;
  readonly arrivalTicks: number;
  /**
   * Admissions: delay after the previous event (ticks), cached prefix tokens, the parts of those onboarded from
   * the host and disk tiers (host + disk ≤ reused) and the onboarding time (ticks).
   */
  readonly admissions: readonly ScenarioAdmission[];
  /** Token gaps in ticks; the first is measured from the first admission. */
  readonly tokenGapsTicks: readonly number[];
  readonly worker: number;
  readonly preemptions: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface ScenarioAdmission {
  readonly delayTicks: number;
  readonly reused: number;
  readonly host: number;
  readonly disk: number;
  readonly onboardTicks: number;
}

export interface Scenario {
  readonly requests: readonly ScenarioRequest[];
  /** Drives the interleaving of the requests' event streams. */
  readonly picks: readonly number[];
}

const gapTicks = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 50 * TICKS_PER_MS }) },
);

const request: fc.Arbitrary<Omit<ScenarioRequest, "arrives">> = fc.record({
  arrivalTicks: fc.integer({ min: 0, max: 1_000_000 * TICKS_PER_MS }),
  admissions: fc.array(
    fc
      .record({
        delayTicks: fc.integer({ min: 0, max: 100 * TICKS_PER_MS }),
        reused: fc.integer({ min: 0, max: 8192 }),
        // Half the admissions onboard nothing (no tier hit), as most do in a real run.
        tiered: fc.boolean(),
        hostShare: fc.integer({ min: 0, max: 64 }),
        diskShare: fc.integer({ min: 0, max: 64 }),
        onboardTicks: fc.integer({ min: 0, max: 500 * TICKS_PER_MS }),
      })
      .map(({ delayTicks, reused, tiered, hostShare, diskShare, onboardTicks }): ScenarioAdmission => {
        if (!tiered) return { delayTicks, reused, host: 0, disk: 0, onboardTicks: 0 };
        const host = Math.floor((reused * hostShare) / 64);
        const disk = Math.floor(((reused - host) * diskShare) / 64);
        // An engine spends onboarding time only on blocks it moved.
        return { delayTicks, reused, host, disk, onboardTicks: host + disk > 0 ? onboardTicks : 0 };
      }),
    { maxLength: 3 },
  ),
  tokenGapsTicks: fc.array(gapTicks, { maxLength: 14 }),
  worker: fc.integer({ min: -1, max: 6 }),
  preemptions: fc.integer({ min: 0, max: 3 }),
  inputTokens: fc.integer({ min: 0, max: 20_000 }),
  outputTokens: fc.integer({ min: 1, max: 500 }),
});

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  requests: fc.array(
    // One request in ten never arrives (the replay ended before it was released).
    fc.tuple(request, fc.integer({ min: 0, max: 9 })).map(([r, roll]) => ({ ...r, arrives: roll !== 0 })),
    { minLength: 0, maxLength: 40 },
  ),
  picks: fc.array(fc.nat(), { maxLength: 400 }),
});

type Event = (c: RequestCollector, id: number) => void;

/** A request's events in its own causal order. */
function eventsOf(r: ScenarioRequest): Event[] {
  if (!r.arrives) return [];
  const events: Event[] = [];
  let t = r.arrivalTicks;
  events.push((c, id) => c.onArrival(id, r.arrivalTicks / TICKS_PER_MS));
  if (r.worker >= 0) events.push((c, id) => c.onWorker(id, r.worker));
  r.admissions.forEach((a, k) => {
    t += a.delayTicks;
    const at = t;
    if (k > 0) events.push((c, id) => c.onPreempt(id));
    events.push((c, id) =>
      c.onAdmit(id, at / TICKS_PER_MS, a.reused, a.host, a.disk, a.onboardTicks / TICKS_PER_MS),
    );
  });
  for (let k = r.admissions.length > 0 ? 1 : 0; k < r.preemptions; k++)
    events.push((c, id) => c.onPreempt(id));
  if (r.admissions.length === 0) return events;
  for (const gap of r.tokenGapsTicks) {
    t += gap;
    const at = t;
    events.push((c, id) => c.onToken(id, at / TICKS_PER_MS));
  }
  return events;
}

/**
 * Feeds the scenario to collectors: request i goes to `route(i)` = [collector, id in it]. The requests' event
 * streams are interleaved as `picks` dictate (each request's own order is kept).
 */
export function replayScenario(s: Scenario, route: (i: number) => readonly [RequestCollector, number]): void {
  const streams = s.requests.map(eventsOf);
  const next = streams.map(() => 0);
  let live = streams.map((_, i) => i).filter((i) => (streams[i] as Event[]).length > 0);
  let p = 0;
  while (live.length > 0) {
    const pick = p < s.picks.length ? (s.picks[p++] as number) : 0;
    const i = live[pick % live.length] as number;
    const [collector, id] = route(i);
    const stream = streams[i] as Event[];
    (stream[next[i] as number] as Event)(collector, id);
    next[i] = (next[i] as number) + 1;
    if ((next[i] as number) >= stream.length) live = live.filter((j) => j !== i);
  }
}

/** Number of preemptions the scenario records for a request (re-admissions included). */
export function preemptionsOf(r: ScenarioRequest): number {
  if (!r.arrives) return 0;
  const readmissions = Math.max(r.admissions.length - 1, 0);
  const extra = Math.max(r.preemptions - (r.admissions.length > 0 ? 1 : 0), 0);
  return readmissions + extra;
}
