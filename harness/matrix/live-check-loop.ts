// Runs inside the live-check worker: read what the history holds so far, analyse it with a small
// budget, post the anomaly count, sleep, repeat until terminated.
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeHistory } from '../../checkers/lock/analyze.ts';
import { parseLockstormHistory } from '../../checkers/readers/lockstorm.ts';

const { historyPath, ttlSeconds, intervalMs } = workerData as { historyPath: string; ttlSeconds: number; intervalMs: number };

/** Past this the live count would cost more than it tells; the verdict after the cell still comes. */
const MAX_LIVE_BYTES = 64 * 1024 * 1024;

for (;;) {
  await sleep(intervalMs);
  try {
    if ((await stat(historyPath)).size > MAX_LIVE_BYTES) break;
    const text = await readFile(historyPath, 'utf8');
    // The writer may be mid-line: judge only complete lines.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete === '') continue;
    const events = parseLockstormHistory(complete);
    parentPort?.postMessage(analyzeHistory(events, { ttlSeconds, timeoutMs: 1000 }).anomalies.length);
  } catch {
    // Not there yet, or caught mid-write: try again next round.
  }
}
