import { describe, expect, it } from 'vitest';
import { ghostLock } from './ghost-lock.ts';
import { findWith } from './testing/run-checker.ts';
import { free, held, HistoryBuilder } from './testing/history-builder.ts';

/** p1-0's acquire times out; its clean-up release times out too; then others see it held. */
function incident(h: HistoryBuilder) {
  const acquire = h.acquire(1, 'k', 'p1-0', 'info');
  const cleanUp = h.release(2, 'k', 'p1-0', 'info');
  h.advance(1_000);
  const firstRead = h.read(3, 'k', held('p1-0'));
  h.advance(2_000);
  h.invoke(4, { f: 'acquire', key: 'k', owner: 'p4-0' });
  const refusedAt = h.fail(4, held('p1-0'));
  h.advance(1_500);
  const lastRead = h.read(3, 'k', held('p1-0'));
  return { acquire, cleanUp, firstRead, refusedAt, lastRead };
}

describe('ghost-lock', () => {
  it('names a lock whose errored acquire and failed clean-up leave it blocking others, and for how long', () => {
    const h = new HistoryBuilder();
    const { acquire, cleanUp, firstRead, lastRead } = incident(h);
    const found = findWith(ghostLock, h.events);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'ghost-lock', key: 'k', owners: ['p1-0'] });
    // Minimal: the acquire, the failed clean-up, and the first sighting after it.
    expect(found[0]!.witness).toEqual([...acquire, ...cleanUp, ...firstRead]);
    expect(found[0]!.explanation).toContain(`to event ${lastRead.at(-1)}`);
    // First sighting completes at +1 ms after the 1 s advance; the last 3.5 s and two events later.
    expect(found[0]!.explanation).toContain('blocked everyone for 3.5 s');
    expect(found[0]!.explanation).toContain('refusing 1 acquire');
  });

  it('a clean-up that finally succeeds ends it: not a ghost', () => {
    const h = new HistoryBuilder();
    incident(h);
    h.release(5, 'k', 'p1-0', 'ok');
    h.read(3, 'k', free());
    expect(findWith(ghostLock, h.events)).toEqual([]);
  });

  it('near misses: no clean-up sent, a clean-up refused without an error, an acknowledged acquire, nobody sees it after the clean-up', () => {
    const noCleanUp = new HistoryBuilder();
    noCleanUp.acquire(1, 'k', 'p1-0', 'info');
    noCleanUp.read(3, 'k', held('p1-0'));
    expect(findWith(ghostLock, noCleanUp.events)).toEqual([]);

    const refused = new HistoryBuilder();
    refused.acquire(1, 'k', 'p1-0', 'info');
    refused.invoke(2, { f: 'release', key: 'k', owner: 'p1-0' });
    const notApplied = refused.fail(2, free({ owner: null }));
    // An LWT release whose condition did not hold: refused, with no error.
    delete (refused.events[notApplied] as { error?: string }).error;
    refused.read(3, 'k', held('p1-0'));
    expect(findWith(ghostLock, refused.events)).toEqual([]);

    const acknowledged = new HistoryBuilder();
    acknowledged.acquire(1, 'k', 'p1-0', 'ok');
    acknowledged.release(1, 'k', 'p1-0', 'info');
    acknowledged.read(3, 'k', held('p1-0'));
    expect(findWith(ghostLock, acknowledged.events)).toEqual([]);

    const unseen = new HistoryBuilder();
    unseen.acquire(1, 'k', 'p1-0', 'info');
    unseen.read(3, 'k', held('p1-0'));
    unseen.release(2, 'k', 'p1-0', 'info');
    unseen.read(3, 'k', free());
    expect(findWith(ghostLock, unseen.events)).toEqual([]);
  });
});
