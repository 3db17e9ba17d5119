// A row that no sequence of the recipe's own operations can leave behind, e.g. `lock = null`
// with `revision` set: proof that cells of different writes were mixed. Whether a row is
// reachable is the recipe's judgement (Recipe.rowIsReachable); without it nothing is flagged.
// Only rows returned by ok reads are judged: an unapplied LWT reports just the columns of its
// condition (`DELETE … IF owner = ?` on a missing row says `owner: null`), not a whole row.

import type { Anomaly } from '../anomaly.ts';
import type { Checker } from './checker.ts';
import { eventsOf, isOkRead } from './operations.ts';

export const tornRow: Checker = {
  name: 'torn-row',
  check: ({ ops }, { rowIsReachable }) => {
    if (!rowIsReachable) return { anomalies: [] };
    const anomalies: Anomaly[] = [];
    for (const read of ops) {
      if (!isOkRead(read) || rowIsReachable(read.value.row)) continue;
      const value = read.value;
      anomalies.push({
        kind: 'torn-row',
        key: read.key,
        owners: typeof value.owner === 'string' ? [value.owner] : [],
        witness: eventsOf(read),
        explanation: `A read of lock ${read.key} (event ${read.completion}) saw the row ${JSON.stringify(value.row)}, which no sequence of the recipe's operations can produce.`,
      });
    }
    return { anomalies };
  },
};
