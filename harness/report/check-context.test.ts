import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../checkers/lock/testing/history-builder.ts';
import { checkContextFor } from './check-context.ts';

describe('checkContextFor', () => {
  it('hands the checkers the row rule of the built-in recipe the meta line names', () => {
    const h = new HistoryBuilder('lwt');
    h.read(1, 'k', { state: 'held', owner: null, row: { owner: 7 } });
    const rule = checkContextFor(h.events).rowIsReachable;
    expect(rule).toBeDefined();
    expect(rule!({ owner: 7 })).toBe(false);
    expect(rule!({ owner: 'p1-0' })).toBe(true);
    expect(checkContextFor(new HistoryBuilder('no-such-recipe').events).rowIsReachable).toBeUndefined();
  });

  it('knows a clock fault by its family, and older histories by the name rule', () => {
    const h = new HistoryBuilder('lwt');
    expect(checkContextFor(h.events).clocksMoved).toBe(false);
    h.events.push({ index: h.events.length, time: 1, type: 'nemesis', phase: 'start', fault: 'clock-skew', targets: ['n1'] });
    expect(checkContextFor(h.events).clocksMoved).toBe(true);
  });
});
