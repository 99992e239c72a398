import type { SweepGrid } from "./grid.js";
import type { ConfigObject } from "./grid-axes.js";

/**
 * Whether any point of the grid has a host or disk KV tier on the workers that keep tiers (agg workers; the
 * prefill pool of a disagg point: decode workers get their KV from prefill and keep none), i.e. whether the
 * point's replay report would have a kv_tiers section (report/kv-tiers.ts). Decided from the grid's axes, not a
 * slice's points, so every slice of one grid agrees on its columns. Constant work in the number of points: only
 * the engine-args axes (and, for disagg shapes, their prefill overrides) are looked at.
 */
export function gridHasKvTiers(grid: SweepGrid): boolean {
  const hasAgg = grid.shapes.some((s) => s.value.mode === "agg");
  const hasDisagg = grid.shapes.some((s) => s.value.mode === "disagg");
  for (const shared of grid.engineArgs) {
    if (hasAgg && hasTier(shared.value)) return true;
    if (hasDisagg) {
      // A disagg pool's args are the shared ones with its own on top, field by field (resolve-options.ts).
      for (const prefill of grid.prefillEngineArgs)
        if (hasTier({ ...shared.value, ...prefill.value })) return true;
    }
  }
  return false;
}

/** Validated engine args (grid-axes.ts parsed each value): a tier is on when its block count is > 0. */
function hasTier(args: ConfigObject): boolean {
  const blocks = (key: string): number => (typeof args[key] === "number" ? (args[key] as number) : 0);
  return blocks("host_kv_blocks") > 0 || blocks("disk_kv_blocks") > 0;
}
