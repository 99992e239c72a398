// Hostile YAML config files for the config-parsing tests.

/** Levels of lists, each holding `width` aliases of the level below: width^levels "lol" strings in all. */
export function billionLaughs(levels = 9, width = 9): string {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`];
  for (let k = 1; k < levels; k++)
    lines.push(
      `l${k}: &l${k} [${Array(width)
        .fill(`*l${k - 1}`)
        .join(", ")}]`,
    );
  return `${lines.join("\n")}\n`;
}
