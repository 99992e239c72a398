// A scheduler with KV tiers driven the way the cluster drives a worker, for the hand-worked onboarding tests.
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { findEngineInvariantViolation } from "../../src/sim/engine/engine-invariants.js";
import { PassResult } from "../../src/sim/engine/pass-result.js";
import { VllmScheduler } from "../../src/sim/engine/scheduler.js";
import { RequestTable } from "../../src/sim/request-table.js";
import { type TinyRequest, tinyTrace } from "../oracles/tiny-trace.js";
import { RecordingPassTime } from "./engine-kit.js";

const MAX_PASSES = 1000;

export interface AdmitView {
  readonly id: number;
  readonly reusedTokens: number;
  readonly hostTokens: number;
  readonly diskTokens: number;
  readonly onboardMs: number;
}

/** One pass, with the host and disk tiers after it (block names, least recent first). */
export interface TierPass {
  readonly startMs: number;
  readonly endMs: number;
  readonly admits: readonly AdmitView[];
  readonly tokens: readonly number[];
  /** Requests preempted by the pass. */
  readonly preempts: readonly number[];
  readonly wakesMs: readonly number[];
  readonly host: readonly string[];
  readonly disk: readonly string[];
  readonly gpuHeld: number;
}

export interface TierRun {
  readonly passes: readonly TierPass[];
  /** First token time of each request (NaN: none). */
  readonly firstTokenMs: readonly number[];
  readonly stuck: boolean;
  readonly scheduler: VllmScheduler;
}

/**
 * Runs the requests (16-token blocks, one hash id per block) on one aggregated scheduler whose pass time is
 * 1 ms per new prompt token plus 5 ms per decode step (RecordingPassTime), invariants checked after every pass.
 * Like the cluster: a request joins the queue before the first pass starting at or after its arrival; passes run
 * back to back; a zero-time pass that changed something is followed by another at once; an idle worker sleeps
 * until the next arrival or onboarding wake-up. `names` labels blocks: request id → one name per prompt block.
 */
export function runTiered(
  args: Record<string, unknown>,
  requests: readonly TinyRequest[],
  names: Readonly<Record<number, readonly string[]>>,
): TierRun {
  const parsed = parseEngineArgs({ block_size: 16, ...args }, "test");
  const table = new RequestTable(tinyTrace(requests, 16), 16);
  const sched = new VllmScheduler("aggregated", parsed, new RecordingPassTime(), table);
  const nameOf = new Map<number, string>();
  for (const [id, list] of Object.entries(names)) {
    const hashes = table.materialize(Number(id));
    list.forEach((name, j) => {
      nameOf.set(hashes[j] as number, name);
    });
  }
  const label = (keys: number[]): string[] => keys.map((k) => nameOf.get(k) ?? `?${k}`);
  const out = new PassResult();
  const passes: TierPass[] = [];
  const firstTokenMs = requests.map(() => Number.NaN);
  const wakes: number[] = [];
  let nowMs = 0;
  let next = 0;
  let stuck = false;
  let n = 0;
  for (; n < MAX_PASSES; n++) {
    while (next < requests.length && ((requests[next] as TinyRequest).arrivalMs ?? 0) <= nowMs)
      sched.enqueue(next++);
    if (!sched.hasWork() && next >= requests.length) break;
    sched.executePass(nowMs, out);
    const problem = findEngineInvariantViolation(sched);
    if (problem !== null) throw new Error(`invariant violated after the pass at ${nowMs} ms: ${problem}`);
    const admits: AdmitView[] = [];
    for (let i = 0; i < out.admitCount; i++)
      admits.push({
        id: out.admitIds[i] as number,
        reusedTokens: out.admitReusedTokens[i] as number,
        hostTokens: out.admitHostTokens[i] as number,
        diskTokens: out.admitDiskTokens[i] as number,
        onboardMs: out.admitOnboardMs[i] as number,
      });
    const tokens = Array.from(out.tokenIds.subarray(0, out.tokenCount));
    for (const id of tokens) if (Number.isNaN(firstTokenMs[id] as number)) firstTokenMs[id] = out.endMs;
    const wakesMs = Array.from(out.wakeMs.subarray(0, out.wakeCount));
    wakes.push(...wakesMs);
    if (out.madeProgress)
      passes.push({
        startMs: nowMs,
        endMs: out.endMs,
        admits,
        tokens,
        preempts: Array.from(out.preemptIds.subarray(0, out.preemptCount)),
        wakesMs,
        host: label(sched.tiers?.hostKeys() ?? []),
        disk: label(sched.tiers?.diskKeys() ?? []),
        gpuHeld: sched.pool.activeCount,
      });
    if (out.endMs > nowMs) {
      nowMs = out.endMs;
      continue;
    }
    if (out.madeProgress) continue;
    const later = wakes.filter((w) => w > nowMs);
    if (next < requests.length) later.push((requests[next] as TinyRequest).arrivalMs ?? 0);
    if (later.length === 0) {
      stuck = sched.hasWork();
      break;
    }
    nowMs = Math.min(...later);
  }
  // A run this small that needs more passes loops on zero-time passes (a livelock, not a long run).
  if (n === MAX_PASSES) throw new Error(`no end after ${MAX_PASSES} passes (last at ${nowMs} ms)`);
  return { passes, firstTokenMs, stuck, scheduler: sched };
}

/** The pass that started at `startMs` (the first one, when several did). */
export function passAtMs(run: TierRun, startMs: number): TierPass {
  const p = run.passes.find((q) => q.startMs === startMs);
  if (p === undefined) throw new Error(`no pass started at ${startMs} ms`);
  return p;
}
