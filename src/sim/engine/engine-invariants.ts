import { isPartialKey } from "./kv-pool.js";
import type { VllmScheduler } from "./scheduler.js";
import { SlotStatus } from "./sequence-slots.js";

/**
 * Debug checks run after every pass when `checkInvariants` is on (slow: O(pool + requests)):
 * block refcounts ≥ 0; active + inactive ≤ capacity; every running request's blocks are allocated, in the pool
 * slots the sequence recorded for them; every reference in the pool is held by exactly one sequence block; a
 * waiting request holds blocks only for tokens it has computed (a short allocation that found no victim keeps
 * what it got, docs/design.md#engine-pass).
 * Returns a description of the first violation, or null.
 */
export function findEngineInvariantViolation(sched: VllmScheduler): string | null {
  const poolProblem = sched.pool.checkInvariants();
  if (poolProblem !== null) return `KV pool: ${poolProblem}`;
  const tierProblem = findTierViolation(sched);
  if (tierProblem !== null) return tierProblem;
  const slots = sched.slots;
  const bs = sched.blockSize;
  const running = sched.running;
  if (running.count > sched.maxNumSeqs) return `${running.count} running > max_num_seqs ${sched.maxNumSeqs}`;
  let heldTotal = 0;
  let live = 0;
  for (let s = 0; s < slots.capacity; s++) {
    const status = slots.status[s] as number;
    if (status === SlotStatus.Free) continue;
    live++;
    const id = slots.requestId[s] as number;
    const held = slots.held[s] as number;
    const len = (slots.isl[s] as number) + (slots.generated[s] as number);
    const computed = slots.computed[s] as number;
    heldTotal += held;
    if (held > Math.ceil(len / bs))
      return `request ${id} holds ${held} blocks, more than its ${len} tokens need`;
    if (computed > len) return `request ${id} computed ${computed} > length ${len}`;
    if (held * bs < computed) return `request ${id} computed ${computed} tokens with only ${held} blocks`;
    if (status !== SlotStatus.Running && held > 0 && computed === 0) {
      return `waiting request ${id} holds ${held} blocks without computed tokens`;
    }
    const keys = slots.keys[s] as Float64Array;
    for (let j = 0; j < held; j++) {
      const k = keys[j] as number;
      const at = sched.pool.slotOfKeyIn(keys, j);
      if (at < 0 || sched.pool.refCountOfSlot(at) < 1)
        return `request ${id}: block ${j} (${k}) is not allocated`;
      if (at !== (slots.poolSlots[s] as Int32Array)[j])
        return `request ${id}: block ${j} (${k}) is not in the pool slot the sequence recorded`;
      if (j < held - 1 && isPartialKey(k)) return `request ${id}: partial block ${j} is not its last block`;
    }
    if (status === SlotStatus.Running && running.indexOf(s) < 0)
      return `running request ${id} not in the running list`;
  }
  if (live !== sched.inFlight) return `${live} live sequences but inFlight = ${sched.inFlight}`;
  if (live !== running.count + sched.waiting.size) return "sequences are neither running nor waiting";
  const refs = sched.pool.totalReferences();
  if (refs !== heldTotal) return `pool holds ${refs} references but sequences hold ${heldTotal} blocks`;
  return null;
}

/** Lower tiers (docs/design.md#kv-tiers): their structure, and no block both in them and in the GPU pool. */
function findTierViolation(sched: VllmScheduler): string | null {
  const tiers = sched.tiers;
  if (tiers === null) return null;
  const problem = tiers.checkInvariants();
  if (problem !== null) return `KV tiers: ${problem}`;
  // One pass over the pool, not a lookup per tier block: a block off its run's start is found by a scan.
  const inGpu = new Set(sched.pool.residentFullImage().keys);
  for (const key of [...tiers.hostKeys(), ...tiers.diskKeys()])
    if (inGpu.has(key)) return `KV tiers: block ${key} is both in the GPU pool and a lower tier`;
  return null;
}
