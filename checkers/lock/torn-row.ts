// A row that no sequence of the recipe's own operations can leave behind, e.g. `lock = null`
// with `revision` set: proof that cells of different writes were mixed. Whether a row is
// reachable is the recipe's judgement (Recipe.rowIsReachable); without it nothing is flagged.
// Rows seen by ok reads and by unapplied LWTs (a fail that reports what it saw) both count.

import type { Anomaly } from '../anomaly.ts';
import type { LockChecker } from './checker.ts';

export const findTornRows: LockChecker = (events, { rowIsReachable }) => {
  if (!rowIsReachable) return [];
  const anomalies: Anomaly[] = [];
  const invokedBy = new Map<number, number>();
  for (const e of events) {
    if (e.type === 'invoke') {
      invokedBy.set(e.process, e.index);
      continue;
    }
    if (e.type !== 'ok' && e.type !== 'fail' && e.type !== 'info') continue;
    const invoke = invokedBy.get(e.process);
    invokedBy.delete(e.process);
    if (e.type === 'info') continue;
    const value = e.type === 'ok' ? (e.f === 'read' ? e.value : undefined) : e.value;
    if (!value || rowIsReachable(value.row)) continue;
    anomalies.push({
      kind: 'torn-row',
      key: e.key,
      owners: typeof value.owner === 'string' ? [value.owner] : [],
      witness: invoke === undefined ? [e.index] : [invoke, e.index],
      explanation: `A ${e.f} of lock ${e.key} (event ${e.index}) saw the row ${JSON.stringify(value.row)}, which no sequence of the recipe's operations can produce.`,
    });
  }
  return anomalies;
};
