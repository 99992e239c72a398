import { describe, expect, it } from "vitest";
import { parseObservationRecord } from "../../src/planner/observations-schema.js";
import { fpmKey } from "../../src/planner/types.js";

const parse = (v: unknown) => parseObservationRecord(v, "obs.jsonl", 7);

describe("observation records (kvsim plan input schema)", () => {
  it("parses a tick record with snake_case fields into a TickInput, filling FPM defaults", () => {
    const r = parse({
      now_s: 65,
      traffic: { duration_s: 60, num_req: 500, isl: 4000, osl: 150, kv_hit_rate: 0.8, ttft_ms: 300 },
      worker_counts: { ready_num_prefill: 1 },
      fpm: { prefill: [{ worker_id: 3, wall_time: 0.05, queued: { sum_prefill_tokens: 10000 } }] },
    });
    if (r.kind !== "tick") throw new Error("expected a tick");
    const { input, observed } = r.tick;
    expect(input.nowS).toBe(65);
    expect(input.traffic).toEqual({ durationS: 60, numReq: 500, isl: 4000, osl: 150, kvHitRate: 0.8 });
    expect(input.workerCounts).toEqual({
      readyNumPrefill: 1,
      readyNumDecode: null,
      expectedNumPrefill: null,
      expectedNumDecode: null,
    });
    const f = input.fpmObservations?.prefill?.get(fpmKey("3", 0));
    expect(f).toMatchObject({ workerId: "3", dpRank: 0, wallTime: 0.05 });
    expect(f?.queued.sumPrefillTokens).toBe(10000);
    expect(f?.scheduled.sumDecodeKvTokens).toBe(0);
    expect(input.fpmObservations?.decode).toBeNull();
    expect(observed).toMatchObject({ ttftMs: 300, itlMs: null, numReq: 500, kvHitRate: 0.8 });
  });

  it("parses capability and benchmark header records", () => {
    expect(parse({ capabilities: { decode: { num_gpu: 2, max_kv_tokens: 1000 } } })).toEqual({
      kind: "capabilities",
      capabilities: {
        prefill: null,
        decode: {
          numGpu: 2,
          maxNumBatchedTokens: null,
          maxNumSeqs: null,
          contextLength: null,
          maxKvTokens: 1000,
        },
      },
    });
    const b = parse({ benchmark_fpms: { prefill: [{ worker_id: "b", wall_time: 0.5 }] } });
    expect(b.kind === "benchmark_fpms" ? [b.prefill.length, b.decode.length] : null).toEqual([1, 0]);
  });

  it("names the line and field of a bad value, an unknown key or a duplicate engine", () => {
    expect(() =>
      parse({ now_s: 1, traffic: { duration_s: 5, num_req: 1, isl: 1, osl: 1, kv_hit_rate: 1.5 } }),
    ).toThrow('obs.jsonl:7: field "traffic.kv_hit_rate": must be between 0 and 1 (got 1.5)');
    expect(() => parse({ now_s: 1, extra: true })).toThrow('obs.jsonl:7: field "extra": unknown field');
    expect(() => parse({ capabilities: { decode: { num_gpu: 0 } } })).toThrow(
      'obs.jsonl:7: field "capabilities.decode.num_gpu": must be > 0 (got 0)',
    );
    expect(() =>
      parse({
        now_s: 1,
        fpm: {
          decode: [
            { worker_id: "d", wall_time: 0 },
            { worker_id: "d", wall_time: 0 },
          ],
        },
      }),
    ).toThrow('obs.jsonl:7: field "fpm.decode.1": duplicate engine (worker_id "d", dp_rank 0)');
    expect(() => parse({ traffic: null })).toThrow('obs.jsonl:7: field "now_s": required field is missing');
    expect(() => parse(42)).toThrow(
      "obs.jsonl:7: a record must be an object with now_s, capabilities or benchmark_fpms (got 42)",
    );
  });
});
