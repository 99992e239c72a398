import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { type EngineRole, EngineWorker } from "../../src/sim/engine/engine-worker.js";
import { RequestTable } from "../../src/sim/request-table.js";
import { drive, fastEngineDriver } from "../oracles/engine-driver.js";
import { type TinyRequest, tinyTrace } from "../oracles/tiny-trace.js";
import { testPassTimeModel } from "../support/engine-workload-kit.js";

// Larger random workloads on the fast engine alone, with the debug invariant checker after every pass
// (refcounts ≥ 0, active + inactive ≤ capacity, every running request's blocks allocated, every pool reference
// held by a sequence). On top: each completed request emitted exactly its output length, at non-decreasing
// times, and once everything completed no block is still active.
const workload = fc.record({
  bs: fc.constantFrom(16, 64),
  role: fc.constantFrom<EngineRole>("aggregated", "prefill", "decode"),
  extraBlocks: fc.integer({ min: 0, max: 40 }),
  budget: fc.oneof(fc.constant(null), fc.integer({ min: 16, max: 512 })),
  maxNumSeqs: fc.integer({ min: 1, max: 16 }),
  lifo: fc.boolean(),
  chunked: fc.boolean(),
  requests: fc.array(
    fc.record({
      islBlocks: fc.integer({ min: 1, max: 8 }),
      tail: fc.integer({ min: 0, max: 63 }),
      osl: fc.integer({ min: 1, max: 120 }),
      group: fc.integer({ min: 0, max: 3 }),
      shared: fc.integer({ min: 0, max: 8 }),
      arrivalMs: fc.integer({ min: 0, max: 2000 }),
    }),
    { minLength: 10, maxLength: 40 },
  ),
});

describe("fast engine invariants", () => {
  it("hold after every pass on random workloads, and every completed request got its full output", () => {
    fc.assert(
      fc.property(workload, (w) => {
        const requests: TinyRequest[] = w.requests.map((r, i) => {
          const isl = Math.max(1, (r.islBlocks - 1) * w.bs + (r.tail % w.bs) + 1);
          const n = Math.ceil(isl / w.bs);
          const hashIds = Array.from({ length: n }, (_, k) =>
            k < r.shared ? 1000 * r.group + k : 1e6 + 100 * i + k,
          );
          return { isl, osl: r.osl, hashIds, arrivalMs: r.arrivalMs };
        });
        const out = (r: TinyRequest): number => (w.role === "prefill" ? 1 : r.osl);
        const need = Math.max(...requests.map((r) => Math.ceil((r.isl + out(r)) / w.bs)));
        const args = parseEngineArgs(
          {
            block_size: w.bs,
            num_gpu_blocks: need + w.extraBlocks,
            max_num_batched_tokens: w.budget,
            max_num_seqs: w.maxNumSeqs,
            preemption_mode: w.lifo ? "lifo" : "fifo",
            enable_chunked_prefill: w.chunked,
            worker_type: w.role,
          },
          "test",
        );
        const worker = new EngineWorker({
          id: 0,
          role: w.role,
          args,
          passTime: testPassTimeModel(false),
          requests: new RequestTable(tinyTrace(requests, w.bs), w.bs),
          checkInvariants: true,
        });
        const result = drive(
          fastEngineDriver(worker),
          requests.map((r, i) => ({ requestId: i, atMs: r.arrivalMs ?? 0 })),
          requests.length,
          20_000,
        );
        result.requests.forEach((rec, i) => {
          const times = rec.tokenTimesMs;
          for (let k = 1; k < times.length; k++)
            expect(times[k]).toBeGreaterThanOrEqual(times[k - 1] as number);
          if (rec.completed) expect(times.length).toBe(out(requests[i] as TinyRequest));
          else expect(times.length).toBeLessThan(out(requests[i] as TinyRequest));
        });
        if (result.requests.every((r) => r.completed)) {
          expect(worker.activeBlocks).toBe(0);
          expect(worker.inFlight).toBe(0);
        }
        expect(worker.activeBlocks + worker.inactiveBlocks).toBeLessThanOrEqual(worker.capacityBlocks);
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});
