import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CellFaultError, CellsAbortedError } from "../../src/parallel/cells/cell-errors.js";
import { runCellReplay } from "../../src/parallel/cells/run-cells.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { readTrace } from "../../src/trace/read-trace.js";
import { tinyTrace } from "../oracles/tiny-trace.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = join(root, "test", "fixtures", "replay", "conversation-300.jsonl");
const { columns: trace } = readTrace(fixture, { displayName: "conversation-300.jsonl" });
const options = resolveClusterOptions({ numWorkers: 3 }, trace.traceBlockSize);

async function failureOf(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error("the run succeeded");
}

describe("a failing cell fails the whole sharded replay with one line naming the cell", () => {
  it("a cell whose simulation throws: the cell, its shard key, requests and workers, then the error", async () => {
    const error = await failureOf(
      runCellReplay(trace, options, { cells: 3, threads: 2, testFault: { cell: 1, kind: "throw" } }),
    );
    expect(error).toBeInstanceOf(CellFaultError);
    const fault = error as CellFaultError;
    expect(fault.message).toMatch(
      /^cell 1 of 3 \(shard key block:2, \d+ requests, 1 worker\) failed: injected fault in cell 1$/,
    );
    expect(fault.cell).toBe(1);
    expect(fault.exitCode).toBe(1);
  });

  it("a cell thread that dies: the thread and the cells it hosted, and its exit code", async () => {
    const error = await failureOf(
      runCellReplay(trace, options, { cells: 3, threads: 2, testFault: { cell: 1, kind: "exit" } }),
    );
    expect(error).toBeInstanceOf(CellFaultError);
    expect(error.message).toMatch(
      /^cell thread 1 \(hosting cell 1 of 3 \(shard key block:2, \d+ requests, 1 worker\)\) died: exited with code 70$/,
    );
  });

  it("a request too large for a worker's KV cache: an input error (exit 2) naming its trace row, not its row in the cell", async () => {
    // 64-token blocks, 16 per worker (1024 tokens): request 5 needs 2048 + 4 tokens = 33 blocks.
    const requests = Array.from({ length: 8 }, (_, i) => ({
      isl: i === 5 ? 2048 : 128,
      osl: 4,
      hashIds: [] as number[],
    }));
    requests.forEach((r, i) => {
      r.hashIds = Array.from({ length: r.isl / 64 }, (_, b) => 1000 * i + b);
    });
    const tiny = tinyTrace(requests, 64);
    const small = resolveClusterOptions(
      { numWorkers: 2, engineArgs: { num_gpu_blocks: 16, block_size: 64 } },
      64,
    );
    const error = await failureOf(runCellReplay(tiny, small, { cells: 2, threads: 2 }));
    expect(error).toBeInstanceOf(CellFaultError);
    expect((error as CellFaultError).exitCode).toBe(2);
    // Placement by work (input + output tokens): 132 each, request 5 2052. Greedy, least loaded first:
    // 0→c0, 1→c1, 2→c0, 3→c1, 4→c0 (c0 396, c1 264), 5→c1 (2316), 6→c0, 7→c0. Cell 1 = requests 1, 3, 5, and
    // request 5 is row 2 of cell 1's slice: the message must still call it request 5.
    expect(error.message).toBe(
      'cell 1 of 2 (shard key block:2, 3 requests, 1 worker) failed: engine args: field "num_gpu_blocks": ' +
        "request 5 needs 33 KV blocks (2048 prompt + 4 output tokens at block_size 64) but the engine has 16; it could never complete",
    );
    expect(error.message).not.toContain("\n");
  });

  it("aborting (Ctrl-C) stops every thread and rejects with CellsAbortedError", async () => {
    const controller = new AbortController();
    const error = await failureOf(
      runCellReplay(trace, options, {
        cells: 3,
        threads: 2,
        signal: controller.signal,
        onStart: () => controller.abort(),
      }),
    );
    expect(error).toBeInstanceOf(CellsAbortedError);
  });
});
