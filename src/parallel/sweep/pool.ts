import { Piscina } from "piscina";
import { requireFields } from "../../util/options.js";
import { distModulePath } from "../../util/package-root.js";
import {
  type PongReply,
  type RunPointTask,
  type SweepReply,
  SweepReplyTag,
  type SweepTask,
  SweepTaskTag,
  type SweepWorkerData,
} from "./protocol.js";
import type { SharedTrace } from "./shared-trace.js";

/**
 * The sweep's thread pool: a fixed number of piscina threads started once and kept warm for the whole sweep
 * (a thread starts in ~0.1–0.2 s; a point runs for much longer). The traces and progress counters are shared
 * memory given to each thread at start; tasks carry only a point's settings.
 */
export interface SweepPoolOptions {
  readonly threads: number;
  readonly traces: readonly SharedTrace[];
  /** Int32Array over a SharedArrayBuffer, one slot per point of this run. */
  readonly progress: Int32Array;
}

export class SweepPool {
  readonly threads: number;
  private readonly piscina: Piscina<SweepTask, SweepReply>;
  private destroying: Promise<void> | null;

  constructor(options: SweepPoolOptions) {
    requireFields(options, ["threads", "traces", "progress"], "SweepPool");
    if (!(options.progress.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError("SweepPool: progress counters must live in a SharedArrayBuffer");
    }
    this.threads = Math.max(1, Math.floor(options.threads));
    const workerData: SweepWorkerData = { traces: options.traces, progress: options.progress };
    this.piscina = new Piscina<SweepTask, SweepReply>({
      filename: distModulePath("parallel/sweep/worker.js"),
      minThreads: this.threads,
      maxThreads: this.threads,
      // Warm for the whole sweep: never retire an idle thread between points.
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData,
    });
    this.destroying = null;
  }

  /** Runs one point; resolves with its reply (done or failed), rejects if the thread dies. */
  runPoint(task: RunPointTask): Promise<SweepReply> {
    return this.piscina.run(task);
  }

  /** An empty round trip (pool overhead). */
  async ping(): Promise<PongReply> {
    const reply = await this.piscina.run({ tag: SweepTaskTag.Ping });
    if (reply.tag !== SweepReplyTag.Pong) throw new Error("sweep pool: unexpected reply to a ping");
    return reply;
  }

  /** Threads currently alive (piscina replaces a thread that died). */
  get threadCount(): number {
    return this.piscina.threads.length;
  }

  /** Terminates every thread; pending and running tasks reject. Every call waits for the same teardown. */
  destroy(): Promise<void> {
    this.destroying ??= this.piscina.destroy();
    return this.destroying;
  }
}
