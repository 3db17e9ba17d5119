import { describe, expect, it } from 'vitest';
import { doubleHolder } from './double-holder.ts';
import { findWith } from './testing/run-checker.ts';
import { HistoryBuilder } from './testing/history-builder.ts';

describe('double-holder', () => {
  it('flags a second acknowledged acquire while the first owner still holds', () => {
    const h = new HistoryBuilder();
    const [aInv, aOk] = h.acquire(1, 'k', 'A');
    const [bInv, bOk] = h.acquire(2, 'k', 'B');
    const [relA] = h.release(1, 'k', 'A');
    const found = findWith(doubleHolder, h.events, { ttlSeconds: 0 });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'double-holder', key: 'k', owners: ['A', 'B'], witness: [aInv, aOk, bInv, bOk, relA] });
    expect(found[0]!.explanation).toMatch(/A and B both held lock k/);
  });

  it('flags two acquires acknowledged while running concurrently', () => {
    const h = new HistoryBuilder();
    const aInv = h.invoke(1, { f: 'acquire', key: 'k', owner: 'A' });
    const bInv = h.invoke(2, { f: 'acquire', key: 'k', owner: 'B' });
    const aOk = h.ok(1);
    const bOk = h.ok(2);
    const found = findWith(doubleHolder, h.events, { ttlSeconds: 0 });
    expect(found.map((a) => [a.owners, a.witness])).toEqual([[['A', 'B'], [aInv, bInv, aOk, bOk]]]);
  });

  it('flags an overlap shorter than the TTL minus its one-second granularity', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.advance(800);
    h.acquire(2, 'k', 'B');
    expect(findWith(doubleHolder, h.events, { ttlSeconds: 2 })).toHaveLength(1);
  });

  it('still flags an early lapse under a clock fault, and says a clock fault ran', () => {
    const h = new HistoryBuilder();
    h.nemesis('start', 'clock-skew', ['n2']);
    h.acquire(1, 'k', 'A');
    h.advance(800);
    h.acquire(2, 'k', 'B');
    const [found] = findWith(doubleHolder, h.events, { ttlSeconds: 2 });
    expect(found?.explanation).toMatch(/clock fault ran/);
  });

  it('does not flag when the TTL could have expired before the second acquire', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.advance(1_000);
    h.acquire(2, 'k', 'B');
    expect(findWith(doubleHolder, h.events, { ttlSeconds: 2 })).toEqual([]);
  });

  it('does not flag when the first owner had begun releasing before the second acquire completed', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.invoke(1, { f: 'release', key: 'k', owner: 'A' });
    h.acquire(2, 'k', 'B');
    h.info(1);
    expect(findWith(doubleHolder, h.events, { ttlSeconds: 0 })).toEqual([]);
  });

  it('does not count an acquire of unknown outcome as a holder', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A', 'info');
    h.acquire(2, 'k', 'B');
    h.acquire(3, 'k', 'C', 'fail');
    expect(findWith(doubleHolder, h.events, { ttlSeconds: 0 })).toEqual([]);
  });

  it('judges each key on its own', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k1', 'A');
    h.acquire(2, 'k2', 'B');
    expect(findWith(doubleHolder, h.events, { ttlSeconds: 0 })).toEqual([]);
  });
});
