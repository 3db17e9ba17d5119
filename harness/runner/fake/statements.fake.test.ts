// Statement-level history: every completion carries the statements its operation sent, with the
// stamp, TTL, levels and outcome each had, and the record passes the history schema.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateEvent, type CompletionEvent, type LockOp } from '../../../history/index.ts';
import { HistoryWriter } from '../../history/writer.ts';
import { recipes } from '../../../workloads/index.ts';
import type { TimestampMode } from '../../core/cell.ts';
import { perform } from '../perform.ts';
import { FakeExecutors, type FaultPlan } from './fake-executor.ts';
import { scriptedFaults } from './faults.ts';
import { VirtualClock } from './virtual-clock.ts';

async function bench(recipeName: string, timestamps: TimestampMode, faults?: FaultPlan) {
  const recipe = recipes[recipeName]!;
  const clock = new VirtualClock();
  const fx = new FakeExecutors(clock, { writeCl: 'QUORUM', readCl: 'ONE', serialCl: 'SERIAL', timestamps }, faults);
  await fx.prepare(recipe);
  const history = HistoryWriter.create(join(mkdtempSync(join(tmpdir(), 'lockstorm-stmts-')), 'h.jsonl'), { recipe: recipe.name, params: {} });
  const run = async (process: number, op: LockOp): Promise<CompletionEvent> =>
    perform(history, recipe, { ttlSeconds: 30 }, { process, node: 'n1', executor: await fx.open(process, 'n1', 1_000) }, op);
  return { run, clock };
}

describe('statement records on completions', () => {
  it('an LWT acquire, a tied plain release and a read: text, values, levels, stamp, TTL and outcome', async () => {
    const b = await bench('lwt-ttl-plain-release', { kind: 'tie' });
    const acquired = await b.run(0, { f: 'acquire', key: 'k0', owner: 'p0-0' });
    expect(acquired.statements).toEqual([
      {
        kind: 'cas',
        cql: 'INSERT INTO flag_locks (id, lock, revision) VALUES (?, true, ?) IF NOT EXISTS USING TTL ?',
        params: ['k0', 0, 30],
        cl: 'QUORUM',
        serialCl: 'SERIAL',
        timestamp: null,
        ttl: 30,
        outcome: 'applied',
      },
    ]);
    const released = await b.run(0, { f: 'release', key: 'k0', owner: 'p0-0' });
    // Tie mode reads the row's newest stamp first, then writes carrying exactly it.
    const [tieRead, update] = released.statements!;
    expect(tieRead).toMatchObject({ kind: 'read', cl: 'ONE', timestamp: null, ttl: null, outcome: 'applied' });
    expect(update).toMatchObject({ kind: 'write', params: [1, 'k0'], cl: 'QUORUM', ttl: null, outcome: 'applied' });
    expect(update!.timestamp).toEqual(expect.any(Number));
    const read = await b.run(1, { f: 'read', key: 'k0' });
    expect(read.type === 'ok' && read.f === 'read' && read.value.row?.['revision_ts']).toBe(update!.timestamp);
    for (const e of [acquired, released, read]) expect(validateEvent(e)).toMatchObject({ ok: true });
  });

  it('a lost reply is recorded as an error (the write may have landed), an unapplied LWT as not-applied', async () => {
    const b = await bench('write-then-delete', { kind: 'server' }, scriptedFaults({ when: { cql: /^INSERT/ }, fault: { kind: 'lost' } }));
    const lost = await b.run(0, { f: 'acquire', key: 'k0', owner: 'p0-0' });
    expect(lost.type).toBe('info');
    expect(lost.statements!.map((s) => [s.kind, s.outcome, s.timestamp, s.ttl])).toEqual([
      ['read', 'applied', null, null],
      ['write', 'error', null, 30],
    ]);
    expect(lost.statements![1]!.error).toMatch(/timeout/);

    const lwt = await bench('lwt', { kind: 'driver' });
    await lwt.run(0, { f: 'acquire', key: 'k0', owner: 'p0-0' });
    const refused = await lwt.run(1, { f: 'acquire', key: 'k0', owner: 'p1-0' });
    expect(refused.statements!.map((s) => s.outcome)).toEqual(['not-applied']);
  });

  it('a driver-stamped write records the stamp it carried, strictly increasing per client', async () => {
    const b = await bench('write-then-delete', { kind: 'driver' });
    const first = await b.run(0, { f: 'acquire', key: 'k0', owner: 'p0-0' });
    const second = await b.run(0, { f: 'release', key: 'k0', owner: 'p0-0' });
    const t1 = first.statements!.at(-1)!.timestamp!;
    const t2 = second.statements!.at(-1)!.timestamp!;
    expect(t1).toBeGreaterThan(1_800_000_000_000_000);
    expect(t2).toBeGreaterThan(t1);
  });
});
