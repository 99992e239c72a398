// The HTML report in a real browser: headless Chromium, offline. The page must load with no console message of
// level warning or error, no page error and no request beyond the file itself; every panel's SVG must be laid
// out and hold drawn data; a full-page screenshot is saved under test-artifacts/ for CI.
//
// The browser is Debian's /usr/bin/chromium when present, else the one `npm ci` installs (@sparticuz/chromium,
// see test/support/chromium-kit.ts), so a missing browser is a failure, never a skip. playwright-core is always
// given executablePath: it must never download a browser of its own.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import { headlessChromium } from "../support/chromium-kit.js";
import { expectedPanelsOf, loadReportFixture, type ReportFixtureName } from "../support/report-kit.js";

const ARTIFACTS = resolve(fileURLToPath(new URL("../..", import.meta.url)), "test-artifacts");

interface PanelProbe {
  readonly id: string;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Line series (clipped groups), scatter markers (matrix transforms) and heat cells with a visible extent. */
  readonly drawnDataElements: number;
  readonly box: { x: number; y: number; width: number; height: number };
}

let launched: Promise<BrowserContext> | undefined;
let userDataDir = "";

/**
 * The browser, started on first use inside a test (not in a hook), so a browser that cannot start fails every
 * test here instead of turning them into skips.
 */
function browser(): Promise<BrowserContext> {
  if (launched === undefined) {
    userDataDir = mkdtempSync(join(tmpdir(), "kvsim-chromium-"));
    launched = headlessChromium().then((launch) =>
      chromium.launchPersistentContext(userDataDir, {
        executablePath: launch.executablePath,
        headless: true,
        args: [...launch.args],
        env: launch.env,
        viewport: { width: 1400, height: 900 },
        offline: true,
      }),
    );
  }
  return launched;
}

afterAll(async () => {
  if (launched !== undefined) await (await launched).close();
  if (userDataDir !== "") rmSync(userDataDir, { recursive: true, force: true });
});

describe.each([
  ["disagg", "planner-report"],
  ["agg", "planner-report-agg"],
  // Workers with host and disk KV tiers: the page adds the tier-reuse bars and the onboarding-time CDF.
  ["agg-tiers", "planner-report-agg-tiers"],
] as const)("report in headless chromium (%s fixture)", (fixture: ReportFixtureName, artifact: string) => {
  it("loads cleanly, draws every panel and saves a screenshot", async () => {
    const context = await browser();
    mkdirSync(ARTIFACTS, { recursive: true });
    const htmlPath = join(ARTIFACTS, `${artifact}.html`);
    writeFileSync(htmlPath, renderPlannerReportHtml(loadReportFixture(fixture)));
    const pageUrl = pathToFileURL(htmlPath).href;

    const page = await context.newPage();
    const messages: string[] = [];
    const pageErrors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") messages.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pageUrl, { waitUntil: "load" });

    expect(messages).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([pageUrl]);
    expect(await page.title()).toContain("Planner Diagnostics Report");

    const probes: PanelProbe[] = await page.$$eval("section.panel", (sections) =>
      sections.map((section) => {
        const svg = section.querySelector("svg");
        const rect = svg?.getBoundingClientRect();
        const own = section.getBoundingClientRect();
        const candidates = svg
          ? [
              ...svg.querySelectorAll("g[clip-path] path"),
              ...svg.querySelectorAll('path[transform^="matrix"]'),
              ...svg.querySelectorAll('path[fill^="rgb("]'),
            ]
          : [];
        const drawn = candidates.filter((el) => {
          const b = (el as unknown as { getBBox(): { width: number; height: number } }).getBBox();
          return (el.getAttribute("d") ?? "").length > 4 && b.width + b.height > 0;
        });
        return {
          id: section.id,
          widthPx: rect?.width ?? 0,
          heightPx: rect?.height ?? 0,
          drawnDataElements: drawn.length,
          box: { x: own.x, y: own.y, width: own.width, height: own.height },
        };
      }),
    );

    expect(probes.map((p) => p.id)).toEqual(expectedPanelsOf(fixture).map(([id]) => id));
    for (const p of probes) {
      expect(p.widthPx, p.id).toBeGreaterThan(400);
      expect(p.heightPx, p.id).toBeGreaterThan(200);
      expect(p.drawnDataElements, p.id).toBeGreaterThan(0);
    }
    // Two columns at 1400 px, and no panel overlaps another.
    expect(new Set(probes.map((p) => Math.round(p.box.x))).size).toBe(2);
    for (let i = 0; i < probes.length; i++) {
      for (let j = i + 1; j < probes.length; j++) {
        const a = (probes[i] as PanelProbe).box;
        const b = (probes[j] as PanelProbe).box;
        const overlap =
          a.x < b.x + b.width - 1 &&
          b.x < a.x + a.width - 1 &&
          a.y < b.y + b.height - 1 &&
          b.y < a.y + a.height - 1;
        expect(overlap, `${(probes[i] as PanelProbe).id} overlaps ${(probes[j] as PanelProbe).id}`).toBe(
          false,
        );
      }
    }

    const screenshot = join(ARTIFACTS, `${artifact}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.close();
    expect(existsSync(screenshot)).toBe(true);
    console.log(`planner report screenshot (${fixture}): ${resolve(screenshot)}`);
  });
});
