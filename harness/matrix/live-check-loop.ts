// Runs inside the live-check worker: read what the history holds so far, analyse it with every
// registered checker in the context the verdict uses (the meta line's recipe gives the row rule)
// but a small search budget, post the anomaly count, sleep, repeat until terminated.
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzePaired } from '../../checkers/lock/analyze.ts';
import { checkContextFor } from '../report/check-context.ts';
import { parseLockstormHistory } from '../../checkers/readers/lockstorm.ts';
import { pairHistory } from '../../history/index.ts';

const { historyPath, ttlSeconds, intervalMs } = workerData as { historyPath: string; ttlSeconds: number; intervalMs: number };

/** The linearizability search's budget per pass: a count now beats a complete one later. */
const LIVE_BUDGET_MS = 1000;

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
    const context = checkContextFor(events, { ttlSeconds, timeoutMs: LIVE_BUDGET_MS });
    parentPort?.postMessage(analyzePaired(pairHistory(events), context).anomalies.length);
  } catch {
    // Not there yet, or caught mid-write: try again next round.
  }
}
