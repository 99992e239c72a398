// Diagnostics panels, rows 1 and 5 (docs/planner-in-the-loop.md#html-report): replica counts, request rate,
// engine capacity and sequence lengths.

import type { ScalingEventJson } from "../planner-result.js";
import { column, type ReportContext } from "./context.js";
import type { Point } from "./downsample.js";
import type { LineSpec, NamedSeries } from "./lines.js";
import { timePanel } from "./lines.js";
import type { Panel } from "./panel.js";

const PREFILL_COLOR = "#0072b2";
const DECODE_COLOR = "#e69f00";
const SCALE_UP_COLOR = "#008000";
const SCALE_DOWN_COLOR = "#0000ff";

/** Scaling-event markers beyond this count are left to the replica lines (they would cover them). */
const MAX_EVENT_MARKERS = 400;

function eventMarkers(
  events: readonly ScalingEventJson[],
  reason: ScalingEventJson["reason"],
): NamedSeries | null {
  const picked = events.filter((e) => e.reason === reason);
  if (picked.length === 0 || events.length > MAX_EVENT_MARKERS) return null;
  const up = reason === "scale_up";
  const name = up ? "scale-up event" : "scale-down event";
  return {
    name,
    series: {
      type: "scatter",
      name,
      data: picked.map((e) => [e.at_s, e.to_count]),
      symbol: "triangle",
      symbolRotate: up ? 0 : 180,
      symbolSize: 9,
      color: up ? SCALE_UP_COLOR : SCALE_DOWN_COLOR,
      itemStyle: { opacity: 1, borderColor: "#ffffff", borderWidth: 0.5 },
      emphasis: { disabled: true },
      z: 6,
    },
  };
}

export function replicaCountsPanel(ctx: ReportContext): Panel {
  const lines: LineSpec[] = [];
  const anyBound = (pick: (t: ReportContext["ticks"][number]) => number): boolean =>
    ctx.ticks.some((t) => pick(t) > 1);
  if (ctx.disagg) {
    lines.push({
      name: "prefill replicas",
      points: column(ctx.ticks, (t) => t.num_prefill_replicas),
      color: PREFILL_COLOR,
      step: true,
      widthPx: 2,
    });
    lines.push({
      name: "decode replicas",
      points: column(ctx.ticks, (t) => t.num_decode_replicas),
      color: DECODE_COLOR,
      step: true,
      widthPx: 2,
    });
    if (anyBound((t) => t.throughput_lower_bound_prefill)) {
      lines.push({
        name: "Prefill TP Lower Bound",
        points: column(ctx.ticks, (t) => t.throughput_lower_bound_prefill),
        color: PREFILL_COLOR,
        style: "dashed",
        step: true,
        widthPx: 1.2,
      });
    }
    if (anyBound((t) => t.throughput_lower_bound_decode)) {
      lines.push({
        name: "Decode TP Lower Bound",
        points: column(ctx.ticks, (t) => t.throughput_lower_bound_decode),
        color: DECODE_COLOR,
        style: "dashed",
        step: true,
        widthPx: 1.2,
      });
    }
  } else {
    // Agg workers live in the decode slot (docs/planner.md#modes).
    lines.push({
      name: "agg replicas",
      points: column(ctx.ticks, (t) => t.num_decode_replicas ?? t.num_prefill_replicas),
      color: PREFILL_COLOR,
      step: true,
      widthPx: 2,
    });
    if (anyBound((t) => t.throughput_lower_bound_decode)) {
      lines.push({
        name: "Agg TP Lower Bound",
        points: column(ctx.ticks, (t) => t.throughput_lower_bound_decode),
        color: PREFILL_COLOR,
        style: "dashed",
        step: true,
        widthPx: 1.2,
      });
    }
  }
  const hindsight = ctx.result.comparison?.hindsight.replica_steps;
  let beside = "";
  if (hindsight !== undefined) {
    // The clairvoyant schedule beside the planner's (--compare-hindsight), held to the end of the time axis.
    for (const [component, steps] of Object.entries(hindsight)) {
      const last = steps[steps.length - 1];
      const points: Point[] = steps.map(([t, n]) => [t, n]);
      if (last !== undefined && last[0] < ctx.range.maxS) points.push([ctx.range.maxS, last[1]]);
      lines.push({
        name: `hindsight ${component}`,
        points,
        color: component === "decode" ? DECODE_COLOR : PREFILL_COLOR,
        style: "dotted",
        step: true,
        widthPx: 1.6,
      });
    }
    beside = " Dotted: the hindsight schedule (provisioned replicas) for the same trace and SLA.";
  }
  const events = ctx.planner.scaling_events;
  const markers = [eventMarkers(events, "scale_up"), eventMarkers(events, "scale_down")].filter(
    (m): m is NamedSeries => m !== null,
  );
  const ups = events.filter((e) => e.reason === "scale_up").length;
  const downs = events.length - ups;
  return timePanel({
    id: "replica-counts",
    title: "Replica Counts",
    subtitle: `Ready workers per component at each tick; ${ups} scale-up and ${downs} scale-down events applied, ${ctx.planner.replica_transitions} replica transitions.${beside}`,
    yAxisName: "replicas (workers)",
    lines,
    range: ctx.range,
    markers,
    yAxis: { min: 0, integer: true },
  });
}

export function requestRatePanel(ctx: ReportContext): Panel {
  return timePanel({
    id: "request-rate",
    title: "Request Rate (Observed vs Predicted)",
    subtitle:
      "Observed: requests per second over the last traffic window. Predicted (dotted): the load predictor's next-interval forecast.",
    yAxisName: "request rate (req/s)",
    lines: [
      {
        name: "observed",
        points: column(ctx.ticks, (t) => t.observed_requests_per_second),
        color: PREFILL_COLOR,
        step: true,
      },
      {
        name: "predicted",
        points: column(ctx.throughputTicks, (t) => t.predicted_requests_per_second),
        color: DECODE_COLOR,
        style: "dotted",
        connectNulls: true,
        widthPx: 2,
      },
    ],
    range: ctx.range,
    yAxis: { min: 0 },
  });
}

export function engineCapacityPanel(ctx: ReportContext): Panel {
  const lines: LineSpec[] = [];
  const prefill: Point[] = column(ctx.throughputTicks, (t) => t.engine_rps_prefill);
  const decode: Point[] = column(ctx.throughputTicks, (t) => t.engine_rps_decode);
  if (ctx.disagg) {
    lines.push({ name: "prefill engine", points: prefill, color: PREFILL_COLOR });
    lines.push({ name: "decode engine", points: decode, color: DECODE_COLOR });
  } else {
    lines.push({ name: "agg engine", points: decode, color: PREFILL_COLOR });
    lines.push({ name: "agg engine (prefill sizing)", points: prefill, color: DECODE_COLOR });
  }
  return timePanel({
    id: "engine-capacity",
    title: "Engine Capacity (req/s)",
    subtitle:
      "Requests per second one engine sustains within the SLA at the predicted load, from the perf model (throughput ticks).",
    yAxisName: "capacity per engine (req/s)",
    lines,
    range: ctx.range,
    yAxis: { min: 0 },
    noDataMessage: "no capacity estimates (throughput scaling off or not ready)",
  });
}

export function sequenceLengthsPanel(ctx: ReportContext): Panel {
  return timePanel({
    id: "sequence-lengths",
    title: "Sequence Lengths (Observed vs Predicted)",
    subtitle:
      "Mean input (ISL, left axis) and output (OSL, right axis) tokens per request; predictions dotted.",
    yAxisName: "ISL (tokens per request)",
    rightYAxisName: "OSL (tokens per request)",
    lines: [
      {
        name: "observed ISL",
        points: column(ctx.ticks, (t) => t.observed_input_sequence_tokens),
        color: PREFILL_COLOR,
        step: true,
      },
      {
        name: "predicted ISL",
        points: column(ctx.throughputTicks, (t) => t.predicted_input_sequence_tokens),
        color: PREFILL_COLOR,
        style: "dotted",
        connectNulls: true,
        widthPx: 2,
      },
      {
        name: "observed OSL",
        points: column(ctx.ticks, (t) => t.observed_output_sequence_tokens),
        color: DECODE_COLOR,
        step: true,
        rightAxis: true,
      },
      {
        name: "predicted OSL",
        points: column(ctx.throughputTicks, (t) => t.predicted_output_sequence_tokens),
        color: DECODE_COLOR,
        style: "dotted",
        connectNulls: true,
        widthPx: 2,
        rightAxis: true,
      },
    ],
    range: ctx.range,
    yAxis: { min: 0 },
  });
}
