// Every string from the result (trace name, config keys and values, decision reasons, worker ids) is escaped
// wherever it lands: page title, title block, summary, configuration table and the chart SVGs.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import { loadReportFixture, mutableCopy, sectionHtml, svgTexts } from "../support/report-kit.js";

const HOSTILE_TRACE = `<script>alert("x")</script> & 'q'.jsonl`;
const ESCAPED_TRACE = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;.jsonl";
const HOSTILE_REASON = "<img src=x onerror=alert(1)>";
const HOSTILE_WORKER = 'w<1>"';

function hostileResult() {
  const result = mutableCopy(loadReportFixture("disagg"));
  result.planner.trace_name = HOSTILE_TRACE;
  result.planner.config.load_predictor = "<b>holt</b>";
  result.planner.config["<u>key</u>"] = { nested: "</td><td>" };
  const tick = result.planner.diagnostics[10];
  if (tick === undefined) throw new Error("fixture too short");
  tick.load_decision_reason_prefill = HOSTILE_REASON as never;
  const engine = result.planner.diagnostics.find((t) => t.prefill_engines.length > 0)?.prefill_engines[0];
  if (engine === undefined) throw new Error("fixture has no prefill engine metrics");
  engine.worker_id = HOSTILE_WORKER;
  return result;
}

describe("HTML escaping", () => {
  const html = renderPlannerReportHtml(hostileResult());

  it("never emits the injected markup", () => {
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<u>");
    expect(html).not.toContain('"nested":"</td><td>"');
    expect(html).not.toContain('w<1>"');
  });

  it("shows the trace name escaped in the page title, the title block and the summary", () => {
    expect(html).toContain(`<title>Planner Diagnostics Report — ${ESCAPED_TRACE}</title>`);
    expect(html).toContain(
      `<p class="run">Trace ${ESCAPED_TRACE} · disagg · predictor &lt;b&gt;holt&lt;/b&gt;</p>`,
    );
    expect(html).toContain(`<tr><th scope="row">Trace</th><td>${ESCAPED_TRACE}</td></tr>`);
  });

  it("escapes config keys and values in the configuration table", () => {
    expect(html).toContain(
      '<tr><th scope="row">&lt;u&gt;key&lt;/u&gt;</th><td>{&quot;nested&quot;:&quot;&lt;/td&gt;&lt;td&gt;&quot;}</td></tr>',
    );
    expect(html).toContain('<tr><th scope="row">Load predictor</th><td>&lt;b&gt;holt&lt;/b&gt;</td></tr>');
  });

  it("keeps unknown reasons and worker ids as text inside the SVGs", () => {
    const decisions = svgTexts(sectionHtml(html, "panel-load-decisions")).map((t) => t.text);
    expect(decisions).toContain(`${HOSTILE_REASON} (1)`);
    const engines = svgTexts(sectionHtml(html, "panel-prefill-engine-load")).map((t) => t.text);
    expect(engines).toContain(`${HOSTILE_WORKER}:dp0`);
  });
});
