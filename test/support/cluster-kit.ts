import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { type ClusterOptionsInput, resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { type TinyRequest, tinyTrace } from "../oracles/tiny-trace.js";

/**
 * The polynomial pass-time model (docs/design.md#perf-model), written out independently of src/ for
 * hand-worked expectations.
 */
export function prefillMs(newTokens: number): number {
  return 4.209989e-7 * (newTokens * newTokens) + 1.518344e-2 * newTokens + 16.50142;
}

/** Decode time for `activeBlocks` of a default 16384-block worker. */
export function decodeMs(activeBlocks: number, totalBlocks = 16384): number {
  const p = activeBlocks / totalBlocks;
  return -25.74 * (p * p) + 54.01 * p + 5.74;
}

/** A cluster over hand-written requests with 64-token trace blocks (= engine blocks, one hash id each). */
export function tinyCluster(
  requests: readonly TinyRequest[],
  options: ClusterOptionsInput,
): ClusterSimulation {
  const trace = tinyTrace(requests, 64);
  return new ClusterSimulation(trace, resolveClusterOptions({ checkInvariants: true, ...options }, 64));
}
