// The whole runner loop (runCell) on the in-memory executor and a virtual clock: no Docker, and
// the histories it records go through the real reader and checkers.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../../checkers/lock/analyze.ts';
import { readLockstormFile } from '../../../checkers/readers/lockstorm.ts';
import type { HistoryEvent } from '../../../history/index.ts';
import { HistoryWriter } from '../../history/writer.ts';
import { recipes } from '../../../workloads/index.ts';
import type { CellParams } from '../../core/cell.ts';
import { runCell } from '../cell.ts';
import { FakeExecutors } from './fake-executor.ts';
import { randomFaults } from './faults.ts';
import { VirtualClock } from './virtual-clock.ts';
import { runFakeCell } from './run-fake.ts';

const base: CellParams = {
  name: 'fake',
  recipe: 'lwt',
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  // Far beyond the run on either clock (the checkers measure TTLs on the history's times, the
  // store on the virtual clock), so nothing expires; and with TTL 0 an info acquire that won
  // would rightly be reported as a lock orphaned for ever.
  ttlSeconds: 3_600,
  keys: 3,
  clients: 6,
  durationMs: 4_000,
  opTimeoutMs: 500,
  thinkMs: 40,
  seed: 7,
  timestamps: { kind: 'driver' },
  nemesis: null,
};

const faulty = () => randomFaults(3, { lost: 0.05, late: 0.03, dropped: 0.02, failed: 0.03, lateMaxMs: 2_000 });

function verdict(events: HistoryEvent[], recipe: string) {
  return analyzeHistory(events, { ttlSeconds: base.ttlSeconds, rowIsReachable: recipes[recipe]!.rowIsReachable, timeoutMs: 30_000 });
}

describe('runCell on the in-memory executor', () => {
  it('lwt under lost, late, dropped and failed replies: a few hundred operations, safe', async () => {
    const events = await runFakeCell(base, faulty());
    const result = verdict(events, 'lwt');
    const ops = result.ops.ok + result.ops.fail + result.ops.info;
    expect(ops).toBeGreaterThan(200);
    expect(result.ops.info).toBeGreaterThan(0);
    expect(result.ops.byF['acquire']?.ok).toBeGreaterThan(0);
    expect(result.ops.byF['acquire']?.fail).toBeGreaterThan(0);
    expect(result.anomalies).toEqual([]);
    expect(result.verdict).toBe('safe');
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'complete' });
  });

  it('write-then-delete under the same faults: unsafe', async () => {
    const events = await runFakeCell({ ...base, recipe: 'write-then-delete' }, faulty());
    const result = verdict(events, 'write-then-delete');
    expect(result.ops.info).toBeGreaterThan(0);
    expect(result.verdict).toBe('unsafe');
    expect(result.anomalies.length).toBeGreaterThan(0);
  });

  it('records the levels sent on completions, and on invocations only for final reads', async () => {
    const events = await runFakeCell({ ...base, recipe: 'write-then-delete', writeCl: 'ONE', readCl: 'TWO', durationMs: 1_000 });
    const invokes = events.filter((e) => e.type === 'invoke');
    expect(invokes.filter((e) => !e.final && e.cl !== undefined)).toEqual([]);
    expect(invokes.filter((e) => e.final).map((e) => `${e.key}@${e.cl}`)).toEqual(['k0@SERIAL', 'k1@SERIAL', 'k2@SERIAL', 'k0@ALL', 'k1@ALL', 'k2@ALL']);
    const levels = new Set(events.flatMap((e) => (e.type === 'ok' && !('final' in e) ? [`${e.f}:${(e as { cl?: string }).cl}`] : [])));
    expect(levels).toContain('release:ONE');
    expect(levels).toContain('read:TWO');
    expect([...levels].filter((l) => l.startsWith('acquire:'))).toEqual(['acquire:TWO, ONE']);
  });

  it('records each clean-up release after an acquire error as its own operation, by the replacement process after info', async () => {
    const events = await runFakeCell({ ...base, recipe: 'write-then-delete' }, randomFaults(5, { lost: 0.1 }));
    const clientEvents = events.filter((e) => e.type === 'invoke' || e.type === 'ok' || e.type === 'fail' || e.type === 'info');
    let checked = 0;
    clientEvents.forEach((e, i) => {
      if (e.type !== 'info' || e.f !== 'acquire') return;
      // The next invocation of this process's client slot is the clean-up release of that same token.
      const next = clientEvents.slice(i + 1).find((x) => x.type === 'invoke' && x.f === 'release' && x.owner === e.owner);
      expect(next).toBeDefined();
      expect(next!.process).not.toBe(e.process);
      checked++;
    });
    expect(checked).toBeGreaterThan(0);
  });

  it('stops at the planned duration on the virtual clock and says complete', async () => {
    const clock = new VirtualClock();
    const path = join(mkdtempSync(join(tmpdir(), 'lockstorm-fake-cell-')), 'history.jsonl');
    const t0 = clock.nowMs();
    const outcome = await runCell({ executors: new FakeExecutors(clock, base), openHistory: (m) => HistoryWriter.create(path, m), nemesis: null, clock }, base);
    expect(clock.nowMs() - t0).toBeGreaterThanOrEqual(base.durationMs);
    expect(readLockstormFile(path).at(-1)).toMatchObject({ type: 'end', status: 'complete' });
    // Without a nemesis nothing healed or checked the cluster at the end.
    expect(outcome).toEqual({ healedAtEnd: false });
  });
});
