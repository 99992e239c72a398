// `npm run bench [-- suite...]`: runs every suite in bench/suites (or the named ones), prints a markdown table per
// suite and writes bench/results/<suite>.json with the rows and the machine they ran on.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BenchSuite, formatRows } from "./lib.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const suitesDir = join(here, "suites");
const resultsDir = join(here, "..", "..", "bench", "results");

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = readdirSync(suitesDir)
    .filter((f) => f.endsWith(".bench.js"))
    .sort();
  mkdirSync(resultsDir, { recursive: true });
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(suitesDir, file)).href)) as { suite: BenchSuite };
    const suite = mod.suite;
    if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
    process.stdout.write(`\n## ${suite.name}\n\n`);
    const rows = await suite.run();
    process.stdout.write(`${formatRows(rows)}\n`);
    const result = {
      suite: suite.name,
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      totalMemGiB: Math.round(totalmem() / 2 ** 30),
      rows,
    };
    writeFileSync(join(resultsDir, `${suite.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  }
}

await main();
