// What two cores give this runtime at best: one whole-trace replay in a lone process vs two identical replays in
// two processes at once (separate V8 heaps, no shared memory, no pool). Node runs GC and JIT work on background
// threads, so a lone "one-thread" replay already keeps more than one core busy; the two-process ratio is the
// rough ceiling a 2-thread speed-up can reach here, whatever the thread pool does (the shared host adds noise).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchRow } from "./lib.js";
import type { ReplayChildResult } from "./replay-child.js";

const CHILD = fileURLToPath(new URL("./replay-child.js", import.meta.url));

function replayChild(): Promise<ReplayChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, "agg", "kv", "fast", "all"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(out.trim()) as ReplayChildResult);
      else reject(new Error(`replay child failed: ${err}`));
    });
  });
}

/** Best of `rounds` for the lone replay and for the pair (the pair's time = the slower of the two). */
export async function twoProcessCeilingRow(rounds: number): Promise<BenchRow> {
  let lone = Number.POSITIVE_INFINITY;
  let loneCores = 0;
  let pair = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const one = await replayChild();
    if (one.wallS < lone) {
      lone = one.wallS;
      loneCores = one.cpuS / one.wallS;
    }
    const [a, b] = await Promise.all([replayChild(), replayChild()]);
    pair = Math.min(pair, Math.max(a.wallS, b.wallS));
  }
  const ratio = (2 * lone) / pair;
  return {
    name: "machine ceiling: 2 replays in 2 processes at once vs 1 alone (throughput)",
    unit: "s",
    value: pair,
    baseline: { name: "1 replay alone", value: lone },
    ratio,
    note: `ratio = 2 × lone time / pair time; the whole conversation trace, agg, 8 workers, kv router, default Node flags, best of ${rounds}; the lone replay used ${loneCores.toFixed(2)} cores (V8's background GC and JIT threads), so two replays at once cannot both get a whole core: this ratio is roughly what 2 cores give this code, pool or no pool`,
  };
}
