import { afterEach, describe, expect, it, vi } from 'vitest';
import { endOfCell, MAX_TIMER_MS, monotonicDeadline } from './cell-end.ts';

describe('the end line a cell gets', () => {
  const whole = { plannedMs: 30_000, ranMs: 30_004, interrupted: false, missingFinalReads: [] };

  it('complete only for a whole workload and answered final reads', () => {
    expect(endOfCell(whole)).toEqual({ status: 'complete' });
    // An interrupt that came after the workload ran its course (during the final reads) cut nothing short.
    expect(endOfCell({ ...whole, interrupted: true })).toEqual({ status: 'complete' });
  });

  it('interrupted, with how far it got, when the user stopped the workload early', () => {
    expect(endOfCell({ ...whole, ranMs: 20_300, interrupted: true })).toEqual({
      status: 'interrupted',
      reason: 'stopped by an interrupt after 20.3 s of the planned 30.0 s',
    });
  });

  it('failed when the workload stopped early with nobody asking (a timer that fired too soon)', () => {
    expect(endOfCell({ ...whole, plannedMs: 3e9, ranMs: 12 })).toEqual({
      status: 'failed',
      reason: 'the workload stopped after 0.0 s of the planned 3000000.0 s',
    });
  });

  it('failed when a final read never got an answer', () => {
    expect(endOfCell({ ...whole, missingFinalReads: ['k1 at SERIAL', 'k1 at ALL'] })).toEqual({
      status: 'failed',
      reason: 'final reads got no answer: k1 at SERIAL, k1 at ALL',
    });
  });
});

describe('the workload deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not expire at once for a duration past what a Node timer can hold', async () => {
    const expire = vi.fn();
    const cancel = monotonicDeadline(MAX_TIMER_MS * 2, expire);
    await new Promise((r) => setTimeout(r, 50));
    cancel();
    expect(expire).not.toHaveBeenCalled();
  });

  it('believes the clock, not the timer: a timer that fires early is re-armed for what is left', () => {
    vi.useFakeTimers();
    let clock = 0;
    const expire = vi.fn();
    monotonicDeadline(10_000, expire, () => clock);
    // The timer fires on schedule, but the monotonic clock has moved only 6 s (say the timer was clamped).
    clock = 6_000;
    vi.advanceTimersByTime(10_000);
    expect(expire).not.toHaveBeenCalled();
    clock = 10_000;
    vi.advanceTimersByTime(4_000);
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('re-arms in steps a timer can hold until the whole duration has passed', () => {
    vi.useFakeTimers();
    let clock = 0;
    const expire = vi.fn();
    monotonicDeadline(MAX_TIMER_MS + 5_000, expire, () => clock);
    clock = MAX_TIMER_MS;
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(expire).not.toHaveBeenCalled();
    clock = MAX_TIMER_MS + 5_000;
    vi.advanceTimersByTime(5_000);
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('cancelled, it never expires', () => {
    vi.useFakeTimers();
    let clock = 0;
    const expire = vi.fn();
    const cancel = monotonicDeadline(1_000, expire, () => clock);
    cancel();
    clock = 5_000;
    vi.advanceTimersByTime(5_000);
    expect(expire).not.toHaveBeenCalled();
  });
});
