import { describe, expect, it } from 'vitest';
import { lostRelease } from './lost-release.ts';
import { findWith } from './testing/run-checker.ts';
import { held, HistoryBuilder } from './testing/history-builder.ts';

const check = (h: HistoryBuilder) => findWith(lostRelease, h.events, { ttlSeconds: 0 });

describe('lost-release', () => {
  it('flags the owner still seen holding after its acknowledged release', () => {
    const h = new HistoryBuilder();
    const [aInv, aOk] = h.acquire(1, 'k', 'A');
    const [relInv, relOk] = h.release(1, 'k', 'A');
    const [rInv, rOk] = h.read(2, 'k', held('A'));
    const found = check(h);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'lost-release', key: 'k', owners: ['A'], witness: [aInv, aOk, relInv, relOk, rInv, rOk] });
  });

  it('flags it when a read had seen the unknown acquire take effect before the release', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A', 'info');
    const [sInv, sOk] = h.read(2, 'k', held('A'));
    h.release(3, 'k', 'A');
    h.read(2, 'k', held('A'));
    const found = check(h);
    expect(found).toHaveLength(1);
    expect(found[0]!.witness).toContain(sInv);
    expect(found[0]!.witness).toContain(sOk);
  });

  it('does not flag a release that timed out', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.release(1, 'k', 'A', 'info');
    h.read(2, 'k', held('A'));
    expect(check(h)).toEqual([]);
  });

  it('does not flag when the acquire’s outcome is unknown: it may land after the cleanup release', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A', 'info');
    h.release(2, 'k', 'A');
    h.read(3, 'k', held('A'));
    expect(check(h)).toEqual([]);
  });

  it('does not flag a read invoked before the release completed', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.invoke(1, { f: 'release', key: 'k', owner: 'A' });
    h.invoke(2, { f: 'read', key: 'k' });
    h.ok(1);
    h.ok(2, held('A'));
    expect(check(h)).toEqual([]);
  });
});
