// The report's inline stylesheet: light theme, system fonts, a responsive two-column panel grid that collapses
// to one column on narrow screens and in print.

import { FONT_FAMILY } from "./chart.js";

export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f6f8; color: #222; font-family: ${FONT_FAMILY}; font-size: 15px; line-height: 1.45; }
header.title-block { background: #ffffff; border-bottom: 1px solid #dde1e6; padding: 20px 28px 14px; }
header.title-block h1 { margin: 0 0 4px; font-size: 26px; font-weight: 650; }
header.title-block .run { margin: 0 0 12px; color: #555; }
header.title-block dl { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 8px 24px; margin: 0; }
header.title-block dt { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: #6b7280; }
header.title-block dd { margin: 0; font-size: 16px; font-weight: 600; }
nav.contents { padding: 10px 28px; background: #fbfbfc; border-bottom: 1px solid #e5e7eb; font-size: 13px; }
nav.contents a { color: #0b5cad; text-decoration: none; margin-right: 14px; white-space: nowrap; }
nav.contents a:hover { text-decoration: underline; }
main { padding: 18px 28px 28px; max-width: 1500px; margin: 0 auto; }
section.summary, section.config { background: #ffffff; border: 1px solid #dde1e6; border-radius: 6px; padding: 14px 18px; margin-bottom: 18px; }
section.summary h2 { margin: 0 0 10px; font-size: 18px; }
.summary-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 14px 28px; align-items: start; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; font-weight: 650; padding: 0 0 6px; color: #333; }
table.kv th { text-align: left; font-weight: 500; color: #555; padding: 3px 12px 3px 0; vertical-align: top; width: 45%; }
table.kv td { padding: 3px 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
table.kv tr + tr th, table.kv tr + tr td { border-top: 1px solid #f0f1f3; }
table.grid { margin-top: 12px; }
table.grid th, table.grid td { padding: 3px 8px; text-align: right; border-bottom: 1px solid #f0f1f3; font-variant-numeric: tabular-nums; }
table.grid th:first-child { text-align: left; }
table.grid thead th { font-weight: 600; color: #555; border-bottom: 1px solid #dde1e6; }
details summary { cursor: pointer; font-weight: 650; }
details table { margin-top: 10px; }
.panels { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px; }
section.panel { background: #ffffff; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 14px 8px; min-width: 0; break-inside: avoid; }
section.panel.wide { grid-column: 1 / -1; }
section.panel h2 { margin: 0; font-size: 16px; font-weight: 650; }
section.panel .subtitle { margin: 2px 0 6px; font-size: 13px; color: #5b6270; }
figure { margin: 0; }
svg.chart { display: block; width: 100%; height: auto; }
footer { padding: 0 28px 24px; color: #777; font-size: 12px; text-align: center; }
@media (max-width: 1100px) { .panels { grid-template-columns: minmax(0, 1fr); } }
@media print {
  body { background: #ffffff; font-size: 12px; }
  nav.contents { display: none; }
  main { padding: 0; max-width: none; }
  .panels { grid-template-columns: minmax(0, 1fr); }
  section.panel, section.summary, section.config { border-color: #bbb; break-inside: avoid; page-break-inside: avoid; }
}
`;
