import { InputError, inputErrorAt } from "../../util/errors.js";
import type { RequestCollector } from "../collector.js";
import type { EngineArgs } from "../engine/engine-args.js";
import type { RequestTable } from "../request-table.js";
import type { ClusterOptions } from "./cluster-options.js";
import type { Stage } from "./stage.js";

/** What the loop knows when no event is left but requests are (docs/design.md#virtual-clock). */
export interface DeadEndState {
  readonly nowMs: number;
  readonly inFlight: number;
  readonly notReleased: number;
  readonly options: ClusterOptions;
  readonly stages: readonly Stage[];
  readonly requests: RequestTable;
  readonly collector: RequestCollector;
}

function stageArgs(options: ClusterOptions, stage: Stage): EngineArgs {
  if (options.mode === "agg") return options.engineArgs;
  return stage.isPrefill ? options.prefillEngineArgs : options.decodeEngineArgs;
}

/**
 * A one-line diagnosis of a dead end. The causes a config can produce, most specific first: a prompt longer than
 * max_num_batched_tokens with chunked prefill off (no pass can ever schedule it; vLLM refuses such a config
 * up front, but here a prefix-cache hit can make a long prompt fit, so only a request that is actually stuck is
 * named); a pool left without workers; else the general statement.
 */
export function deadEndError(s: DeadEndState): InputError {
  for (const stage of s.stages) {
    const args = stageArgs(s.options, stage);
    const budget = args.max_num_batched_tokens;
    // The decode pool of a disagg cluster receives prompts already computed: only prefilling pools apply.
    if (args.enable_chunked_prefill || budget === null || (s.options.mode === "disagg" && !stage.isPrefill))
      continue;
    for (let id = 0; id < s.requests.count; id++) {
      const isl = s.requests.islTokens[id] as number;
      if (isl <= budget || !s.collector.hasArrived(id) || s.collector.isCompleted(id)) continue;
      return inputErrorAt(
        "engine args",
        null,
        "max_num_batched_tokens",
        `request ${id} (line ${s.requests.sourceLine(id)}) has a ${isl}-token prompt, more than ` +
          `max_num_batched_tokens ${budget}, and enable_chunked_prefill is false, so no pass of the ${stage.name} ` +
          `pool can schedule it (raise max_num_batched_tokens to the longest prompt or enable chunked prefill)`,
      );
    }
  }
  const empty = s.stages.find((stage) => stage.pool.effectiveCount === 0);
  const cause =
    empty !== undefined
      ? `the ${empty.name} pool has no worker to route to`
      : "a prompt larger than a worker's KV cache, or no worker to route to?";
  return new InputError(
    `simulation dead end at t=${s.nowMs} ms: ${s.inFlight} request(s) in flight, ${s.notReleased} not yet ` +
      `released, and no event left to run (${cause})`,
  );
}
