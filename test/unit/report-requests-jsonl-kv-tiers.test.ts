import { describe, expect, it } from "vitest";
import { type ChunkSink, writeRequestRecords } from "../../src/report/requests-jsonl.js";
import { RequestCollector } from "../../src/sim/collector.js";

/**
 * Two trace rows (lines 1 and 2, no sessions):
 *   row 0: worker 0, arrives 0; admitted at 10 with 1024 cached of which 512 from host and 256 from disk after
 *          10 ms of onboarding; preempted; re-admitted at 40 with 640 cached, all 640 from host after 30 ms → the
 *          split stays the first admission's (the larger hit); onboarded 768 + 640 = 1408 tokens in 40 ms; token at 50
 *   row 1: arrives 5, never admitted → the tier fields are null, like reused_tokens
 */
function collector(): RequestCollector {
  const c = new RequestCollector(2);
  c.onArrival(0, 0);
  c.onWorker(0, 0);
  c.onAdmit(0, 10, 1024, 512, 256, 10);
  c.onPreempt(0);
  c.onAdmit(0, 40, 640, 640, 0, 30);
  c.onToken(0, 50);
  c.onArrival(1, 5);
  return c;
}

const trace = {
  sourceLine: new Uint32Array([1, 2]),
  sessionIndex: new Int32Array([-1, -1]),
  sessionNames: [],
};

function written(tiers: boolean): string {
  let text = "";
  const sink: ChunkSink = {
    write: (chunk) => {
      text += chunk;
    },
  };
  writeRequestRecords(collector(), trace, sink, { tiers });
  return text;
}

describe("--requests-out with KV tiers", () => {
  it("adds host_hit_tokens, disk_hit_tokens, onboarded_tokens and onboard_ms after reused_tokens", () => {
    expect(written(true)).toBe(
      [
        '{"line":1,"session":null,"worker":0,"arrival_ms":0,"first_admit_ms":10,"first_token_ms":50,"last_token_ms":50,"output_tokens":1,"reused_tokens":1024,"host_hit_tokens":512,"disk_hit_tokens":256,"onboarded_tokens":1408,"onboard_ms":40,"preemptions":1}',
        '{"line":2,"session":null,"worker":null,"arrival_ms":5,"first_admit_ms":null,"first_token_ms":null,"last_token_ms":null,"output_tokens":0,"reused_tokens":null,"host_hit_tokens":null,"disk_hit_tokens":null,"onboarded_tokens":null,"onboard_ms":null,"preemptions":0}',
        "",
      ].join("\n"),
    );
  });

  it("writes the records of a run without tiers exactly as before", () => {
    expect(written(false)).toBe(
      [
        '{"line":1,"session":null,"worker":0,"arrival_ms":0,"first_admit_ms":10,"first_token_ms":50,"last_token_ms":50,"output_tokens":1,"reused_tokens":1024,"preemptions":1}',
        '{"line":2,"session":null,"worker":null,"arrival_ms":5,"first_admit_ms":null,"first_token_ms":null,"last_token_ms":null,"output_tokens":0,"reused_tokens":null,"preemptions":0}',
        "",
      ].join("\n"),
    );
  });
});
