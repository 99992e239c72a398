import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { sharedTraceColumns, toSharedTrace } from "../../src/parallel/sweep/shared-trace.js";
import { buildReplaySyntheticTrace } from "../../src/trace/synth/replay-synthetic.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("a trace in one SharedArrayBuffer", () => {
  // Sessions give session indexes and delays; 3 turns × 7 sessions = 21 rows, odd sizes on purpose.
  const trace = buildReplaySyntheticTrace({
    inputTokens: 1100,
    outputTokens: 9,
    requestCount: 7,
    arrivalIntervalMs: 3,
    turnsPerSession: 3,
    interTurnDelayMs: 5,
    blockSize: 64,
  });

  it("holds every column unchanged, each a view of the one shared buffer", () => {
    const shared = toSharedTrace(trace);
    const c = sharedTraceColumns(shared);
    for (const key of [
      "arrivalMs",
      "delayMs",
      "hashIds",
      "inputTokens",
      "outputTokens",
      "hashOffsets",
      "sourceLine",
      "sessionIndex",
    ] as const) {
      expect(Array.from(c[key]), key).toEqual(Array.from(trace[key]));
      expect(c[key].buffer, key).toBe(shared.buffer);
    }
    expect(c.count).toBe(21);
    expect(c.traceBlockSize).toBe(64);
    expect(c.sessionNames).toEqual(trace.sessionNames);
    expect(c.sourceChecksum).toBe(trace.sourceChecksum);
  });

  it("is read by another thread in place, not copied: a write there is seen here", async () => {
    const shared = toSharedTrace(trace);
    const module = pathToFileURL(join(root, "dist", "src", "parallel", "sweep", "shared-trace.js")).href;
    const code = `
      const { workerData, parentPort } = require("node:worker_threads");
      import(${JSON.stringify(module)}).then(({ sharedTraceColumns }) => {
        const c = sharedTraceColumns(workerData);
        parentPort.postMessage(c.inputTokens[20]);
        c.outputTokens[20] = 4242;
        parentPort.postMessage("written");
      });`;
    const worker = new Worker(code, { eval: true, workerData: shared });
    const messages: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      worker.on("message", (m) => {
        messages.push(m);
        if (m === "written") resolve();
      });
      worker.on("error", reject);
    });
    await worker.terminate();
    expect(messages[0]).toBe(1100);
    expect(sharedTraceColumns(shared).outputTokens[20]).toBe(4242);
    expect(trace.outputTokens[20]).toBe(9); // the source columns were copied once, on this thread
  });
});
