import { readSync } from "node:fs";

/**
 * Splits a file into `parts` byte ranges that each end just after a newline (the last ends at EOF), so no
 * line is cut and every range's line numbers can be counted locally. Cut points start at equal fractions of
 * the size and move forward to the next newline; ranges may come out empty (a huge line), never overlapping.
 */
export function planLineRanges(fd: number, size: number, parts: number): { start: number; end: number }[] {
  const cuts: number[] = [0];
  const probe = new Uint8Array(64 << 10);
  for (let k = 1; k < parts; k++) {
    const target = Math.max(Math.floor((size * k) / parts), cuts[cuts.length - 1] as number);
    cuts.push(nextLineStart(fd, size, target, probe));
  }
  cuts.push(size);
  const ranges: { start: number; end: number }[] = [];
  for (let k = 0; k < parts; k++) ranges.push({ start: cuts[k] as number, end: cuts[k + 1] as number });
  return ranges;
}

/** The offset just after the first newline at or after `from` (`size` if none). */
function nextLineStart(fd: number, size: number, from: number, probe: Uint8Array): number {
  if (from === 0) return 0;
  // A cut exactly at a line start is fine: look from the byte before it.
  let pos = from - 1;
  while (pos < size) {
    const got = readSync(fd, probe, 0, Math.min(probe.length, size - pos), pos);
    if (got === 0) break;
    const nl = probe.subarray(0, got).indexOf(0x0a);
    if (nl >= 0) return pos + nl + 1;
    pos += got;
  }
  return size;
}
