// A recorded history from the acceptance runs: lwt at QUORUM + SERIAL with a 30 s TTL, seed 2040 of
// configs/acceptance/lwt-all.yaml, 16:18 run on Cassandra 5.0.8. Trimmed to key k0 and renumbered
// (test/fixtures/README.md). n2's clock ran 2.4 s ahead from 31.8 s; p23-3's lock, acquired at
// 5.6 s and never released, read free through n2 at 33.4 s and was taken by p199-3 at 33.8 s.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../checkers/lock/analyze.ts';
import { readLockstormFile } from '../../checkers/readers/lockstorm.ts';
import { recipes } from '../../workloads/index.ts';

const file = fileURLToPath(new URL('../fixtures/lwt-ttl-clock-skew.jsonl', import.meta.url));

describe('a TTL lease under node clock skew (recorded on 5.0)', () => {
  const events = readLockstormFile(file);
  const result = analyzeHistory(events, { ttlSeconds: 30, rowIsReachable: recipes.lwt!.rowIsReachable });

  it('names the double holder, and the clock fault that let the TTL lapse early', () => {
    expect(result.verdict).toBe('unsafe');
    const doubles = result.anomalies.filter((a) => a.kind === 'double-holder');
    expect(doubles.map((a) => a.owners)).toContainEqual(['p23-3', 'p199-3']);
    expect(doubles[0]!.explanation).toContain('a clock fault ran');
    expect(result.anomalies.map((a) => a.kind)).toContain('non-linearizable');
  });

  it('holds the schedule that replays it: the skew that was running, node by node', () => {
    const skew = events.find((e) => e.type === 'nemesis' && e.phase === 'start' && e.fault === 'clock-skew');
    expect(skew).toMatchObject({ targets: ['n1', 'n2', 'n3'], detail: { offsetsMs: { n1: -200, n2: 2400, n3: 1000 } } });
    const meta = events[0];
    expect(meta).toMatchObject({ type: 'meta', params: { seed: 2040, ttlSeconds: 30 } });
  });

  it('is clean before the skew began: the same checker sees no anomaly in the first 31 s', () => {
    const skewAt = events.find((e) => e.type === 'nemesis' && e.fault === 'clock-skew')!.time;
    const before = events.filter((e) => e.time < skewAt);
    expect(analyzeHistory(before, { ttlSeconds: 30, rowIsReachable: recipes.lwt!.rowIsReachable }).anomalies).toEqual([]);
  });
});
