// Builds small lockstorm histories for tests: one line per event, times in milliseconds.

import type { HistoryEvent, ReadValue } from '../../history/index.ts';

export type Spec =
  | [process: number, type: 'invoke' | 'ok' | 'fail' | 'info', f: 'acquire' | 'release', key: string, owner: string, ms: number]
  | [process: number, type: 'invoke' | 'info', f: 'read', key: string, ms: number]
  | [process: number, type: 'ok', f: 'read', key: string, seen: string | null | undefined, ms: number];

export function lockHistory(ttlSeconds: number | undefined, specs: Spec[]): HistoryEvent[] {
  const events: HistoryEvent[] = [
    { type: 'meta', index: 0, time: 0, recipe: 'test', params: ttlSeconds === undefined ? {} : { ttlSeconds } },
  ];
  for (const s of specs) {
    const index = events.length;
    const [process, type, f, key] = s;
    if (f !== 'read') {
      const [, , , , owner, ms] = s as [number, string, string, string, string, number];
      const base = { index, time: ms * 1e6, process, f, key, owner };
      events.push((type === 'info' ? { ...base, type, error: 'timeout' } : { ...base, type }) as HistoryEvent);
    } else if (type === 'ok') {
      const [, , , , seen, ms] = s as [number, string, string, string, string | null | undefined, number];
      const value: ReadValue =
        seen === null ? { state: 'free', owner: null, row: null } : { state: 'held', ...(seen === undefined ? {} : { owner: seen }), row: {} };
      events.push({ index, time: ms * 1e6, process, type, f, key, value });
    } else {
      const [, , , , ms] = s as [number, string, string, string, number];
      const base = { index, time: ms * 1e6, process, f, key };
      events.push((type === 'info' ? { ...base, type, error: 'timeout' } : { ...base, type }) as HistoryEvent);
    }
  }
  return events;
}
