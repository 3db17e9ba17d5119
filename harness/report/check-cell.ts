// One recorded cell → its verdict: read the history (B's reader), analyse it (C's analyzeHistory,
// with the recipe's own idea of a reachable row from D), and keep what the report draws.
import { join } from 'node:path';
import { analyzeHistory } from '../../checkers/lock/analyze.ts';
import { readLockstormFile } from '../../checkers/readers/lockstorm.ts';
import { recipes } from '../../workloads/index.ts';
import type { PlannedCell } from '../config/expand.ts';
import type { HistoryEvent } from '../history/events.ts';
import type { CellReportInput } from './html.ts';
import { cellHistoryPath, failedCell, summarizeCell } from './results.ts';

export interface CheckOptions {
  /** Budget for the linearizability search per cell; past it the verdict is `unknown`. */
  timeoutMs: number;
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

export function readCellHistory(dir: string, name: string): HistoryEvent[] {
  return readLockstormFile(join(dir, cellHistoryPath(name)));
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
    return { result: summarizeCell(cell, events, analysis), events };
  } catch (err) {
    return { result: failedCell(cell, `checker failed: ${oneLine(err)}`), events };
  }
}
