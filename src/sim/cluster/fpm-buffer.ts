import type { ForwardPassMetrics } from "../../signals/forward-pass-metrics.js";
import { FPM_LAYOUT, fpmToMetrics } from "../../signals/fpm-layout.js";

/**
 * Forward-pass snapshots of one stage since the last take(), kept only when a planner consumes them (an
 * unconsumed buffer would grow without bound, docs/design.md#forward-pass-metrics).
 *
 *   rows: Float64Array, one row per pass = [workerId, counterId, ...FPM fields (FPM_LAYOUT.FIELD_COUNT)]
 */
export class FpmBuffer {
  private rows: Float64Array;
  private count: number;
  private readonly rowWidth: number;

  constructor() {
    this.rowWidth = 2 + FPM_LAYOUT.FIELD_COUNT;
    this.rows = new Float64Array(64 * this.rowWidth);
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  push(workerId: number, counterId: number, fpm: Float64Array): void {
    if ((this.count + 1) * this.rowWidth > this.rows.length) {
      const grown = new Float64Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    const base = this.count * this.rowWidth;
    this.rows[base] = workerId;
    this.rows[base + 1] = counterId;
    for (let f = 0; f < FPM_LAYOUT.FIELD_COUNT; f++) this.rows[base + 2 + f] = fpm[f] as number;
    this.count++;
  }

  /** Every snapshot since the last take, in pass order, as planner ForwardPassMetrics; empties the buffer. */
  take(): ForwardPassMetrics[] {
    const out: ForwardPassMetrics[] = [];
    for (let i = 0; i < this.count; i++) {
      const base = i * this.rowWidth;
      out.push(fpmToMetrics(this.rows, base + 2, String(this.rows[base]), this.rows[base + 1] as number));
    }
    this.count = 0;
    return out;
  }
}
