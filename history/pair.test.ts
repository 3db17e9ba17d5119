import { describe, expect, it } from 'vitest';
import { HistoryError } from './error.ts';
import { pairHistory } from './pair.ts';
import type { HistoryEvent } from './schema.ts';

const meta: HistoryEvent = { type: 'meta', index: 0, time: 0, recipe: 'lwt', params: { ttlSeconds: 0 } };

/** Events numbered in order, one millisecond apart, after the meta line. */
function history(...events: Record<string, unknown>[]): HistoryEvent[] {
  return [meta, ...events.map((e, i) => ({ index: i + 1, time: (i + 1) * 1e6, ...e }) as HistoryEvent)];
}

function errorOf(run: () => unknown): HistoryError {
  try {
    run();
  } catch (e) {
    if (e instanceof HistoryError) return e;
    throw e;
  }
  throw new Error('expected a HistoryError');
}

describe('pairHistory', () => {
  it('pairs each invocation with its process’s completion, keeping what the checkers and the report read', () => {
    const { ops } = pairHistory(
      history(
        { type: 'invoke', process: 1, node: 'n1', f: 'acquire', key: 'k', owner: 'A' },
        { type: 'invoke', process: 2, f: 'read', key: 'k' },
        { type: 'nemesis', phase: 'start', fault: 'partition', targets: ['n2'] },
        { type: 'ok', process: 2, f: 'read', key: 'k', value: { state: 'free', owner: null, row: null } },
        { type: 'fail', process: 1, f: 'acquire', key: 'k', owner: 'A', error: 'rejected', cl: 'SERIAL/QUORUM' },
        { type: 'end', status: 'complete' },
      ),
    );
    expect(ops.map((o) => [o.f, o.process, o.outcome, o.invoke, o.completion, o.node, o.error])).toEqual([
      ['acquire', 1, 'fail', 1, 5, 'n1', 'rejected'],
      ['read', 2, 'ok', 2, 4, undefined, undefined],
    ]);
    expect(ops[1]!.value).toEqual({ state: 'free', owner: null, row: null });
    expect([ops[0]!.invokedAt, ops[0]!.completedAt, ops[0]!.completeTime]).toEqual([1, 5, 5e6]);
  });

  it('makes an invocation never completed info, open to the end of time', () => {
    const [op] = pairHistory(history({ type: 'invoke', process: 1, f: 'release', key: 'k', owner: 'A' })).ops;
    expect(op).toMatchObject({ outcome: 'info', completion: null, completedAt: Infinity, completeTime: Infinity });
  });

  it('refuses a completion with no pending invocation, or of another operation, naming the line', () => {
    const orphan = errorOf(() => pairHistory(history({ type: 'ok', process: 3, f: 'acquire', key: 'k', owner: 'A' })));
    expect([orphan.line, orphan.problem]).toEqual([2, 'process 3 completes acquire without a pending invocation']);
    const other = errorOf(() =>
      pairHistory(history({ type: 'invoke', process: 1, f: 'acquire', key: 'k', owner: 'A' }, { type: 'ok', process: 1, f: 'acquire', key: 'j', owner: 'A' })),
    );
    expect([other.line, other.problem]).toEqual([3, 'process 1 completes acquire j but invoked acquire k']);
    const twice = errorOf(() => pairHistory(history({ type: 'invoke', process: 1, f: 'read', key: 'k' }, { type: 'invoke', process: 1, f: 'read', key: 'k' })));
    expect([twice.line, twice.problem]).toEqual([3, 'process 1 invokes while its previous operation is pending']);
  });

  it('orders by time, then index, when the events are not in that order', () => {
    const events = history({ type: 'invoke', process: 1, f: 'read', key: 'k' }, { type: 'invoke', process: 2, f: 'read', key: 'k' });
    events[1] = { ...events[1]!, time: 5e6 } as HistoryEvent;
    const { ops } = pairHistory(events);
    expect(ops.map((o) => [o.process, o.invokedAt])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('stands for the whole history: its frame, its guarded operations, its latest time, and what is read off completions', () => {
    const statements = [{ kind: 'cas', cql: 'UPDATE t SET owner = ? WHERE id = ? IF owner = null', params: ['B', 'k'], cl: 'QUORUM', timestamp: null, ttl: null, outcome: 'not-applied' }];
    const events = history(
      { type: 'invoke', process: 1, f: 'acquire', key: 'k', owner: 'B' },
      { type: 'nemesis', phase: 'start', fault: 'partition', targets: ['n2'] },
      { type: 'fail', process: 1, f: 'acquire', key: 'k', owner: 'B', value: { state: 'held', owner: 'A', row: { owner: 'A' } }, statements },
      { type: 'invoke', process: 2, f: 'guarded-read', key: 'k', owner: 'A' },
      { type: 'info', process: 2, f: 'guarded-read', key: 'k', owner: 'A', error: 'client protocol: no reply within 1 s' },
      { type: 'invoke', process: 3, f: 'release', key: 'k', owner: 'B' },
      { type: 'fail', process: 3, f: 'release', key: 'k', owner: 'B', value: { state: 'free', owner: null, row: null } },
      { type: 'end', status: 'complete' },
    );
    const paired = pairHistory(events);
    expect(paired.frame.map((e) => e.type)).toEqual(['meta', 'nemesis', 'end']);
    expect(paired.lastTime).toBe(8e6);
    expect(paired.ops.map((o) => [o.f, o.refusedBy, o.statements])).toEqual([
      ['acquire', 'A', statements],
      ['release', undefined, undefined],
    ]);
    expect(paired.guarded).toMatchObject([{ f: 'guarded-read', outcome: 'info', invoke: 4, completion: 5, error: 'client protocol: no reply within 1 s' }]);
  });

  it('reports a broken lock operation before a broken guarded one, wherever each is', () => {
    const guardedFirst = history(
      { type: 'ok', process: 2, f: 'guarded-read', key: 'k', value: { counter: 0, fence: null } },
      { type: 'ok', process: 3, f: 'read', key: 'k', value: { state: 'free', owner: null, row: null } },
    );
    expect(errorOf(() => pairHistory(guardedFirst)).line).toBe(3);
    expect(errorOf(() => pairHistory(guardedFirst.slice(0, 2))).problem).toBe('process 2 completes guarded-read k without a pending invocation of it');
  });
});
