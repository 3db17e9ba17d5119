import { describe, expect, it } from 'vitest';
import { HistoryError } from './error.ts';
import { pairGuarded } from './guarded.ts';
import { pairHistory } from './pair.ts';
import { validateEvent, type HistoryEvent } from './schema.ts';

const meta = { index: 0, time: 0, type: 'meta', recipe: 'lwt', params: { ttlSeconds: 3 } } as HistoryEvent;

function events(...lines: object[]): HistoryEvent[] {
  return [meta, ...lines.map((l, i) => ({ index: i + 1, time: (i + 1) * 1000, ...l }) as HistoryEvent)];
}

describe('guarded operations in the history', () => {
  it('pair on their own, beside the lock operations, which never see them', () => {
    const h = events(
      { type: 'invoke', process: 1, f: 'acquire', key: 'k', owner: 'A' },
      { type: 'ok', process: 1, f: 'acquire', key: 'k', owner: 'A' },
      { type: 'invoke', process: 1, f: 'guarded-read', key: 'k', owner: 'A' },
      { type: 'ok', process: 1, f: 'guarded-read', key: 'k', owner: 'A', value: { counter: 4, fence: 7 }, token: 9 },
      { type: 'invoke', process: 1, f: 'guarded-write', key: 'k', owner: 'A', counter: 5, token: 9 },
    );
    for (const e of h) expect(validateEvent(e).ok).toBe(true);
    expect(pairHistory(h).ops.map((o) => o.f)).toEqual(['acquire']);
    expect(pairGuarded(h)).toMatchObject([
      { f: 'guarded-read', owner: 'A', outcome: 'ok', value: { counter: 4, fence: 7 }, token: 9, invoke: 3, completion: 4 },
      // Never completed: its outcome is unknown.
      { f: 'guarded-write', owner: 'A', counter: 5, token: 9, outcome: 'info', completion: null, completeTime: Infinity },
    ]);
  });

  it('names the line of a guarded completion with nothing pending', () => {
    const h = events({ type: 'fail', process: 2, f: 'guarded-write', key: 'k', owner: 'A', counter: 1, error: 'fenced out' });
    let caught: unknown;
    try {
      pairGuarded(h);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HistoryError);
    expect(caught).toMatchObject({ line: 2, problem: 'process 2 completes guarded-write k without a pending invocation of it' });
  });

  it('names the field of a malformed guarded event', () => {
    expect(validateEvent({ type: 'invoke', index: 1, time: 1, process: 1, f: 'guarded-write', key: 'k', owner: 'A', counter: -1 })).toEqual({
      ok: false,
      problem: expect.stringMatching(/^counter: /),
    });
    expect(validateEvent({ type: 'ok', index: 1, time: 1, process: 1, f: 'guarded-read', key: 'k', value: { counter: 1 } })).toEqual({
      ok: false,
      problem: expect.stringMatching(/^value\.fence: /),
    });
  });
});
