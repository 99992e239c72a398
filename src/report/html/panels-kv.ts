// kvsim additions the reference recorder leaves out: the KV-cache hit rate over time (observed, predicted and the
// sticky value the planner applied) and the raw ISL next to the effective ISL the planner sized prefill for.

import { column, type ReportContext } from "./context.js";
import { formatPercent } from "./format.js";
import { timePanel } from "./lines.js";
import type { Panel } from "./panel.js";

const OBSERVED_COLOR = "#0072b2";
const PREDICTED_COLOR = "#e69f00";
const APPLIED_COLOR = "#009e73";

/**
 * Whether the run fed hit rates to the planner (docs/planner.md#sticky-kv-hit-rate: off = null every tick, no
 * discount).
 */
export function awarenessOn(ctx: ReportContext): boolean | null {
  const v = ctx.planner.config.kv_hit_rate_awareness;
  return typeof v === "boolean" ? v : null;
}

export function kvHitRatePanel(ctx: ReportContext): Panel {
  const aware = awarenessOn(ctx);
  const note =
    aware === false
      ? "KV-hit-rate awareness off: the planner saw no hit rate and applied no discount."
      : "The applied (sticky) rate discounts prefill work in the planner's TTFT estimates and capacity sizing.";
  return timePanel({
    id: "kv-hit-rate",
    title: "KV Cache Hit Rate (Observed vs Predicted)",
    subtitle: `Request-weighted mean of prefix-cache overlap ÷ input blocks. ${note}`,
    yAxisName: "hit rate (fraction of input)",
    lines: [
      {
        name: "observed",
        points: column(ctx.ticks, (t) => t.observed_kv_hit_rate),
        color: OBSERVED_COLOR,
        step: true,
        widthPx: 2.6,
      },
      {
        name: "predicted",
        points: column(ctx.throughputTicks, (t) => t.predicted_kv_hit_rate),
        color: PREDICTED_COLOR,
        style: "dotted",
        connectNulls: true,
        widthPx: 2,
      },
      {
        name: "applied by planner (sticky)",
        points: column(ctx.ticks, (t) => t.sticky_kv_hit_rate),
        color: APPLIED_COLOR,
        style: "dashed",
        step: true,
        widthPx: 1.4,
      },
    ],
    range: ctx.range,
    yAxis: { min: 0, percent: true, headroom: true, maxCap: 1 },
    noDataMessage: "no hit rates recorded",
  });
}

/** 1 − Σ effective / Σ raw over ticks where both are known: the share of prefill tokens discounted. */
export function meanIslDiscount(ctx: ReportContext): number | null {
  let raw = 0;
  let effective = 0;
  for (const t of ctx.ticks) {
    const r = t.observed_input_sequence_tokens;
    const e = t.effective_isl;
    if (r === null || e === null || !Number.isFinite(r) || !Number.isFinite(e)) continue;
    raw += r;
    effective += e;
  }
  return raw > 0 ? 1 - effective / raw : null;
}

export function effectiveIslPanel(ctx: ReportContext): Panel {
  const discount = meanIslDiscount(ctx);
  const summary =
    discount === null
      ? ""
      : ` Over the run, ${formatPercent(discount)} of observed input tokens were discounted.`;
  return timePanel({
    id: "effective-isl",
    title: "Input Sequence Length: Raw vs Effective",
    subtitle: `Effective ISL = observed ISL × (1 − applied hit rate): the prefill work the planner sizes for.${summary}`,
    yAxisName: "ISL (tokens per request)",
    lines: [
      {
        name: "raw ISL (observed)",
        points: column(ctx.ticks, (t) => t.observed_input_sequence_tokens),
        color: OBSERVED_COLOR,
        step: true,
      },
      {
        name: "effective ISL",
        points: column(ctx.ticks, (t) => t.effective_isl),
        color: APPLIED_COLOR,
        step: true,
        widthPx: 2,
      },
    ],
    range: ctx.range,
    yAxis: { min: 0 },
  });
}
