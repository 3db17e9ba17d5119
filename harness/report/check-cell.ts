// One recorded cell → its verdict: read the history, analyse it (analyzeHistory's registered
// checkers, in the context the cell's recipe and TTL give), weigh the evidence it rests on (how
// the history ended, how many operations it holds), and keep what the report draws, including
// the very linearizability search the verdict rests on. Everything comes from the history file,
// so `lockstorm run`, `report DIR` and `check DIR` judge a cell alike.
import { join } from 'node:path';
import { analyzePaired, type Analysis } from '../../checkers/lock/analyze.ts';
import type { CheckContext } from '../../checkers/lock/context.ts';
import { checkContextFor } from './check-context.ts';
import { readLockstormPaired } from '../../checkers/readers/lockstorm.ts';
import { renderLinearizationHtml } from '../../checkers/visualize/html.ts';
import type { PairedHistory } from '../../history/index.ts';
import type { PlannedCell } from '../config/expand.ts';
import { cellReportInput, type CellReportInput } from './html.ts';
import { cellHistoryPath, failedCell, summarizeCell, weighEvidence } from './results.ts';
import { guardedRecordOf } from './guarded.ts';

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

/**
 * How much of the search a report draws per cell: a window of operations around where it ended,
 * wider when the history is illegal (then it is the proof). A nightly page holds dozens of cells;
 * `lockstorm check --html HISTORY` draws one history's search at full size.
 */
const REPORT_VIEW = {
  illegal: { maxPartitions: 2, maxOps: 120 },
  ok: { maxPartitions: 1, maxOps: 30 },
  unknown: { maxPartitions: 1, maxOps: 40 },
} as const;

/**
 * Analyses and draws the search at once. The search (as large as the history) goes out of scope
 * when this returns: on a history of a million operations, keeping it while the rest of the
 * report is built would double its memory.
 */
function analyseAndDraw(title: string, paired: PairedHistory, context: CheckContext): { analysis: Omit<Analysis, 'linearizability'>; linearizabilityHtml?: string } {
  const { linearizability, ...analysis } = analyzePaired(paired, context);
  let linearizabilityHtml: string | undefined;
  try {
    linearizabilityHtml = linearizability ? renderLinearizationHtml({ title, ...linearizability, ...REPORT_VIEW[linearizability.result.verdict] }) : undefined;
  } catch {
    // The picture is an extra: a verdict without it is still complete.
  }
  return { analysis, ...(linearizabilityHtml ? { linearizabilityHtml } : {}) };
}

/**
 * Never throws for a bad or missing history: that becomes the cell's error, and the run goes on.
 * The history is paired as it is read (the events themselves are never all in memory), judged,
 * and only what the pages draw of it is kept: on a million operations the pairing alone is
 * hundreds of megabytes, and a run's report keeps every cell's input until it is written.
 */
export async function checkCell(dir: string, cell: PlannedCell, opts: CheckOptions): Promise<CellReportInput> {
  let paired: PairedHistory;
  try {
    // Events that break the pairing rules (history/pair.ts) make the history unreadable too.
    paired = readLockstormPaired(join(dir, cellHistoryPath(cell.params.name)));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no history was recorded' : `history unreadable: ${oneLine(err)}`;
    return { result: failedCell(cell, why), events: [] };
  }
  try {
    const context = checkContextFor(paired.frame, { ttlSeconds: cell.params.ttlSeconds, recipe: cell.params.recipe, timeoutMs: opts.timeoutMs });
    const { analysis, linearizabilityHtml } = analyseAndDraw(cell.params.name, paired, context);
    const guarded = guardedRecordOf(paired, context);
    const result = weighEvidence({ ...summarizeCell(cell, paired, analysis), ...(guarded ? { guarded_record: guarded } : {}) }, paired, opts);
    return { ...cellReportInput(result, paired), ...(linearizabilityHtml ? { linearizabilityHtml } : {}) };
  } catch (err) {
    return cellReportInput(failedCell(cell, `checker failed: ${oneLine(err)}`), paired);
  }
}
