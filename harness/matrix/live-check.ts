// "Anomalies so far" for the progress line: a worker thread re-checks the growing history every
// few seconds, so the clients' event loop never waits for a checker.
import { Worker } from 'node:worker_threads';

export const LIVE_CHECK_INTERVAL_MS = 10_000;

export class LiveCheck {
  /** Null until the first pass finishes. */
  anomalies: number | null = null;
  private readonly worker: Worker;

  constructor(historyPath: string, ttlSeconds: number, intervalMs = LIVE_CHECK_INTERVAL_MS) {
    this.worker = new Worker(new URL('./live-check-worker.mjs', import.meta.url), {
      workerData: { historyPath, ttlSeconds, intervalMs },
    });
    this.worker.on('message', (n: unknown) => {
      if (typeof n === 'number') this.anomalies = n;
    });
    // The live count is a courtesy: a worker that dies only leaves the count at its last value.
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
