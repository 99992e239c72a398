// Shared set-up for the engine behaviour tests: one scenario, run on the fast engine and on the reference
// engine, so every hand-worked expectation checks both.
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { type EngineRole, EngineWorker } from "../../src/sim/engine/engine-worker.js";
import type { PassTimeModel } from "../../src/sim/engine/pass-time-model.js";
import { RequestTable } from "../../src/sim/request-table.js";
import {
  type Arrival,
  type DrivableEngine,
  type DriveOutcome,
  drive,
  fastEngineDriver,
  type PassView,
  referenceEngineDriver,
} from "../oracles/engine-driver.js";
import { ReferenceEngine } from "../oracles/reference-engine.js";
import { type TinyRequest, tinyTrace } from "../oracles/tiny-trace.js";

/**
 * Hand-friendly timing: prefill costs 1 ms per new prompt token of the batch, T = B·(meanIsl − meanPrefix);
 * a decode step costs `decodeStepMs`. Every call is recorded so tests can check what the engine asked.
 */
export class RecordingPassTime implements PassTimeModel {
  readonly prefillCalls: [number, number, number][] = [];
  readonly decodeCalls: [number, number, number, number][] = [];
  readonly decodeStepMs: number;

  constructor(decodeStepMs = 5) {
    this.decodeStepMs = decodeStepMs;
  }

  prefillMs(batch: number, meanIsl: number, meanPrefix: number): number {
    this.prefillCalls.push([batch, meanIsl, meanPrefix]);
    return batch * (meanIsl - meanPrefix);
  }

  decodeMs(batch: number, activeKvTokens: number, contextLength: number, totalKvTokens: number): number {
    this.decodeCalls.push([batch, activeKvTokens, contextLength, totalKvTokens]);
    return this.decodeStepMs;
  }
}

export interface Scenario {
  readonly requests: readonly TinyRequest[];
  /** Engine args as JSON (snake_case); block_size defaults to 16 here. */
  readonly args?: Record<string, unknown>;
  readonly role?: EngineRole;
  /** Trace block size (default: the engine block size, so each hash id is one engine block). */
  readonly traceBlockSize?: number;
  readonly passTime?: () => PassTimeModel;
}

export interface EngineUnderTest {
  readonly name: "fast" | "reference";
  readonly engine: DrivableEngine;
  readonly passTime: PassTimeModel;
  readonly requests: RequestTable;
}

/** The scenario's engines: the fast one (invariants checked after every pass) and the reference. */
export function enginesFor(s: Scenario): EngineUnderTest[] {
  const args = parseEngineArgs({ block_size: 16, ...s.args }, "test");
  const role = s.role ?? "aggregated";
  const trace = tinyTrace(s.requests, s.traceBlockSize ?? args.block_size);
  const makePassTime = s.passTime ?? (() => new RecordingPassTime());
  const fastPassTime = makePassTime();
  const fastRequests = new RequestTable(trace, args.block_size);
  const worker = new EngineWorker({
    id: 0,
    role,
    args,
    passTime: fastPassTime,
    requests: fastRequests,
    checkInvariants: true,
  });
  const refPassTime = makePassTime();
  const refRequests = new RequestTable(trace, args.block_size);
  const ref = new ReferenceEngine({ role, args, passTime: refPassTime, requests: refRequests });
  return [
    { name: "fast", engine: fastEngineDriver(worker), passTime: fastPassTime, requests: fastRequests },
    { name: "reference", engine: referenceEngineDriver(ref), passTime: refPassTime, requests: refRequests },
  ];
}

/** Runs a scenario to the end on one engine (arrivals from the requests' arrivalMs). */
export function runScenario(s: Scenario, e: EngineUnderTest, maxPasses = 10_000): DriveOutcome {
  const arrivals: Arrival[] = s.requests.map((r, i) => ({ requestId: i, atMs: r.arrivalMs ?? 0 }));
  return drive(e.engine, arrivals, s.requests.length, maxPasses);
}

/** Enqueues requests by id and runs one pass at `nowMs`. */
export function passAt(e: EngineUnderTest, nowMs: number, enqueue: readonly number[] = []): PassView {
  for (const id of enqueue) e.engine.enqueue(id);
  return e.engine.runPass(nowMs);
}

/** Token ids of a pass, in emission order. */
export function tokenIds(p: PassView): number[] {
  return p.tokens.map((t) => t.requestId);
}

/** `count` trace-block ids starting at `first` (first, first+1, …). */
export function ids(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => first + k);
}
