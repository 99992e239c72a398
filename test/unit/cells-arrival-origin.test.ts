import { describe, expect, it } from "vitest";
import { runCellReplay } from "../../src/parallel/cells/run-cells.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { tinyTrace } from "../oracles/tiny-trace.js";

// Every cell keeps the whole trace's clock: a request's arrival is (timestamp − first timestamp of the whole
// trace) / speedup, whichever cell replays it — not measured from the first request of its own cell.

describe("sharded replays keep the trace's arrival epoch in every cell", () => {
  it("request i stamped 1000 + 700·i ms arrives at 700·i / 2 ms with --arrival-speedup-ratio 2, in 3 cells", async () => {
    const requests = Array.from({ length: 12 }, (_, i) => ({
      isl: 128,
      osl: 4,
      hashIds: [100 + 2 * i, 101 + 2 * i],
      arrivalMs: 1000 + 700 * i,
    }));
    const trace = tinyTrace(requests, 64);
    const options = resolveClusterOptions({ numWorkers: 3, arrivalSpeedupRatio: 2 }, 64);
    const run = await runCellReplay(trace, options, { cells: 3, threads: 1 });
    // Every cell got requests, and cells 1 and 2 start later than the trace's first request.
    expect(run.layout.requests.every((n) => n > 0)).toBe(true);
    const arrivals = Array.from(run.collector.arrivalMs);
    expect(arrivals).toEqual(requests.map((_, i) => (700 * i) / 2));
    expect(run.report.completed_requests).toBe(12);
  });
});
