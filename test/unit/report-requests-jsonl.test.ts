import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeRequestsJsonl } from "../../src/report/requests-jsonl.js";
import { RequestCollector } from "../../src/sim/collector.js";
import { InputError } from "../../src/util/errors.js";

const dir = mkdtempSync(join(tmpdir(), "kvsim-requests-jsonl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Three trace rows from lines 2, 3 and 5 of a file (line 4 was blank):
 *   row 0: session "alice", worker 1, arrives 0, admitted 0.5 with 512 cached, preempted once, re-admitted with
 *          1024 cached, tokens at 3, 4.5
 *   row 1: no session, worker 0, arrives 1, admitted 1 with 0 cached, no token yet
 *   row 2: session "bob", never released
 */
function collector(): RequestCollector {
  const c = new RequestCollector(3);
  c.onArrival(0, 0);
  c.onWorker(0, 1);
  c.onAdmit(0, 0.5, 512);
  c.onPreempt(0);
  c.onAdmit(0, 2, 1024);
  c.onToken(0, 3);
  c.onToken(0, 4.5);
  c.onArrival(1, 1);
  c.onWorker(1, 0);
  c.onAdmit(1, 1, 0);
  return c;
}

const trace = {
  sourceLine: new Uint32Array([2, 3, 5]),
  sessionIndex: new Int32Array([0, -1, 1]),
  sessionNames: ["alice", "bob"],
};

describe("--requests-out JSONL", () => {
  it("writes one record per trace row, fixed key order, null where a request never got that far", () => {
    const path = join(dir, "requests.jsonl");
    expect(writeRequestsJsonl(path, collector(), trace)).toBe(3);
    expect(readFileSync(path, "utf8")).toBe(
      [
        '{"line":2,"session":"alice","worker":1,"arrival_ms":0,"first_admit_ms":0.5,"first_token_ms":3,"last_token_ms":4.5,"output_tokens":2,"reused_tokens":1024,"preemptions":1}',
        '{"line":3,"session":null,"worker":0,"arrival_ms":1,"first_admit_ms":1,"first_token_ms":null,"last_token_ms":null,"output_tokens":0,"reused_tokens":0,"preemptions":0}',
        '{"line":5,"session":"bob","worker":null,"arrival_ms":null,"first_admit_ms":null,"first_token_ms":null,"last_token_ms":null,"output_tokens":0,"reused_tokens":null,"preemptions":0}',
        "",
      ].join("\n"),
    );
  });

  it("reports an unwritable path as a one-line input error and leaves no temporary file", () => {
    const path = join(dir, "missing-dir", "requests.jsonl");
    expect(() => writeRequestsJsonl(path, collector(), trace)).toThrow(InputError);
    expect(() => writeRequestsJsonl(path, collector(), trace)).toThrow(`${path}: cannot write`);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("streams large outputs in chunks with identical content", () => {
    const n = 5000;
    const c = new RequestCollector(n);
    for (let i = 0; i < n; i++) c.onArrival(i, i);
    const big = {
      sourceLine: Uint32Array.from({ length: n }, (_, i) => i + 1),
      sessionIndex: new Int32Array(n).fill(-1),
      sessionNames: [],
    };
    const path = join(dir, "big.jsonl");
    writeRequestsJsonl(path, c, big);
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(n);
    expect(JSON.parse(lines[4321] as string)).toMatchObject({ line: 4322, arrival_ms: 4321, worker: null });
  });
});
