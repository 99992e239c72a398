import { describe, expect, it } from "vitest";
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { EngineWorker, type EngineWorkerOptions } from "../../src/sim/engine/engine-worker.js";
import { PassResult } from "../../src/sim/engine/pass-result.js";
import { PolynomialPassTimeModel } from "../../src/sim/engine/pass-time-polynomial.js";
import { RequestTable } from "../../src/sim/request-table.js";
import { isInputError } from "../../src/util/errors.js";
import { drive, fastEngineDriver, referenceEngineDriver } from "../oracles/engine-driver.js";
import { ReferenceEngine } from "../oracles/reference-engine.js";
import { type TinyRequest, tinyTrace } from "../oracles/tiny-trace.js";

// Liveness (docs/design.md#liveness). A zero-time pass that changes nothing reports madeProgress = false.
// Some tiny configurations cycle: two preempted requests keep re-admitting (prompt cached, only generated
// tokens to recompute: budget but no prefill time) and preempting each other, every pass taking zero time and
// emitting nothing. The worker reports no progress once such a streak exceeds its limit, instead of spinning
// forever. Workload found by the parity property: block size 64, 6 blocks, budget 60, LIFO.
const cycling: TinyRequest[] = [
  { isl: 9, osl: 11, hashIds: [7000100] },
  { isl: 147, osl: 96, hashIds: [7000100, 7896753] },
  { isl: 94, osl: 75, hashIds: [7000000] },
];
const cyclingArgs = parseEngineArgs(
  { block_size: 64, num_gpu_blocks: 6, max_num_batched_tokens: 60, preemption_mode: "lifo" },
  "test",
);

function worker(
  extra: Partial<EngineWorkerOptions>,
  requests: TinyRequest[],
  args = cyclingArgs,
): EngineWorker {
  return new EngineWorker({
    id: 4,
    role: "aggregated",
    args,
    passTime: new PolynomialPassTimeModel(),
    requests: new RequestTable(tinyTrace(requests, 128), args.block_size),
    checkInvariants: true,
    ...extra,
  });
}

const arrivals = cycling.map((_, i) => ({ requestId: i, atMs: 0 }));

describe("engine liveness guards", () => {
  it("reports no progress for a zero-time pass that changes nothing", () => {
    const args = parseEngineArgs(
      { block_size: 16, max_num_batched_tokens: 16, enable_chunked_prefill: false },
      "t",
    );
    const w = worker({}, [{ isl: 32, osl: 1, hashIds: [1] }], args);
    w.enqueue(0);
    const out = new PassResult();
    w.executePass(12, out);
    expect([out.endMs, out.madeProgress, out.admitCount]).toEqual([12, false, 0]);
  });

  it("the reference engine cycles at one instant on the tiny workload (the behaviour being guarded)", () => {
    const ref = new ReferenceEngine({
      role: "aggregated",
      args: cyclingArgs,
      passTime: new PolynomialPassTimeModel(),
      requests: new RequestTable(tinyTrace(cycling, 128), 64),
    });
    const out = drive(
      {
        enqueue: (id) => ref.enqueue(id),
        hasWork: () => ref.hasWork(),
        runPass: (now) => {
          const p = ref.executePass(now);
          return { ...p, events: [] };
        },
      },
      arrivals,
      3,
      2000,
    );
    expect(out.truncated).toBe(true);
    const last = out.passes.slice(-100);
    expect(last.every((p) => p.madeProgress && p.endMs === p.startMs)).toBe(true);
  });

  it("parks a worker whose zero-time token-less streak exceeds the limit", () => {
    const w = worker({ zeroTimeStreakLimit: 10 }, cycling);
    const out = drive(fastEngineDriver(w), arrivals, 3, 5000);
    expect(out.truncated).toBe(false);
    const tail = out.passes.slice(-11);
    expect(tail.every((p) => p.endMs === p.startMs)).toBe(true);
    expect(tail.slice(0, 10).every((p) => p.madeProgress)).toBe(true);
    expect(out.passes.at(-1)?.madeProgress).toBe(false);
    expect(w.inFlight).toBe(2);
  });

  it("gives up with a one-line input error after too many passes without a token", () => {
    const w = worker({ zeroTimeStreakLimit: 1e9, tokenlessPassLimit: 50 }, cycling);
    let caught: unknown = null;
    try {
      drive(fastEngineDriver(w), arrivals, 3, 5000);
    } catch (error) {
      caught = error;
    }
    expect(isInputError(caught)).toBe(true);
    expect((caught as Error).message).toBe(
      'engine args: field "num_gpu_blocks": engine 4 ran 50 passes in a row without emitting a token: its ' +
        "requests keep preempting each other (raise num_gpu_blocks or max_num_batched_tokens)",
    );
  });

  it("refuses a request that needs more blocks than the whole pool", () => {
    // isl 100 + osl 29 = 129 tokens → ⌈129/16⌉ = 9 blocks > 8.
    const args = parseEngineArgs({ block_size: 16, num_gpu_blocks: 8 }, "t");
    const w = worker({}, [{ isl: 100, osl: 29, hashIds: [1] }], args);
    expect(() => w.enqueue(0)).toThrow(
      'engine args: field "num_gpu_blocks": request 0 needs 9 KV blocks (100 prompt + 29 output tokens at ' +
        "block_size 16) but the engine has 8; it could never complete",
    );
    // 128 tokens fit exactly.
    const ok = worker({}, [{ isl: 100, osl: 28, hashIds: [1] }], args);
    ok.enqueue(0);
    expect(ok.inFlight).toBe(1);
  });

  // Two prompts that fit the pool one at a time (17 + 4 tokens = 2 blocks, 38 + 4 = 3 blocks of 16) but not
  // together (3 blocks): after a few tokens, each one's next block is held by the other, so they preempt each
  // other forever, every pass recomputing a chunk (prefill time). The reference engine (no guard) shows it: its
  // last token comes within the first 100 passes, then 19,900 passes emit none and neither request completes.
  // In-flight work W = (17 + 4) + (38 + 4) = 63 tokens.
  const thrashing: TinyRequest[] = [
    { isl: 17, osl: 4, hashIds: [100] },
    { isl: 38, osl: 4, hashIds: [200] },
  ];
  const thrashArgs = parseEngineArgs(
    { block_size: 16, num_gpu_blocks: 3, max_num_batched_tokens: 16, preemption_mode: "lifo" },
    "test",
  );
  const both = [
    { requestId: 0, atMs: 0 },
    { requestId: 1, atMs: 0 },
  ];

  it("the thrashing workload stops emitting on the reference engine (the behaviour being guarded)", () => {
    const ref = new ReferenceEngine({
      role: "aggregated",
      args: thrashArgs,
      passTime: new PolynomialPassTimeModel(),
      requests: new RequestTable(tinyTrace(thrashing, 128), 16),
    });
    const out = drive(referenceEngineDriver(ref), both, 2, 20_000);
    expect(out.truncated).toBe(true);
    expect(out.requests.map((r) => r.completed)).toEqual([false, false]);
    const lastTokenMs = Math.max(...out.requests.flatMap((r) => r.tokenTimesMs));
    expect(lastTokenMs).toBeLessThanOrEqual((out.passes[100] as { startMs: number }).startMs);
    expect(out.requests.every((r) => r.preemptions > 1000)).toBe(true);
    expect(out.passes.slice(-100).every((p) => p.endMs > p.startMs)).toBe(true);
  });

  it("stops a time-advancing livelock after 1,024 passes, naming the worker, the requests and the work", () => {
    const w = worker({}, thrashing, thrashArgs);
    let caught: unknown = null;
    let passes = 0;
    const counting = fastEngineDriver(w);
    try {
      const runPass = (now: number) => {
        passes++;
        return counting.runPass(now);
      };
      drive({ ...counting, runPass }, both, 2, 20_000);
    } catch (error) {
      caught = error;
    }
    expect(isInputError(caught)).toBe(true);
    const m =
      /^engine args: field "num_gpu_blocks": aggregated worker 4 is stuck: requests (\d) \(line (\d), (\d+)-token prompt\) and (\d) \(line (\d), (\d+)-token prompt\) keep preempting each other; (\d+) passes computed (\d+) tokens, over 8× the 63 its 2 requests need, without emitting a token \(raise num_gpu_blocks — 3 blocks hold 48 tokens — or max_num_batched_tokens, or lower the load\)$/.exec(
        (caught as Error).message,
      );
    expect(m, (caught as Error).message).not.toBeNull();
    const [, a, lineA, islA, b, lineB, islB, streak, work] = (m as RegExpExecArray).map(Number);
    // Both requests, each with its trace line (id + 1) and prompt.
    expect(new Set([a, b])).toEqual(new Set([0, 1]));
    expect([lineA, islA]).toEqual([(a as number) + 1, a === 0 ? 17 : 38]);
    expect([lineB, islB]).toEqual([(b as number) + 1, b === 0 ? 17 : 38]);
    // Every pass of the streak advanced time (so it ends at the 1,024-pass floor, after the passes that still
    // emitted), and it computed more than 8 × 63 tokens.
    expect(streak).toBe(1024);
    expect(passes).toBeGreaterThan(1024);
    expect(passes).toBeLessThan(1024 + 100);
    expect(work).toBeGreaterThan(8 * 63);
    expect(work).toBeLessThanOrEqual(1024 * 16); // at most one 16-token budget per pass
  });

  it("leaves a run alone that recomputes but keeps emitting (the streak ends at every token)", () => {
    // The same pool with one request at a time: it fits, so nothing is preempted and both complete.
    const w = worker({ livelockMinPasses: 1 }, thrashing, thrashArgs);
    const out = drive(
      fastEngineDriver(w),
      [
        { requestId: 0, atMs: 0 },
        { requestId: 1, atMs: 1e6 },
      ],
      2,
      20_000,
    );
    expect(out.truncated).toBe(false);
    expect(out.requests.map((r) => r.tokenTimesMs.length)).toEqual([4, 4]);
  });
});
