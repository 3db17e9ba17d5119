// The example in docs/history-format.md is a real history: it must parse, and it must show what
// the page says it shows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLockstormHistory } from '../readers/lockstorm.ts';
import { analyzeHistory } from './analyze.ts';

const doc = readFileSync(new URL('../../docs/history-format.md', import.meta.url), 'utf8');
const example = /## An example\s+```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';

describe('docs/history-format.md', () => {
  it('has an example that parses and is found to leave an orphaned lock, and nothing else', () => {
    const events = parseLockstormHistory(example);
    expect(events).toHaveLength(9);
    const { anomalies, verdict } = analyzeHistory(events, { ttlSeconds: 0 });
    expect(anomalies.map((a) => [a.kind, a.key, a.owners, a.witness])).toEqual([['orphaned-lock', 'k0', ['p0-0'], [1, 4, 5, 7, 8]]]);
    expect(verdict).toBe('unsafe');
  });
});
