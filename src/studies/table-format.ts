// Study tables as GitHub markdown (docs) and as aligned plain text (the console), from cells formatted once,
// so both forms show the same digits.

export interface TableColumn {
  readonly header: string;
  /** Numbers align right, names left. */
  readonly numeric: boolean;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function escapeMarkdownCell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/** GitHub markdown table (numbers right-aligned). */
export function tableMarkdown(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string {
  const lines = [
    `| ${columns.map((c) => c.header).join(" | ")} |`,
    `|${columns.map((c) => (c.numeric ? "---:" : "---")).join("|")}|`,
  ];
  for (const row of rows) lines.push(`| ${row.map(escapeMarkdownCell).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

/** Aligned plain text: a header, a rule, one line per row; columns two spaces apart. */
export function tableText(columns: readonly TableColumn[], body: readonly (readonly string[])[]): string {
  const rows = [columns.map((c) => c.header), ...body];
  const widths = columns.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((text, k) => {
        const width = widths[k] as number;
        return (columns[k] as TableColumn).numeric ? text.padStart(width) : text.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return `${[line(rows[0] as string[]), rule, ...body.map(line)].join("\n")}\n`;
}
