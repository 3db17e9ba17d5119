// write-then-delete-retry against write-then-delete, whole cells on the in-memory executor: the
// same dropped clean-up DELETE leaves write-then-delete a ghost lock and the retrying recipe none,
// while the race between the read and the INSERT is still there.

import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../../checkers/lock/analyze.ts';
import { doubleHolder } from '../../../checkers/lock/double-holder.ts';
import { findWith } from '../../../checkers/lock/testing/run-checker.ts';
import type { CompletionEvent, HistoryEvent } from '../../../history/index.ts';
import type { CellParams } from '../../core/cell.ts';
import { scriptedFaults } from './faults.ts';
import { runFakeCell } from './run-fake.ts';

const base: CellParams = {
  name: 'fake',
  recipe: 'write-then-delete',
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  ttlSeconds: 3_600,
  keys: 1,
  clients: 3,
  durationMs: 3_000,
  opTimeoutMs: 500,
  thinkMs: 50,
  seed: 3,
  timestamps: { kind: 'driver' },
  nemesis: null,
};

// The first incident's path: the INSERT lands but its reply is lost; the clean-up DELETE is
// dropped once (never applied, timed out); anything sent after that goes through.
const incident = () => scriptedFaults({ when: { cql: /^INSERT/ }, fault: { kind: 'lost' } }, { when: { cql: /^DELETE/ }, fault: { kind: 'dropped' } });

const kinds = (events: HistoryEvent[]) => analyzeHistory(events, { timeoutMs: 10_000 }).anomalies.map((a) => a.kind);

describe('write-then-delete-retry', () => {
  it('ends the ghost lock write-then-delete leaves when its one clean-up DELETE is dropped', async () => {
    const plain = await runFakeCell(base, incident());
    const ghosts = analyzeHistory(plain, { timeoutMs: 10_000 }).anomalies.filter((a) => a.kind === 'ghost-lock');
    expect(ghosts).toHaveLength(1);

    const retried = await runFakeCell({ ...base, recipe: 'write-then-delete-retry' }, incident());
    expect(kinds(retried)).not.toContain('ghost-lock');
    // The clean-up of the same owner: dropped once at ALL, then acknowledged at ALL.
    const cleanUps = retried.filter((e) => (e.type === 'ok' || e.type === 'info') && e.f === 'release' && e.owner === ghosts[0]!.owners[0]) as CompletionEvent[];
    expect(cleanUps.map((e) => [e.type, e.cl])).toEqual([
      ['info', 'ALL'],
      ['ok', 'ALL'],
    ]);
  });

  it('still lets two clients that both read the key free both take it', async () => {
    const events = await runFakeCell({ ...base, recipe: 'write-then-delete-retry', clients: 6, thinkMs: 5 });
    expect(findWith(doubleHolder, events).length).toBeGreaterThan(0);
  });
});
