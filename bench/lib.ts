// Shared shape of benchmark results. Every figure is reported next to a baseline measured in the same run, so a
// slower or faster machine moves both and the ratio stays meaningful.

export interface BenchRow {
  /** What was measured, e.g. "JSONL parse, 1 thread". */
  readonly name: string;
  /** Unit of `value`, e.g. "MB/s", "ops/s", "req/s". */
  readonly unit: string;
  readonly value: number;
  /** The naive or reference implementation measured in the same run, if any. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** value / baseline.value (or baseline/value for "lower is better" units, stated in `note`). */
  readonly ratio?: number;
  /** The target for this figure, and whether this run met it. */
  readonly target?: { readonly text: string; readonly met: boolean };
  readonly note?: string;
}

export interface BenchSuite {
  readonly name: string;
  run(): Promise<readonly BenchRow[]>;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  if (abs >= 100) return n.toFixed(0);
  return n.toPrecision(3);
}

/** Markdown table of a suite's rows (the same table goes into README). */
export function formatRows(rows: readonly BenchRow[]): string {
  const lines = ["| benchmark | value | baseline | ratio | target |", "| --- | ---: | ---: | ---: | --- |"];
  for (const r of rows) {
    const base = r.baseline ? `${fmt(r.baseline.value)} ${r.unit} (${r.baseline.name})` : "";
    const ratio = r.ratio !== undefined ? `${r.ratio.toFixed(1)}×` : "";
    const target = r.target ? `${r.target.text} ${r.target.met ? "✓" : "✗"}` : "";
    lines.push(`| ${r.name} | ${fmt(r.value)} ${r.unit} | ${base} | ${ratio} | ${target} |`);
  }
  return lines.join("\n");
}
