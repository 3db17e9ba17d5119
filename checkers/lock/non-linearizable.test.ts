import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../history/index.ts';
import type { CheckContextOptions } from './context.ts';
import { nonLinearizable } from './non-linearizable.ts';
import { runChecker } from './testing/run-checker.ts';

function findNonLinearizable(events: readonly HistoryEvent[], opts: CheckContextOptions) {
  const r = runChecker(nonLinearizable, events, opts);
  return { search: r.picture!.result.verdict, anomalies: r.anomalies };
}
import { free, held, HistoryBuilder } from './testing/history-builder.ts';

describe('non-linearizable', () => {
  it('flags a read that sees the key free while an owner certainly holds it', () => {
    const h = new HistoryBuilder();
    const [aInv, aOk] = h.acquire(1, 'k', 'A');
    const [rInv, rOk] = h.read(2, 'k', free());
    h.release(1, 'k', 'A');
    const found = findNonLinearizable(h.events, { ttlSeconds: 0 });
    expect(found.search).toBe('illegal');
    expect(found.anomalies).toHaveLength(1);
    const [a] = found.anomalies;
    expect(a).toMatchObject({ kind: 'non-linearizable', key: 'k' });
    expect(a!.witness).toEqual(expect.arrayContaining([aInv, aOk, rInv, rOk]));
    expect(a!.owners).toContain('A');
  });

  it('flags it with a TTL that cannot have lapsed yet, even allowing its one-second granularity', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.advance(800);
    h.read(2, 'k', free());
    h.release(1, 'k', 'A');
    expect(findNonLinearizable(h.events, { ttlSeconds: 2 }).search).toBe('illegal');
  });

  it('does not flag the same read once the TTL, less its one-second granularity, has passed', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.advance(1_000);
    h.read(2, 'k', free());
    h.release(1, 'k', 'A');
    expect(findNonLinearizable(h.events, { ttlSeconds: 2 })).toEqual({ search: 'ok', anomalies: [] });
  });

  it('accepts an acquire of unknown outcome that lands after its cleanup', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A', 'info');
    h.release(2, 'k', 'A');
    h.read(3, 'k', free());
    h.read(3, 'k', held('A'));
    expect(findNonLinearizable(h.events, { ttlSeconds: 0 }).search).toBe('ok');
  });
});
