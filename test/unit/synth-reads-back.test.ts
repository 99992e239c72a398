import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceColumns } from "../../src/trace/columns.js";
import { readTrace } from "../../src/trace/read-trace.js";
import { lognormal, uniform } from "../../src/trace/synth/distributions.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";
import { writeTraceJsonl } from "../../src/trace/synth/jsonl-writer.js";
import { parseRateProfile } from "../../src/trace/synth/rate-profile.js";
import { buildReplaySyntheticTrace } from "../../src/trace/synth/replay-synthetic.js";

const dir = mkdtempSync(join(tmpdir(), "kvsim-synth-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plain(t: TraceColumns): Record<string, unknown> {
  return {
    count: t.count,
    traceBlockSize: t.traceBlockSize,
    arrivalMs: Array.from(t.arrivalMs),
    inputTokens: Array.from(t.inputTokens),
    outputTokens: Array.from(t.outputTokens),
    hashOffsets: Array.from(t.hashOffsets),
    hashIds: Array.from(t.hashIds),
    sessionIndex: Array.from(t.sessionIndex),
    sessionNames: [...t.sessionNames],
    delayMs: Array.from(t.delayMs, (d) => (Number.isNaN(d) ? null : d)),
    sourceLine: Array.from(t.sourceLine),
    sourceChecksum: t.sourceChecksum,
  };
}

describe("written synthetic traces read back through the trace reader unchanged", () => {
  it("a multi-turn, shared-prefix, gamma, rate-profile workload", () => {
    const trace = synthesizeTrace({
      requests: 3000,
      rateProfile: parseRateProfile("p", "0:1,60:30,120:1"),
      arrival: "gamma",
      burstinessCv: 3,
      prefixGroups: 4,
      prefixTokens: 2000,
      isl: lognormal(400, 300),
      turns: uniform(1, 5),
      thinkTimeMs: lognormal(2000, 1500),
      seed: 77,
    });
    const path = join(dir, "busy.jsonl");
    writeTraceJsonl(trace, path);
    const { columns, skipped } = readTrace(path);
    expect(skipped).toBeNull();
    expect(trace.sessionNames.length).toBeGreaterThan(100);
    expect(plain(columns)).toEqual(plain(trace));
  });

  it("the replay's synthetic workload with a 64-token block", () => {
    const trace = buildReplaySyntheticTrace({
      inputTokens: 1000,
      outputTokens: 20,
      requestCount: 50,
      turnsPerSession: 3,
      sharedPrefixRatio: 0.5,
      numPrefixGroups: 3,
      interTurnDelayMs: 7.5,
      blockSize: 64,
    });
    const path = join(dir, "replay.jsonl");
    writeTraceJsonl(trace, path);
    const { columns } = readTrace(path, { traceBlockSize: 64 });
    expect(plain(columns)).toEqual(plain(trace));
  });
});
