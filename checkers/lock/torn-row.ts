// A row that no sequence of the recipe's own operations can leave behind, e.g. `lock = null`
// with `revision` set: proof that cells of different writes were mixed. Whether a row is
// reachable is the recipe's judgement (Recipe.rowIsReachable); without it nothing is flagged.
// Only rows returned by ok reads are judged: an unapplied LWT reports just the columns of its
// condition (`DELETE … IF owner = ?` on a missing row says `owner: null`), not a whole row.

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
    if (e.type !== 'ok' || e.f !== 'read' || rowIsReachable(e.value.row)) continue;
    const value = e.value;
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
