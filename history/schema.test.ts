import { describe, expect, it } from 'vitest';
import { metaLine, ttlSecondsOf, recipeOf } from './meta.ts';
import { validateEvent, type HistoryEvent } from './schema.ts';

describe('the history schema', () => {
  it('accepts a completion carrying the levels it was sent at, and keeps them', () => {
    const r = validateEvent({ type: 'ok', index: 2, time: 5, process: 1, f: 'release', key: 'k', owner: 'A', cl: 'SERIAL/QUORUM' });
    expect(r).toEqual({ ok: true, event: expect.objectContaining({ cl: 'SERIAL/QUORUM' }) });
  });

  it('names the field that is wrong', () => {
    expect(validateEvent({ type: 'ok', index: 2, time: 5, process: 1, f: 'read', key: 'k' })).toEqual({ ok: false, problem: 'value: Invalid input: expected object, received undefined' });
    expect(validateEvent({ type: 'toString' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^type: expected one of meta, /) });
    expect(validateEvent([1])).toEqual({ ok: false, problem: 'event: expected a JSON object' });
  });

  it('writes the meta line that ttlSecondsOf and recipeOf read back', () => {
    const events = [{ index: 0, time: 0, ...metaLine('lwt', { ttlSeconds: 7 }) }] as HistoryEvent[];
    expect(validateEvent(events[0]).ok).toBe(true);
    expect([recipeOf(events), ttlSecondsOf(events)]).toEqual(['lwt', 7]);
  });
});
