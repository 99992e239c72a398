// `_MovingAverage` (docs/planner.md#regression-models): fixed-window arithmetic mean that ignores leading
// zeros until the first non-zero value (so an idle engine's heartbeats do not drag the average toward 0
// before any work is seen).
//
// Layout: ring buffer `values` of `capacity` slots; `head` is the next write slot; `count` ≤ capacity.
// The mean sums oldest → newest on demand (reads are rare; no drift from a running sum).

export class MovingAverage {
  readonly capacity: number;
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;
  private seenNonZero = false;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`window must be an integer ≥ 1, got ${capacity}`);
    this.capacity = capacity;
    this.values = new Float64Array(capacity);
  }

  add(value: number): void {
    if (!this.seenNonZero) {
      if (value === 0) return;
      this.seenNonZero = true;
    }
    this.values[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** Mean of the window, 0 when empty. */
  get value(): number {
    if (this.count === 0) return 0;
    let sum = 0;
    const start = (this.head - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) sum += this.values[(start + i) % this.capacity]!;
    return sum / this.count;
  }
}
