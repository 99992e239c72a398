// A report panel: one <section id="panel-…"> with its heading, an optional subtitle and a chart SVG.

import { escapeHtml } from "./escape.js";

export interface Panel {
  /** Section id without the "panel-" prefix, e.g. "observed-ttft". */
  readonly id: string;
  readonly title: string;
  /** Plain text under the heading (units, attainment, notes); escaped on output. */
  readonly subtitle: string;
  /** A finished chart SVG (see chart.ts). */
  readonly svg: string;
  /** Spans both grid columns (tall heat strips). */
  readonly wide?: boolean;
}

export function panelSectionId(id: string): string {
  return `panel-${id}`;
}

export function renderPanelSection(panel: Panel): string {
  const cls = panel.wide === true ? "panel wide" : "panel";
  const subtitle = panel.subtitle === "" ? "" : `\n<p class="subtitle">${escapeHtml(panel.subtitle)}</p>`;
  return `<section id="${panelSectionId(panel.id)}" class="${cls}">\n<h2>${escapeHtml(panel.title)}</h2>${subtitle}\n<figure>${panel.svg}</figure>\n</section>`;
}
