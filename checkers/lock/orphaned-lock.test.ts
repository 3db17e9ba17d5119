import { describe, expect, it } from 'vitest';
import { orphanedLock } from './orphaned-lock.ts';
import { findWith } from './testing/run-checker.ts';
import { held, HistoryBuilder } from './testing/history-builder.ts';

const FINAL = { final: true };

describe('orphaned-lock', () => {
  it('flags a final read finding the key held by an owner whose acquire timed out and was cleaned up', () => {
    const h = new HistoryBuilder();
    const [aInv, aInfo] = h.acquire(1, 'k', 'A', 'info');
    const [cInv] = h.release(2, 'k', 'A');
    h.nemesis('stop', 'reply-lost');
    const [rInv, rOk] = h.read(9, 'k', held('A'), FINAL);
    const found = findWith(orphanedLock, h.events, { ttlSeconds: 0 });
    expect(found).toEqual([
      expect.objectContaining({ kind: 'orphaned-lock', key: 'k', owners: ['A'], witness: [aInv, aInfo, cInv, rInv, rOk] }),
    ]);
  });

  it('flags a released lock still held after its TTL must have expired', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.release(1, 'k', 'A');
    h.advance(4_000);
    h.read(9, 'k', held('A'), FINAL);
    expect(findWith(orphanedLock, h.events, { ttlSeconds: 2 }).map((a) => a.owners)).toEqual([['A']]);
  });

  it('does not flag a holder that never gave the lock up (the run ended while it held)', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.read(9, 'k', held('A'), FINAL);
    expect(findWith(orphanedLock, h.events, { ttlSeconds: 0 })).toEqual([]);
  });

  it('does not flag an orphan that its TTL will still free', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A', 'info');
    h.release(2, 'k', 'A');
    h.advance(60_000);
    h.read(9, 'k', held('A'), FINAL);
    // The acquire may have been written at any time after its invocation: its TTL can still be running.
    expect(findWith(orphanedLock, h.events, { ttlSeconds: 30 })).toEqual([]);
  });

  it('does not rely on the TTL deadline when the nemesis moved clocks', () => {
    const h = new HistoryBuilder();
    h.nemesis('start', 'clock-skew', ['n2']);
    h.acquire(1, 'k', 'A');
    h.release(1, 'k', 'A');
    h.nemesis('stop', 'clock-skew', ['n2']);
    h.advance(4_000);
    h.read(9, 'k', held('A'), FINAL);
    expect(findWith(orphanedLock, h.events, { ttlSeconds: 2 })).toEqual([]);
  });

  it('ignores reads that are not final', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A', 'info');
    h.read(9, 'k', held('A'));
    expect(findWith(orphanedLock, h.events, { ttlSeconds: 0 })).toEqual([]);
  });
});
