import { kvTierRowValues } from "./row-kv-tiers.js";
import type { SweepRow } from "./sweep-row.js";

/**
 * The KV-tier columns the terminal table and the sweep page show when the grid has a tier (rows.jsonl/csv keep
 * every KV_TIER_ROW_KEYS figure): reuse per tier, the onboarding p99 and the bytes onboarded, in MiB.
 */
export interface KvTierTableColumn {
  readonly header: string;
  readonly value: (row: SweepRow) => number | null;
  readonly digits: number;
}

const MIB = 1024 * 1024;

export const KV_TIER_TABLE_COLUMNS: readonly KvTierTableColumn[] = [
  { header: "reuse G1", value: (r) => kvTierRowValues(r).reused_ratio_g1, digits: 3 },
  { header: "reuse G2", value: (r) => kvTierRowValues(r).reused_ratio_g2, digits: 3 },
  { header: "reuse G3", value: (r) => kvTierRowValues(r).reused_ratio_g3, digits: 3 },
  { header: "onboard p99 ms", value: (r) => kvTierRowValues(r).onboarding_p99_ms, digits: 1 },
  {
    header: "onboarded MiB",
    value: (r) => {
      const bytes = kvTierRowValues(r).onboarding_bytes;
      return bytes === null ? null : bytes / MIB;
    },
    digits: 1,
  },
];
