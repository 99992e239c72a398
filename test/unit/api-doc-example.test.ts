import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURE = join(root, "test", "fixtures", "replay", "conversation-300.jsonl");

/** The first ```ts block of docs/api.md, pointed at the built entry and at a 300-request fixture trace. */
function docExample(): string {
  const doc = readFileSync(join(root, "docs", "api.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  if (block === undefined) throw new Error("docs/api.md has no ts example");
  expect(block.match(/\bfrom "[^"]+"/g)).toEqual(['from "kvsim"']);
  return block
    .replace(
      'from "kvsim"',
      `from ${JSON.stringify(pathToFileURL(join(root, "dist", "src", "index.js")).href)}`,
    )
    .replaceAll('"trace.jsonl"', JSON.stringify(FIXTURE));
}

describe("docs/api.md example", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is at most 20 lines, imports only from the entry, and runs: a replay table and a planner summary", async () => {
    const code = docExample();
    expect(code.split("\n").filter((l) => l.trim() !== "").length).toBeLessThanOrEqual(20);
    const printed: string[] = [];
    vi.spyOn(console, "log").mockImplementation((text: unknown) => {
      printed.push(String(text));
    });
    // The example is plain JavaScript apart from the import path; a data: module may import absolute file URLs.
    await import(`data:text/javascript,${encodeURIComponent(code)}`);
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain("kvsim | Replay Metrics");
    expect(printed[0]).toMatch(/Request Count \(completed\)\s+│\s+300 /);
    expect(printed[1]).toMatch(/^Planner: \d+ ticks/m);
    expect(printed[1]).toContain("SLA attainment: TTFT <= 800 ms");
  });
});
