// A checker is one file and one line in the registry: this example lives only here, registered
// beside the real ones, and is run by analyzePaired like any of them.
import { describe, expect, it } from 'vitest';
import { pairHistory } from '../../history/index.ts';
import { analyzePaired } from './analyze.ts';
import type { Checker } from './checker.ts';
import { buildCheckContext } from './context.ts';
import { LOCK_CHECKERS } from './registry.ts';
import { free, HistoryBuilder } from './testing/history-builder.ts';

/** Example: a key never read after the faults healed cannot be judged for orphaned locks. */
const everyKeyReadFinally: Checker = {
  name: 'every-key-read-finally',
  check: ({ ops }) => {
    const unread = [...new Set(ops.map((op) => op.key))].filter((key) => !ops.some((op) => op.key === key && op.final && op.outcome === 'ok'));
    return { anomalies: [], ...(unread.length ? { undecided: `no final read of ${unread.join(', ')}` } : {}) };
  },
};

function history(finalRead: boolean) {
  const h = new HistoryBuilder();
  h.acquire(1, 'k', 'A');
  h.release(1, 'k', 'A');
  if (finalRead) {
    h.invoke(2, { f: 'read', key: 'k' }, { final: true });
    h.ok(2, free());
  }
  return h.events;
}

describe('the checker registry', () => {
  it('has one checker per name', () => {
    expect(new Set(LOCK_CHECKERS.map((c) => c.name)).size).toBe(LOCK_CHECKERS.length);
  });

  it('runs a checker registered with one line, whose doubt makes a clean history unknown', () => {
    const registry = [...LOCK_CHECKERS, everyKeyReadFinally];
    const judge = (events: ReturnType<typeof history>, checkers: readonly Checker[] = registry) => analyzePaired(pairHistory(events), buildCheckContext(events), checkers);
    expect(judge(history(false), LOCK_CHECKERS).verdict).toBe('safe');
    expect(judge(history(false))).toMatchObject({ verdict: 'unknown', undecided: 'no final read of k' });
    expect(judge(history(true)).verdict).toBe('safe');
  });
});
