import type { EngineWorker } from "../../src/sim/engine/engine-worker.js";
import { KvEventKind } from "../../src/sim/engine/kv-event-log.js";
import { PassResult } from "../../src/sim/engine/pass-result.js";
import type { ReferenceEngine } from "./reference-engine.js";

/**
 * A tiny deterministic driver for one engine (tests and benchmarks): requests are enqueued at their arrival
 * times and passes run back to back. It records, per request, every token's pass-end time, every admission
 * with its reused prompt tokens, and the preemption count — the records the fast and the reference engine
 * must agree on exactly.
 */
export interface AdmissionRecord {
  readonly atMs: number;
  readonly reusedTokens: number;
}

export interface RequestRecord {
  readonly tokenTimesMs: number[];
  readonly admissions: AdmissionRecord[];
  preemptions: number;
  completed: boolean;
  /** Prefill→decode hand-off delay reported with the completing token. */
  handoffMs: number;
}

export interface NormalizedKvEvent {
  readonly kind: "stored" | "removed";
  readonly parent: number | null;
  readonly hashes: number[];
}

export interface PassRecord {
  readonly startMs: number;
  readonly endMs: number;
  readonly madeProgress: boolean;
  readonly events: NormalizedKvEvent[];
  readonly fpm: number[];
}

/** What one pass did, in plain objects. */
export interface PassView {
  readonly endMs: number;
  readonly madeProgress: boolean;
  readonly admissions: readonly { requestId: number; reusedTokens: number }[];
  readonly tokens: readonly { requestId: number; completed: boolean; handoffMs: number }[];
  readonly preempted: readonly number[];
  readonly events: NormalizedKvEvent[];
  readonly fpm: number[];
}

export interface DrivableEngine {
  enqueue(requestId: number): void;
  hasWork(): boolean;
  runPass(nowMs: number): PassView;
}

export interface Arrival {
  readonly requestId: number;
  readonly atMs: number;
}

export interface DriveOutcome {
  readonly requests: RequestRecord[];
  readonly passes: PassRecord[];
  /** True when the run ended because maxPasses was reached. */
  readonly truncated: boolean;
}

/** Merges consecutive removals (the fast log merges them) so both engines' events compare equal. */
export function normalizeEvents(events: readonly NormalizedKvEvent[]): NormalizedKvEvent[] {
  const out: NormalizedKvEvent[] = [];
  for (const e of events) {
    const last = out.at(-1);
    if (e.kind === "removed" && last !== undefined && last.kind === "removed") last.hashes.push(...e.hashes);
    else out.push({ kind: e.kind, parent: e.kind === "stored" ? e.parent : null, hashes: [...e.hashes] });
  }
  return out;
}

export function fastEngineDriver(worker: EngineWorker): DrivableEngine {
  const r = new PassResult(4);
  return {
    enqueue: (id) => worker.enqueue(id),
    hasWork: () => worker.hasWork(),
    runPass(nowMs) {
      worker.executePass(nowMs, r);
      const ev = r.kvEvents;
      const events: NormalizedKvEvent[] = [];
      for (let e = 0; e < ev.count; e++) {
        const parent = ev.parentHash[e] as number;
        events.push({
          kind: ev.kind[e] === KvEventKind.Stored ? "stored" : "removed",
          parent: Number.isNaN(parent) ? null : parent,
          hashes: ev.eventHashes(e),
        });
      }
      return {
        endMs: r.endMs,
        madeProgress: r.madeProgress,
        admissions: Array.from({ length: r.admitCount }, (_, i) => ({
          requestId: r.admitIds[i] as number,
          reusedTokens: r.admitReusedTokens[i] as number,
        })),
        tokens: Array.from({ length: r.tokenCount }, (_, i) => ({
          requestId: r.tokenIds[i] as number,
          completed: r.tokenCompleted[i] === 1,
          handoffMs: r.tokenHandoffMs[i] as number,
        })),
        preempted: Array.from(r.preemptIds.subarray(0, r.preemptCount)),
        events: normalizeEvents(events),
        fpm: Array.from(r.fpm),
      };
    },
  };
}

export function referenceEngineDriver(engine: ReferenceEngine): DrivableEngine {
  return {
    enqueue: (id) => engine.enqueue(id),
    hasWork: () => engine.hasWork(),
    runPass(nowMs) {
      const p = engine.executePass(nowMs);
      return {
        endMs: p.endMs,
        madeProgress: p.madeProgress,
        admissions: p.admissions,
        tokens: p.tokens,
        preempted: p.preempted,
        events: normalizeEvents(
          p.events.map((e) => ({
            kind: e.kind,
            parent: e.kind === "stored" ? e.parent : null,
            hashes: e.hashes,
          })),
        ),
        fpm: p.fpm,
      };
    },
  };
}

/**
 * Runs `engine` until no work is left (or it stops making progress with no arrival to wait for, or after
 * maxPasses). Requests arrive at their `atMs`; a pass that ends at endMs is followed by the next one at endMs.
 */
export function drive(
  engine: DrivableEngine,
  arrivals: readonly Arrival[],
  requestCount: number,
  maxPasses = 100_000,
): DriveOutcome {
  const order = [...arrivals].sort((a, b) => a.atMs - b.atMs || a.requestId - b.requestId);
  const requests: RequestRecord[] = Array.from({ length: requestCount }, () => ({
    tokenTimesMs: [],
    admissions: [],
    preemptions: 0,
    completed: false,
    handoffMs: 0,
  }));
  const passes: PassRecord[] = [];
  let now = 0;
  let next = 0;
  for (;;) {
    while (next < order.length && (order[next] as Arrival).atMs <= now)
      engine.enqueue((order[next++] as Arrival).requestId);
    if (!engine.hasWork()) {
      if (next >= order.length) break;
      now = (order[next] as Arrival).atMs;
      continue;
    }
    if (passes.length >= maxPasses) return { requests, passes, truncated: true };
    const p = engine.runPass(now);
    passes.push({ startMs: now, endMs: p.endMs, madeProgress: p.madeProgress, events: p.events, fpm: p.fpm });
    for (const a of p.admissions)
      (requests[a.requestId] as RequestRecord).admissions.push({ atMs: now, reusedTokens: a.reusedTokens });
    for (const id of p.preempted) (requests[id] as RequestRecord).preemptions++;
    for (const t of p.tokens) {
      const rec = requests[t.requestId] as RequestRecord;
      rec.tokenTimesMs.push(p.endMs);
      if (t.completed) {
        rec.completed = true;
        rec.handoffMs = t.handoffMs;
      }
    }
    if (p.madeProgress) {
      now = p.endMs;
      continue;
    }
    // No progress at zero cost (docs/design.md#liveness): nothing changes until the next arrival.
    if (next >= order.length) break;
    now = Math.max(now, (order[next] as Arrival).atMs);
  }
  return { requests, passes, truncated: false };
}
