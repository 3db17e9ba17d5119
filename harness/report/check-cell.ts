// One recorded cell → its verdict: read the history, analyse it (analyzeHistory, with the recipe's
// own idea of a reachable row), weigh the evidence it rests on (how the history ended, how many
// operations it holds), and keep what the report draws. Everything comes from the history file,
// so `lockstorm run`, `report DIR` and `check DIR` judge a cell alike.
import { join } from 'node:path';
import { analyzeHistory } from '../../checkers/lock/analyze.ts';
import { TTL_GRANULARITY_NS } from '../../checkers/lock/ttl.ts';
import { checkOperations } from '../../checkers/linearizability/check.ts';
import { lockModelFor, lockOperations, readLockstormFile } from '../../checkers/readers/lockstorm.ts';
import { renderLinearizationHtml } from '../../checkers/visualize/html.ts';
import { recipes } from '../../workloads/index.ts';
import type { PlannedCell } from '../config/expand.ts';
import type { HistoryEvent } from '../history/events.ts';
import type { CellReportInput } from './html.ts';
import { cellHistoryPath, failedCell, summarizeCell, weighEvidence } from './results.ts';

/** The drawing re-runs the search; it gets a smaller budget than the verdict did. */
const VIEW_BUDGET_MS = 10_000;

export interface CheckOptions {
  /** Budget for the linearizability search per cell; past it the verdict is `unknown`. */
  timeoutMs: number;
  /** Fewest completed workload operations before the verdict may be `safe` (config `min_ops`). */
  minOps: number;
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

export function readCellHistory(dir: string, name: string): HistoryEvent[] {
  return readLockstormFile(join(dir, cellHistoryPath(name)));
}

/** The lock model's search drawn by B's renderer: the linearization found, or where it got stuck. */
function linearizabilityView(title: string, events: HistoryEvent[], ttlSeconds: number, timeoutMs: number): string {
  const read = lockOperations(events, { ttlSeconds });
  // The same TTL allowance as the non-linearizable checker, so the picture matches its verdict.
  const lock = { ...read, ttl: ttlSeconds > 0 ? ttlSeconds * 1e9 - TTL_GRANULARITY_NS : Infinity };
  const model = lockModelFor(lock);
  const result = checkOperations(model, lock.ops, { timeoutMs });
  return renderLinearizationHtml({ title, model, ops: lock.ops, result, maxPartitions: 2 });
}

/** Never throws for a bad or missing history: that becomes the cell's error, and the run goes on. */
export async function checkCell(dir: string, cell: PlannedCell, opts: CheckOptions): Promise<CellReportInput> {
  let events: HistoryEvent[];
  try {
    events = readCellHistory(dir, cell.params.name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no history was recorded' : `history unreadable: ${oneLine(err)}`;
    return { result: failedCell(cell, why), events: [] };
  }
  try {
    const recipe = recipes[cell.params.recipe];
    const analysis = analyzeHistory(events, {
      ttlSeconds: cell.params.ttlSeconds,
      ...(recipe ? { rowIsReachable: (row: Parameters<typeof recipe.rowIsReachable>[0]) => recipe.rowIsReachable(row) } : {}),
      timeoutMs: opts.timeoutMs,
    });
    const result = weighEvidence(summarizeCell(cell, events, analysis), events, opts);
    let linearizabilityHtml: string | undefined;
    try {
      linearizabilityHtml = linearizabilityView(cell.params.name, events, cell.params.ttlSeconds, Math.min(opts.timeoutMs, VIEW_BUDGET_MS));
    } catch {
      // The picture is an extra: a verdict without it is still complete.
    }
    return { result, events, ...(linearizabilityHtml ? { linearizabilityHtml } : {}) };
  } catch (err) {
    return { result: failedCell(cell, `checker failed: ${oneLine(err)}`), events };
  }
}
