import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WorkloadDriver } from "../../src/sim/workload/workload-driver.js";
import type { TraceColumns } from "../../src/trace/columns.js";

interface R {
  ts: number;
  session: string | null;
  delay: number | null;
}

function trace(rows: R[]): TraceColumns {
  const n = rows.length;
  const names: string[] = [];
  const hashOffsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) hashOffsets[i + 1] = i + 1;
  return {
    count: n,
    traceBlockSize: 512,
    arrivalMs: Float64Array.from(rows, (r) => r.ts),
    inputTokens: new Uint32Array(n).fill(100),
    outputTokens: new Uint32Array(n).fill(10),
    hashOffsets,
    hashIds: Float64Array.from(rows, (_, i) => i),
    sessionIndex: Int32Array.from(rows, (r) => {
      if (r.session === null) return -1;
      if (!names.includes(r.session)) names.push(r.session);
      return names.indexOf(r.session);
    }),
    sessionNames: names,
    delayMs: Float64Array.from(rows, (r) => r.delay ?? Number.NaN),
    sourceLine: Uint32Array.from(rows, (_, i) => i + 1),
    sourceChecksum: "",
  };
}

/** What a driver must offer the replay loop. */
interface Releaser {
  nextReadyTimeMs(inFlight: number): number;
  popReady(nowMs: number, inFlight: number, out: Int32Array, arrivalOut: Float64Array): number;
  onRequestCompleted(id: number, nowMs: number): void;
  isDrained(): boolean;
}

/**
 * Slow reference, written straight from the rules: one object per session; every decision scans all sessions.
 * Trace mode: ready = (first ts − min first ts)/ratio, then completion + delay/ratio; release by (ready, session),
 * stamped at ready. Concurrency: all ready at 0, no ratio; started sessions by (ready, session), then unstarted
 * ones in order; stamped now; at most cap in flight.
 */
class OracleDriver implements Releaser {
  private readonly sessions: {
    rows: number[];
    delays: number[];
    next: number;
    readyAt: number;
    busy: boolean;
    started: boolean;
  }[] = [];
  private lastNow = 0;
  private released = 0;
  private readonly total: number;
  private readonly ratio: number;
  private readonly cap: number | null;
  constructor(rows: R[], ratio: number, cap: number | null) {
    this.total = rows.length;
    this.ratio = ratio;
    this.cap = cap;
    const byName = new Map<string, number>();
    rows.forEach((r, i) => {
      let s = r.session === null ? undefined : byName.get(r.session);
      if (s === undefined) {
        s = this.sessions.length;
        this.sessions.push({ rows: [], delays: [], next: 0, readyAt: 0, busy: false, started: false });
        if (r.session !== null) byName.set(r.session, s);
      }
      const sess = this.sessions[s]!;
      const prev = sess.rows.length === 0 ? null : rows[sess.rows[sess.rows.length - 1]!]!;
      sess.delays.push(prev === null ? 0 : (r.delay ?? r.ts - prev.ts));
      sess.rows.push(i);
    });
    const min = Math.min(...this.sessions.map((s) => rows[s.rows[0]!]!.ts));
    for (const s of this.sessions) s.readyAt = cap === null ? (rows[s.rows[0]!]!.ts - min) / ratio : 0;
  }
  private candidate(now: number | null): number {
    let best = -1;
    for (let i = 0; i < this.sessions.length; i++) {
      const s = this.sessions[i]!;
      if (s.busy || s.next >= s.rows.length) continue;
      if (this.cap !== null && !s.started) continue;
      if (now !== null && s.readyAt > now) continue;
      if (best < 0 || s.readyAt < this.sessions[best]!.readyAt) best = i;
    }
    if (best < 0 && this.cap !== null) best = this.sessions.findIndex((s) => !s.started);
    return best;
  }
  nextReadyTimeMs(inFlight: number): number {
    if (this.cap !== null && inFlight >= this.cap) return Number.POSITIVE_INFINITY;
    const c = this.candidate(null);
    if (c < 0) return Number.POSITIVE_INFINITY;
    const s = this.sessions[c]!;
    return Math.max(this.cap !== null && !s.started ? this.lastNow : s.readyAt, this.lastNow);
  }
  popReady(now: number, inFlight: number, out: Int32Array, at: Float64Array): number {
    this.lastNow = Math.max(this.lastNow, now);
    let n = 0;
    while (n < out.length && (this.cap === null || inFlight + n < this.cap)) {
      const c = this.candidate(now);
      if (c < 0) break;
      const s = this.sessions[c]!;
      out[n] = s.rows[s.next]!;
      at[n] = this.cap === null ? s.readyAt : now;
      s.next++;
      s.busy = true;
      s.started = true;
      n++;
    }
    this.released += n;
    return n;
  }
  onRequestCompleted(id: number, now: number): void {
    this.lastNow = Math.max(this.lastNow, now);
    const s = this.sessions.find((x) => x.rows.includes(id))!;
    s.busy = false;
    if (s.next < s.rows.length) s.readyAt = now + s.delays[s.next]! / (this.cap === null ? this.ratio : 1);
  }
  isDrained(): boolean {
    return this.released === this.total;
  }
}

/** A toy cluster: request `id` takes service[id] ms from release; returns (id, arrival, release time) in order. */
function replay(driver: Releaser, service: number[]): string[] {
  const log: string[] = [];
  const inFlight = new Map<number, number>();
  const out = new Int32Array(3);
  const at = new Float64Array(3);
  let now = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    for (let changed = true; changed; ) {
      changed = false;
      const due = [...inFlight].filter(([, t]) => t <= now).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      for (const [id] of due) {
        inFlight.delete(id);
        driver.onRequestCompleted(id, now);
        changed = true;
      }
      for (let n = out.length; n === out.length; ) {
        n = driver.popReady(now, inFlight.size, out, at);
        for (let i = 0; i < n; i++) {
          log.push(`${out[i]}@${at[i]}/${now}`);
          inFlight.set(out[i]!, now + service[out[i]!]!);
          changed = true;
        }
      }
    }
    const next = Math.min(driver.nextReadyTimeMs(inFlight.size), ...inFlight.values());
    if (next === Number.POSITIVE_INFINITY) break;
    now = next;
  }
  expect(driver.isDrained()).toBe(true);
  expect(inFlight.size).toBe(0);
  return log;
}

const workload = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 0, max: 40 }),
      session: fc.option(fc.constantFrom("a", "b", "c", "d"), { nil: null }),
      delay: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
      service: fc.integer({ min: 0, max: 50 }),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((items) => {
    let ts = 1000;
    const seen = new Set<string>();
    const rows: R[] = [];
    for (const it of items) {
      ts += it.gap;
      const first = it.session === null || !seen.has(it.session);
      if (it.session !== null) seen.add(it.session);
      rows.push({ ts, session: it.session, delay: first ? null : it.delay });
    }
    return { rows, service: items.map((i) => i.service) };
  });

describe("the workload driver matches a slow reference on random sessions and service times", () => {
  it("trace mode with a speedup ratio", () => {
    fc.assert(
      fc.property(workload, fc.constantFrom(1, 2, 0.5, 10), ({ rows, service }, ratio) => {
        const fast = replay(
          new WorkloadDriver(trace(rows), { arrivalSpeedupRatio: ratio, concurrency: null }),
          service,
        );
        expect(fast).toEqual(replay(new OracleDriver(rows, ratio, null), service));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("concurrency mode with caps 1–4", () => {
    fc.assert(
      fc.property(workload, fc.integer({ min: 1, max: 4 }), ({ rows, service }, cap) => {
        const fast = replay(
          new WorkloadDriver(trace(rows), { arrivalSpeedupRatio: 3, concurrency: cap }),
          service,
        );
        expect(fast).toEqual(replay(new OracleDriver(rows, 3, cap), service));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
