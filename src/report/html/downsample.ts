// Deterministic downsampling for long series: a line with more than MAX_POINTS_PER_LINE points is cut into
// equal-count buckets, and each bucket keeps its minimum and maximum points (in time order) plus its first gap,
// so spikes and breaks survive while the SVG stays small.

/** One plotted point: [x, y]; y null is a gap in the line. */
export type Point = readonly [number, number | null];

export const MAX_POINTS_PER_LINE = 2000;

/** Points per bucket kept at most: min, max and one gap marker. */
const KEPT_PER_BUCKET = 3;

export function downsampleMinMax(points: readonly Point[], maxPoints = MAX_POINTS_PER_LINE): Point[] {
  if (points.length <= maxPoints) return [...points];
  const buckets = Math.max(1, Math.floor(maxPoints / KEPT_PER_BUCKET));
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * points.length) / buckets);
    const end = Math.floor(((b + 1) * points.length) / buckets);
    let minIndex = -1;
    let maxIndex = -1;
    let gapIndex = -1;
    for (let i = start; i < end; i++) {
      const y = (points[i] as Point)[1];
      if (y === null) {
        if (gapIndex < 0) gapIndex = i;
        continue;
      }
      if (minIndex < 0 || y < ((points[minIndex] as Point)[1] as number)) minIndex = i;
      if (maxIndex < 0 || y > ((points[maxIndex] as Point)[1] as number)) maxIndex = i;
    }
    const kept = [minIndex, maxIndex, gapIndex].filter((i, k, all) => i >= 0 && all.indexOf(i) === k);
    kept.sort((a, b2) => a - b2);
    for (const i of kept) out.push(points[i] as Point);
  }
  return out;
}

/** True when some non-null point has no non-null neighbour: a line would not draw it without a symbol. */
export function hasIsolatedPoints(points: readonly Point[]): boolean {
  for (let i = 0; i < points.length; i++) {
    if ((points[i] as Point)[1] === null) continue;
    const before = i > 0 && (points[i - 1] as Point)[1] !== null;
    const after = i + 1 < points.length && (points[i + 1] as Point)[1] !== null;
    if (!before && !after) return true;
  }
  return false;
}

/** True when at least one point carries a value. */
export function hasValues(points: readonly Point[]): boolean {
  return points.some((p) => p[1] !== null);
}
