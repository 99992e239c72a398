import { KvTier } from "../engine/kv-event-log.js";
import type { Stage } from "./stage.js";

/**
 * Debug invariant (checkInvariants): the router's prefix index never attributes to a worker a block that the
 * worker's engine does not hold (active or inactive) — i.e. no routing decision can count a block the engine
 * evicted before the decision's time. KV events reach the router at pass start, so the check runs right after
 * a pass's events were applied, over every live worker of the stage. While the engines publish events (prefix
 * caching on) the index must also hold every resident full block, so the counts must match too.
 * Throws on the first mismatch, naming the worker, the block and the time.
 */
export function checkRouterView(stage: Stage, nowMs: number): void {
  const pool = stage.pool;
  for (let id = 0; id < pool.idLimit; id++) {
    if (!pool.exists(id)) continue;
    const engine = pool.worker(id);
    const indexed = stage.router.indexedBlocks(id);
    for (const hash of indexed) {
      if (!engine.holdsBlock(hash)) {
        throw new Error(
          `router view invariant violated at ${nowMs} ms (${stage.name} stage): the prefix index attributes ` +
            `block ${hash} to worker ${id}, whose engine does not hold it`,
        );
      }
    }
    checkLowerTierView(stage, id, nowMs);
    const published = engine.publishedBlockCount();
    if (published > 0 && published !== indexed.length) {
      throw new Error(
        `router view invariant violated at ${nowMs} ms (${stage.name} stage): worker ${id} holds ${published} ` +
          `published blocks but the prefix index attributes ${indexed.length} to it`,
      );
    }
  }
}

/**
 * The router's lower-tier view (lower-tier-view.ts) holds exactly worker `id`'s host and disk blocks: what its
 * engine's tiers hold after the events applied so far (docs/design.md#kv-tiers).
 */
function checkLowerTierView(stage: Stage, id: number, nowMs: number): void {
  const lowerTierBlocks = stage.router.lowerTierBlocks?.bind(stage.router);
  const chain = stage.pool.worker(id).mirrorablePool?.()?.lowerTiers ?? null;
  if (lowerTierBlocks === undefined || chain === null) return;
  const tiers: [number, string, number[]][] = [
    [KvTier.Host, "host", chain.hostKeys()],
    [KvTier.Disk, "disk", chain.diskKeys()],
  ];
  for (const [tier, name, held] of tiers) {
    held.sort((a, b) => a - b);
    const viewed = lowerTierBlocks(id, tier);
    const differ = viewed.length !== held.length || viewed.some((h, i) => h !== held[i]);
    if (differ) {
      throw new Error(
        `router view invariant violated at ${nowMs} ms (${stage.name} stage): the router places ` +
          `${viewed.length} blocks in worker ${id}'s ${name} tier, whose engine holds ${held.length} there ` +
          "(or other blocks)",
      );
    }
  }
}
