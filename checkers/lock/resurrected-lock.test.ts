import { describe, expect, it } from 'vitest';
import { resurrectedLock } from './resurrected-lock.ts';
import { findWith } from './testing/run-checker.ts';
import { free, held, heldByUnknown, HistoryBuilder } from './testing/history-builder.ts';

const check = (h: HistoryBuilder, ttlSeconds = 0) => findWith(resurrectedLock, h.events, { ttlSeconds });

describe('resurrected-lock', () => {
  it('flags a holder seen again after a free read when its acquire completed before that read', () => {
    const h = new HistoryBuilder();
    const [aInv, aOk] = h.acquire(1, 'k', 'A');
    const [fInv, fOk] = h.read(2, 'k', free());
    const [rInv, rOk] = h.read(2, 'k', held('A'));
    const found = check(h);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'resurrected-lock', key: 'k', owners: ['A'], witness: [aInv, aOk, fInv, fOk, rInv, rOk] });
  });

  it('flags a holder that never acquired, after an acknowledged release by the certain holder', () => {
    const h = new HistoryBuilder();
    const [aInv, aOk] = h.acquire(1, 'k', 'A');
    const [relInv, relOk] = h.release(1, 'k', 'A');
    const [rInv, rOk] = h.read(2, 'k', held('C'));
    const found = check(h);
    expect(found.map((a) => [a.owners, a.witness])).toEqual([[['C', 'A'], [aInv, aOk, relInv, relOk, rInv, rOk]]]);
  });

  it('flags an acquire of unknown outcome that a read had already seen take effect before the key read free', () => {
    const h = new HistoryBuilder();
    const [aInv, aInfo] = h.acquire(1, 'k', 'A', 'info');
    const [sInv, sOk] = h.read(2, 'k', held('A'));
    h.release(3, 'k', 'A');
    const [fInv, fOk] = h.read(2, 'k', free());
    const [rInv, rOk] = h.read(2, 'k', held('A'));
    const found = check(h);
    expect(found).toHaveLength(1);
    expect(found[0]!.witness).toEqual([aInv, aInfo, sInv, sOk, fInv, fOk, rInv, rOk]);
  });

  it('flags a row without owner column held after freedom with no acquire in between', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.release(1, 'k', 'A');
    const [fInv, fOk] = h.read(2, 'k', free({ lock: false, revision: 1 }));
    const [rInv, rOk] = h.read(2, 'k', heldByUnknown({ lock: true, revision: 1 }));
    const found = check(h);
    expect(found.map((a) => [a.owners, a.witness])).toEqual([[[], [fInv, fOk, rInv, rOk]]]);
  });

  it('does not flag a holder whose acquire had an unknown outcome: it may land after the cleanup', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A', 'info');
    h.release(2, 'k', 'A');
    h.read(3, 'k', free());
    h.read(3, 'k', held('A'));
    expect(check(h)).toEqual([]);
  });

  it('does not flag an acquire that ran concurrently with the free read', () => {
    const h = new HistoryBuilder();
    h.invoke(2, { f: 'read', key: 'k' });
    h.invoke(1, { f: 'acquire', key: 'k', owner: 'B' });
    h.ok(2, free());
    h.ok(1);
    h.read(2, 'k', held('B'));
    expect(check(h)).toEqual([]);
  });

  it('does not flag a read that overlaps the free read', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.invoke(2, { f: 'read', key: 'k' });
    h.invoke(3, { f: 'read', key: 'k' });
    h.ok(2, free());
    h.ok(3, held('A'));
    expect(check(h)).toEqual([]);
  });

  it('does not take a release as proof of freedom when its owner’s TTL could have lapsed first', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.advance(1_200);
    h.acquire(2, 'k', 'B');
    h.release(1, 'k', 'A');
    h.read(3, 'k', held('B'));
    expect(check(h, 2)).toEqual([]);
    // Without the TTL the same release is proof, and owner B's hold is flagged.
    expect(check(h, 0).map((a) => a.owners)).toEqual([['B', 'A']]);
  });
});
