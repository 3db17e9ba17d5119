import { describe, expect, it } from 'vitest';
import { recipes } from '../../workloads/index.ts';
import { findTornRows } from './torn-row.ts';
import { free, HistoryBuilder } from './testing/history-builder.ts';

const flagRecipe = recipes['lwt-ttl-plain-release']!;
const opts = { ttlSeconds: 10, rowIsReachable: (row: Parameters<typeof flagRecipe.rowIsReachable>[0]) => flagRecipe.rowIsReachable(row) };

describe('torn-row', () => {
  it('flags a row with a revision but no lock flag', () => {
    const h = new HistoryBuilder();
    const [inv, ok] = h.read(1, 'k', { state: 'free', owner: null, row: { lock: null, revision: 7 } });
    const found = findTornRows(h.events, opts);
    expect(found).toEqual([expect.objectContaining({ kind: 'torn-row', key: 'k', owners: [], witness: [inv, ok] })]);
    expect(found[0]!.explanation).toContain('"revision":7');
  });

  it('flags a torn row seen by an unapplied LWT', () => {
    const h = new HistoryBuilder();
    const inv = h.invoke(1, { f: 'acquire', key: 'k', owner: 'A' });
    const fail = h.fail(1, { state: 'held', owner: 'B', row: { lock: true, revision: null } });
    expect(findTornRows(h.events, opts).map((a) => [a.owners, a.witness])).toEqual([[['B'], [inv, fail]]]);
  });

  it('does not flag rows the recipe can produce, nor anything without the recipe’s judgement', () => {
    const h = new HistoryBuilder();
    h.read(1, 'k', free({ lock: false, revision: 3 }));
    h.read(1, 'k', free(null));
    h.read(1, 'k', { state: 'held', owner: 'p1-0', row: { lock: true, revision: 1_000_000 } });
    expect(findTornRows(h.events, opts)).toEqual([]);
    const torn = new HistoryBuilder();
    torn.read(1, 'k', free({ lock: null, revision: 7 }));
    expect(findTornRows(torn.events, { ttlSeconds: 10 })).toEqual([]);
  });
});
