import { describe, expect, it } from 'vitest';
import { recipes } from '../../workloads/index.ts';
import { tornRow } from './torn-row.ts';
import { findWith } from './testing/run-checker.ts';
import { free, HistoryBuilder } from './testing/history-builder.ts';

const flagRecipe = recipes['lwt-ttl-plain-release']!;
const opts = { ttlSeconds: 10, rowIsReachable: (row: Parameters<typeof flagRecipe.rowIsReachable>[0]) => flagRecipe.rowIsReachable(row) };

describe('torn-row', () => {
  it('flags a row with a revision but no lock flag', () => {
    const h = new HistoryBuilder();
    const [inv, ok] = h.read(1, 'k', { state: 'free', owner: null, row: { lock: null, revision: 7 } });
    const found = findWith(tornRow, h.events, opts);
    expect(found).toEqual([expect.objectContaining({ kind: 'torn-row', key: 'k', owners: [], witness: [inv, ok] })]);
    expect(found[0]!.explanation).toContain('"revision":7');
  });

  it('does not judge the partial row an unapplied LWT reports (only its condition’s columns)', () => {
    const h = new HistoryBuilder();
    h.invoke(1, { f: 'release', key: 'k', owner: 'A' });
    h.fail(1, { state: 'free', owner: null, row: { owner: null } });
    h.invoke(1, { f: 'acquire', key: 'k', owner: 'B' });
    h.fail(1, { state: 'held', owner: null, row: { lock: true } });
    expect(findWith(tornRow, h.events, opts)).toEqual([]);
    expect(findWith(tornRow, h.events, { ttlSeconds: 0, rowIsReachable: recipes['lwt']!.rowIsReachable })).toEqual([]);
  });

  it('does not flag rows the recipe can produce, nor anything without the recipe’s judgement', () => {
    const h = new HistoryBuilder();
    h.read(1, 'k', free({ lock: false, revision: 3 }));
    h.read(1, 'k', free(null));
    h.read(1, 'k', { state: 'held', owner: 'p1-0', row: { lock: true, revision: 1_000_000 } });
    expect(findWith(tornRow, h.events, opts)).toEqual([]);
    const torn = new HistoryBuilder();
    torn.read(1, 'k', free({ lock: null, revision: 7 }));
    expect(findWith(tornRow, torn.events, { ttlSeconds: 10 })).toEqual([]);
  });
});
