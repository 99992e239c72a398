// The report is one self-contained file: no scripts, no stylesheets or images fetched from anywhere, no
// http(s) link or source, no CSS @import or url() to the network; the only links are in-page anchors.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import { loadReportFixture, mutableCopy } from "../support/report-kit.js";

function offences(html: string): string[] {
  const found: string[] = [];
  const rules: [string, RegExp][] = [
    ["<script>", /<script\b/i],
    ["<link>", /<link\b/i],
    ["<iframe>/<object>/<embed>", /<(iframe|object|embed)\b/i],
    ["<img>", /<img\b/i],
    ["@import", /@import/i],
    ["http(s) src/href", /\b(src|href|xlink:href|action|poster)\s*=\s*["']?\s*(https?:)?\/\//i],
    ["url() to the network", /url\(\s*["']?\s*(https?:)?\/\//i],
    ["meta refresh", /http-equiv\s*=\s*["']?refresh/i],
  ];
  for (const [name, re] of rules) if (re.test(html)) found.push(name);
  for (const m of html.matchAll(/\b(?:src|href|xlink:href)\s*=\s*"([^"]*)"/gi)) {
    if (!(m[1] as string).startsWith("#")) found.push(`non-anchor link ${m[1]}`);
  }
  for (const m of html.matchAll(/url\(([^)]*)\)/g)) {
    if (!(m[1] as string).startsWith("#")) found.push(`url(${m[1]})`);
  }
  return found;
}

describe("self-contained report", () => {
  it.each(["agg", "disagg"] as const)("%s: nothing is loaded from outside the file", (name) => {
    const html = renderPlannerReportHtml(loadReportFixture(name));
    expect(offences(html)).toEqual([]);
    // Links exist (the contents bar) and all point inside the page.
    expect(html).toMatch(/href="#panel-replica-counts"/);
  });

  it("URLs in user-supplied strings stay inert text", () => {
    const result = mutableCopy(loadReportFixture("agg"));
    result.planner.trace_name = "https://example.com/trace.jsonl";
    result.planner.config.metric_pulling_prometheus_endpoint =
      'http://prom:9090/"><script src="http://x/y.js">';
    const html = renderPlannerReportHtml(result);
    expect(offences(html)).toEqual([]);
    expect(html).toContain(
      "<td>http://prom:9090/&quot;&gt;&lt;script src=&quot;http://x/y.js&quot;&gt;</td>",
    );
  });

  it("the checker itself flags each kind of external reference", () => {
    expect(offences('<script src="https://cdn/x.js"></script>')).toContain("<script>");
    expect(offences('<a href="http://x">x</a>')).toContain("http(s) src/href");
    expect(offences("<style>@import 'a.css';</style>")).toContain("@import");
    expect(offences('<div style="background:url(https://x/a.png)"></div>')).toContain("url() to the network");
    expect(offences('<a href="other.html">x</a>')).toContain("non-anchor link other.html");
  });
});
