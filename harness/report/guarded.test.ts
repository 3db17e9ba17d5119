import { describe, expect, it } from 'vitest';
import { guardedSentences, guardedStats } from './guarded.ts';
import type { CellResult, GuardedRecordResult } from './results.ts';

function cell(recipe: string, fencing: 'off' | 'on', g: GuardedRecordResult | undefined, error?: string): CellResult {
  return {
    name: `${recipe}_fencing-${fencing}`,
    axes: { recipe, ttl_s: '3', nemesis: 'pauses', fencing },
    ...(g ? { guarded_record: g } : {}),
    ...(error ? { error } : {}),
  } as unknown as CellResult;
}
const record = (fencing: boolean, lost: number, issued: number, landed: number, over: number, increments = 40): GuardedRecordResult => ({
  fencing,
  increments,
  lost_updates: lost,
  stale_writes: { issued, landed, over_newer_holder: over, outcome_unknown: 0 },
});

describe('the guarded record in the report', () => {
  it('says per recipe, TTL and fault mix what landed and what was lost, without fencing and with', () => {
    const text = guardedSentences([cell('lwt', 'off', record(false, 12, 9, 9, 7)), cell('lwt', 'on', record(true, 0, 8, 0, 0))]);
    expect(text).toBe(
      'lwt with a 3 s TTL under pauses: 7 stale writes landed over a newer holder (9 sent after the lease ran out, 9 of them landed) and 12 updates lost of 40 acknowledged without fencing; ' +
        '0 stale writes landed over a newer holder (8 sent after the lease ran out, 0 of them landed) and 0 updates lost of 40 acknowledged with fencing.',
    );
  });

  it('says nothing for cells without a guarded record or that could not be run, and "not judged" where leases were not', () => {
    expect(guardedSentences([cell('lwt', 'off', undefined), cell('lwt', 'on', record(true, 0, 1, 0, 0), 'run failed: x')])).toBe('');
    const unjudged: GuardedRecordResult = { fencing: false, increments: 5, lost_updates: 2, stale_writes: { issued: null, landed: null, over_newer_holder: null, outcome_unknown: null } };
    expect(guardedSentences([cell('lwt', 'off', unjudged)])).toBe('lwt with a 3 s TTL under pauses: stale writes not judged (a fault moved clocks) and 2 updates lost of 5 acknowledged without fencing.');
    expect(guardedStats(cell('lwt', 'off', unjudged))).toContain('lost 2');
    expect(guardedStats(cell('lwt', 'off', undefined))).toBe('');
  });

  it('shows no zeros for cells where no critical section ever wrote the record', () => {
    const text = guardedSentences([cell('lwt', 'off', record(false, 3, 2, 2, 1)), cell('lwt', 'on', record(true, 0, 0, 0, 0, 0))]);
    expect(text).toMatch(/; no critical section wrote the record, so nothing is shown with fencing\.$/);
  });
});
