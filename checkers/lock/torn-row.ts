// A row that no order of whole writes can leave behind, e.g. the acquire's flag beside the
// release's revision: proof that cells of different writes were mixed. Judged for every recipe
// from the writes the history records (./provenance.ts); a recipe may add a rule of its own
// (Recipe.rowIsReachable, handed in through the context), and a row either rejects is torn.
// Only rows returned by ok reads are judged: an unapplied LWT reports just the columns of its
// condition (`DELETE … IF owner = ?` on a missing row says `owner: null`), not a whole row.
// Without statement records nothing says where cells came from: the checker says it did not
// judge, rather than find nothing.

import type { Anomaly } from '../anomaly.ts';
import type { Checker } from './checker.ts';
import { eventsOf, isOkRead, witness, type OkRead } from './operations.ts';
import { judgeRow, recordedWrites, type RecordedWrite } from './provenance.ts';

export const tornRow: Checker = {
  name: 'torn-row',
  check: (history, { rowIsReachable }) => {
    const index = recordedWrites(history);
    const anomalies: Anomaly[] = [];
    let unjudged = 0;
    let firstWhy = '';
    for (const read of history.ops) {
      if (!isOkRead(read)) continue;
      if (index.recorded) {
        const j = judgeRow(read, history, index);
        if (!j.judged) {
          if (read.value.row !== null) {
            unjudged++;
            firstWhy ||= j.why;
          }
        } else if (j.torn) {
          anomalies.push(fromProvenance(read, j.sources));
          continue;
        }
      }
      if (rowIsReachable && !rowIsReachable(read.value.row)) anomalies.push(fromRule(read));
    }
    const notJudged = !index.recorded
      ? `torn-row: no statement records${rowIsReachable ? " (rows judged by the recipe's own rule only)" : ''}`
      : unjudged > 0
        ? `torn-row: ${unjudged} row${unjudged === 1 ? '' : 's'} not judged (first: ${firstWhy})`
        : undefined;
    return { anomalies, ...(notJudged ? { notJudged } : {}) };
  },
};

function describeWrite(w: RecordedWrite): string {
  const what = w.op.f === 'read' ? 'a read' : `the ${w.op.f} of ${w.op.owner}`;
  return `${what} (event ${w.op.completion ?? w.op.invoke})`;
}

function fromProvenance(read: OkRead, sources: Array<{ column: string; write: RecordedWrite }>): Anomaly {
  const writes = [...new Set(sources.map((s) => s.write))];
  const owners = [...new Set(writes.flatMap((w) => (w.op.owner === undefined ? [] : [w.op.owner])))];
  const cells = sources.map((s) => `${s.column} = ${JSON.stringify(s.write.cells.get(s.column))} from ${describeWrite(s.write)}`).join(', ');
  return {
    kind: 'torn-row',
    key: read.key,
    owners,
    witness: witness(eventsOf(read), ...writes.map((w) => eventsOf(w.op))),
    explanation: `A read of lock ${read.key} (event ${read.completion}) saw the row ${JSON.stringify(read.value.row)}, whose cells came from different writes that no order of whole writes leaves together: ${cells}.`,
  };
}

function fromRule(read: OkRead): Anomaly {
  const value = read.value;
  return {
    kind: 'torn-row',
    key: read.key,
    owners: typeof value.owner === 'string' ? [value.owner] : [],
    witness: eventsOf(read),
    explanation: `A read of lock ${read.key} (event ${read.completion}) saw the row ${JSON.stringify(value.row)}, which no sequence of the recipe's operations can produce.`,
  };
}
