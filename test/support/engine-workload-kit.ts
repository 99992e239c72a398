// Random small engine workloads for the fast-vs-reference properties (engine-parity, engine-invariants).
import fc from "fast-check";
import { type EngineArgs, parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { type EngineRole, EngineWorker } from "../../src/sim/engine/engine-worker.js";
import { InterpolatedPassTimeModel } from "../../src/sim/engine/pass-time-interpolated.js";
import type { PassTimeModel } from "../../src/sim/engine/pass-time-model.js";
import { PolynomialPassTimeModel } from "../../src/sim/engine/pass-time-polynomial.js";
import { RequestTable } from "../../src/sim/request-table.js";
import {
  type Arrival,
  type DriveOutcome,
  drive,
  fastEngineDriver,
  referenceEngineDriver,
} from "../oracles/engine-driver.js";
import { ReferenceEngine } from "../oracles/reference-engine.js";
import { type TinyRequest, tinyTrace } from "../oracles/tiny-trace.js";

export interface EngineWorkload {
  readonly role: EngineRole;
  readonly args: EngineArgs;
  readonly interpolated: boolean;
  readonly traceBlockSize: number;
  readonly requests: TinyRequest[];
}

const requestArb = (bs: number, tbs: number, maxArrivalMs: number, maxIslBlocks: number) =>
  fc
    .record({
      isl: fc.integer({ min: 1, max: maxIslBlocks * bs }),
      osl: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 * bs })),
      group: fc.integer({ min: 0, max: 2 }),
      sharedBlocks: fc.integer({ min: 0, max: 5 }),
      arrivalMs: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 0, max: Math.min(60, maxArrivalMs) }),
        fc.integer({ min: 0, max: maxArrivalMs }),
      ),
      uniqueBase: fc.integer({ min: 1, max: 1_000_000 }),
    })
    .map(({ isl, osl, group, sharedBlocks, arrivalMs, uniqueBase }): TinyRequest => {
      const n = Math.ceil(isl / tbs);
      const hashIds: number[] = [];
      for (let k = 0; k < n; k++)
        hashIds.push(k < sharedBlocks ? 7_000_000 + group * 100 + k : uniqueBase * 16 + k);
      return { isl, osl, hashIds, arrivalMs };
    });

interface WorkloadShape {
  readonly minRequests: number;
  readonly maxRequests: number;
  readonly maxArrivalMs: number;
  readonly budgets: fc.Arbitrary<number | null>;
  readonly chunked: fc.Arbitrary<boolean>;
  readonly extraBlocks: fc.Arbitrary<number>;
  readonly minSeqs: number;
  readonly maxIslBlocks: number;
}

function workloadArb(shape: WorkloadShape): fc.Arbitrary<EngineWorkload> {
  return fc
    .record({
      bs: fc.constantFrom(16, 64),
      traceBlocksPerEngineBlock: fc.constantFrom(1, 2),
      role: fc.constantFrom<EngineRole>("aggregated", "aggregated", "prefill", "decode"),
      extraBlocks: shape.extraBlocks,
      budget: shape.budgets,
      maxNumSeqs: fc.integer({ min: shape.minSeqs, max: 8 }),
      chunked: shape.chunked,
      prefixCaching: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
      lifo: fc.boolean(),
      speedup: fc.constantFrom(1, 0, 2.5, -1),
      decodeSpeedup: fc.constantFrom(1, 3),
      handoff: fc.boolean(),
      interpolated: fc.boolean(),
    })
    .chain((c) => {
      const tbs = c.bs * c.traceBlocksPerEngineBlock;
      const requests = fc.array(requestArb(c.bs, tbs, shape.maxArrivalMs, shape.maxIslBlocks), {
        minLength: shape.minRequests,
        maxLength: shape.maxRequests,
      });
      return requests.map((requests): EngineWorkload => {
        // Tiny pools force eviction and preemption, but every request must fit alone (the engine refuses others).
        const out = (r: TinyRequest): number => (c.role === "prefill" ? 1 : r.osl);
        const need = Math.max(...requests.map((r) => Math.ceil((r.isl + out(r)) / c.bs)));
        const args = parseEngineArgs(
          {
            block_size: c.bs,
            num_gpu_blocks: need + c.extraBlocks,
            max_num_batched_tokens: c.budget,
            max_num_seqs: c.maxNumSeqs,
            enable_chunked_prefill: c.chunked,
            enable_prefix_caching: c.prefixCaching,
            preemption_mode: c.lifo ? "lifo" : "fifo",
            speedup_ratio: c.speedup,
            decode_speedup_ratio: c.decodeSpeedup,
            kv_transfer_bandwidth: c.handoff ? 2 : null,
            kv_bytes_per_token: c.handoff ? 5e5 : null,
            worker_type: c.role,
          },
          "test",
        );
        return { role: c.role, args, interpolated: c.interpolated, traceBlockSize: tbs, requests };
      });
    });
}

/** Mixed workloads: every knob at random, arrivals spread over 400 ms. */
export const engineWorkloadArb: fc.Arbitrary<EngineWorkload> = workloadArb({
  minRequests: 1,
  maxRequests: 8,
  maxArrivalMs: 400,
  budgets: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 300 })),
  chunked: fc.boolean(),
  extraBlocks: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 20 })),
  minSeqs: 1,
  maxIslBlocks: 5,
});

/** Crowded workloads: many requests at once, chunked prefill with small budgets, pools just big enough. */
export const crowdedWorkloadArb: fc.Arbitrary<EngineWorkload> = workloadArb({
  minRequests: 5,
  maxRequests: 12,
  maxArrivalMs: 20,
  budgets: fc.integer({ min: 8, max: 400 }),
  chunked: fc.constant(true),
  extraBlocks: fc.integer({ min: 0, max: 6 }),
  minSeqs: 3,
  maxIslBlocks: 2,
});

/** A small measured-looking table so the interpolated model's extrapolation is exercised too. */
export function testPassTimeModel(interpolated: boolean): PassTimeModel {
  if (!interpolated) return new PolynomialPassTimeModel();
  return new InterpolatedPassTimeModel({
    prefill_isl: [16, 64, 256],
    prefill_ttft_ms: [10, 14, 40],
    decode_active_kv_tokens: [0, 512, 2048],
    decode_context_length: [16, 128],
    decode_itl: [
      [5, 6],
      [7, 9],
      [12, 15],
    ],
  });
}

export interface EngineRun {
  readonly fast: DriveOutcome;
  readonly reference: DriveOutcome;
}

/** Drives the fast engine (with invariant checks) and the reference engine through the same workload. */
export function runBoth(w: EngineWorkload, maxPasses = 3000): EngineRun {
  const trace = tinyTrace(w.requests, w.traceBlockSize);
  const arrivals: Arrival[] = w.requests.map((r, i) => ({ requestId: i, atMs: r.arrivalMs ?? 0 }));
  const passTime = testPassTimeModel(w.interpolated);
  const fastRequests = new RequestTable(trace, w.args.block_size);
  const worker = new EngineWorker({
    id: 0,
    role: w.role,
    args: w.args,
    passTime,
    requests: fastRequests,
    checkInvariants: true,
    // Parity of scheduling: the reference engine has no livelock guard, so neither does this run (the guard has
    // its own tests, and the cluster property compares it with the reference worker's).
    livelockMinPasses: Number.POSITIVE_INFINITY,
  });
  const fast = drive(fastEngineDriver(worker), arrivals, w.requests.length, maxPasses);
  const refRequests = new RequestTable(trace, w.args.block_size);
  const ref = new ReferenceEngine({ role: w.role, args: w.args, passTime, requests: refRequests });
  const reference = drive(referenceEngineDriver(ref), arrivals, w.requests.length, maxPasses);
  return { fast, reference };
}
