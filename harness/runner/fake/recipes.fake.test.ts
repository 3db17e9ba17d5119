// Each recipe on the in-memory executor under lost, late, dropped and failed replies: what the
// history records for the operation, and what the table holds afterwards.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CompletionEvent, LockOp, ReadValue } from '../../../history/index.ts';
import { HistoryWriter } from '../../history/writer.ts';
import { recipes } from '../../../workloads/index.ts';
import type { TimestampMode } from '../../core/cell.ts';
import type { OperationLevels } from '../../client/operation-executor.ts';
import { perform } from '../perform.ts';
import { FakeExecutors, type FaultPlan } from './fake-executor.ts';
import { scriptedFaults } from './faults.ts';
import { VirtualClock } from './virtual-clock.ts';

const OP_TIMEOUT_MS = 1_000;

async function bench(recipeName: string, opts: { faults?: FaultPlan; timestamps?: TimestampMode; ttlSeconds?: number } = {}) {
  const recipe = recipes[recipeName]!;
  const clock = new VirtualClock();
  const fx = new FakeExecutors(
    clock,
    { writeCl: 'QUORUM', readCl: 'ONE', serialCl: 'SERIAL', timestamps: opts.timestamps ?? { kind: 'driver' } },
    opts.faults,
  );
  await fx.prepare(recipe);
  const history = HistoryWriter.create(join(mkdtempSync(join(tmpdir(), 'lockstorm-fake-')), 'h.jsonl'), { recipe: recipe.name, params: {} });
  const settings = { ttlSeconds: opts.ttlSeconds ?? 30 };
  const run = async (process: number, op: LockOp, levels?: OperationLevels): Promise<CompletionEvent> =>
    perform(history, recipe, settings, { process, node: 'n1', executor: await fx.open(process, 'n1', OP_TIMEOUT_MS) }, op, { levels });
  /** What the key reads now, from a clean process. */
  const look = async (key = 'k0'): Promise<ReadValue> => {
    const done = await run(99, { f: 'read', key });
    if (done.type !== 'ok' || done.f !== 'read') throw new Error(`read failed: ${JSON.stringify(done)}`);
    return done.value;
  };
  /** The follow-ups the recipe's own code sends after an acquire error, performed in order. */
  const followUps = async (process: number, key: string, owner: string): Promise<CompletionEvent[]> => {
    const out: CompletionEvent[] = [];
    for (const f of recipe.afterAcquireError?.(key, owner) ?? []) out.push(await run(process, f.op, f.writeCl ? { writeCl: f.writeCl } : {}));
    return out;
  };
  return { recipe, clock, fx, run, look, followUps };
}

const acquire = (owner: string, key = 'k0'): LockOp => ({ f: 'acquire', key, owner });
const release = (owner: string, key = 'k0'): LockOp => ({ f: 'release', key, owner });

describe('write-then-delete on the in-memory executor', () => {
  it('records the levels it sent: a read then a write', async () => {
    const b = await bench('write-then-delete');
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'ok', cl: 'ONE, QUORUM' });
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p0-0' });
  });

  it('a lost-reply acquire whose clean-up DELETE also times out without landing leaves a ghost row', async () => {
    const b = await bench('write-then-delete', {
      faults: scriptedFaults({ when: { cql: /^INSERT/ }, fault: { kind: 'lost' } }, { when: { cql: /^DELETE/ }, fault: { kind: 'dropped' } }),
    });
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'info', error: expect.stringContaining('OperationTimedOutError') });
    const cleanUp = await b.followUps(1, 'k0', 'p0-0');
    expect(cleanUp).toMatchObject([{ type: 'info', f: 'release', owner: 'p0-0', cl: 'QUORUM' }]);
    // Nobody holds p0-0 any more (its process retired, its release sent), yet the row says it does.
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p0-0' });
  });

  it('a lost-reply acquire whose clean-up DELETE lands (reply lost too) leaves the key free', async () => {
    const b = await bench('write-then-delete', { faults: scriptedFaults({ when: { kind: 'write' }, fault: { kind: 'lost' }, times: 2 }) });
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'info' });
    expect(await b.followUps(1, 'k0', 'p0-0')).toMatchObject([{ type: 'info', f: 'release' }]);
    expect(await b.look()).toMatchObject({ state: 'free', row: null });
  });

  it('a late INSERT stamped by the coordinator on arrival resurrects the lock its clean-up deleted', async () => {
    const b = await bench('write-then-delete', {
      timestamps: { kind: 'server' },
      faults: scriptedFaults({ when: { cql: /^INSERT/ }, fault: { kind: 'late', delayMs: 3_000 } }),
    });
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'info' });
    expect(await b.followUps(1, 'k0', 'p0-0')).toMatchObject([{ type: 'ok', f: 'release' }]);
    expect(await b.look()).toMatchObject({ state: 'free' });
    await b.clock.sleep(3_000);
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p0-0' });
  });

  it('the same late INSERT carrying its client stamp loses to the later DELETE', async () => {
    const b = await bench('write-then-delete', { faults: scriptedFaults({ when: { cql: /^INSERT/ }, fault: { kind: 'late', delayMs: 3_000 } }) });
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'info' });
    await b.followUps(1, 'k0', 'p0-0');
    await b.clock.sleep(3_000);
    expect(await b.look()).toMatchObject({ state: 'free' });
  });

  it('a failed INSERT is a fail with its error, followed by the clean-up release', async () => {
    const b = await bench('write-then-delete', { faults: scriptedFaults({ when: { cql: /^INSERT/ }, fault: { kind: 'failed' } }) });
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'fail', error: expect.stringContaining('overloaded') });
    expect(await b.followUps(0, 'k0', 'p0-0')).toMatchObject([{ type: 'ok', f: 'release', owner: 'p0-0' }]);
    expect(await b.look()).toMatchObject({ state: 'free' });
  });

  it('a late reply that still beats the timeout is an ordinary ok', async () => {
    const b = await bench('write-then-delete', { faults: scriptedFaults({ when: { cql: /^INSERT/ }, fault: { kind: 'late', delayMs: 400 } }) });
    const t0 = b.clock.nowMs();
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'ok' });
    expect(b.clock.nowMs() - t0).toBeGreaterThanOrEqual(400);
  });
});

describe('lwt on the in-memory executor', () => {
  it('an info acquire that applied is visible to the next read', async () => {
    const b = await bench('lwt', { faults: scriptedFaults({ when: { kind: 'cas' }, fault: { kind: 'lost' } }) });
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'info', cl: 'SERIAL/QUORUM' });
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p0-0' });
    // And it excludes: the next acquire loses, and says whom it saw.
    expect(await b.run(1, acquire('p1-0'))).toMatchObject({ type: 'fail', value: { state: 'held', owner: 'p0-0' } });
  });

  it('a late acquire lands after its timeout, and only then holds the key', async () => {
    const b = await bench('lwt', { faults: scriptedFaults({ when: { kind: 'cas' }, fault: { kind: 'late', delayMs: 2_500 } }) });
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'info' });
    expect(await b.look()).toMatchObject({ state: 'free' });
    await b.clock.sleep(2_000);
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p0-0' });
  });

  it('a failed acquire takes nothing; a dropped one neither, but is info', async () => {
    const b = await bench('lwt', {
      faults: scriptedFaults({ when: { kind: 'cas' }, fault: { kind: 'failed' } }, { when: { kind: 'cas' }, fault: { kind: 'dropped' } }),
    });
    expect(await b.run(0, acquire('p0-0'))).toMatchObject({ type: 'fail', error: expect.any(String) });
    expect(await b.run(1, acquire('p1-0'))).toMatchObject({ type: 'info' });
    expect(await b.look()).toMatchObject({ state: 'free' });
  });

  it('releases only its own lock, and a read at SERIAL records SERIAL', async () => {
    const b = await bench('lwt');
    await b.run(0, acquire('p0-0'));
    expect(await b.run(1, release('p1-0'))).toMatchObject({ type: 'fail', value: { owner: 'p0-0' } });
    expect(await b.run(0, { f: 'read', key: 'k0' })).toMatchObject({ type: 'ok', cl: 'SERIAL' });
    expect(await b.run(0, release('p0-0'))).toMatchObject({ type: 'ok' });
    expect(await b.look()).toMatchObject({ state: 'free' });
  });

  it('expires a lock after its TTL on the injected clock', async () => {
    const b = await bench('lwt', { ttlSeconds: 5 });
    await b.run(0, acquire('p0-0'));
    await b.clock.sleep(4_900);
    expect(await b.look()).toMatchObject({ state: 'held' });
    await b.clock.sleep(200);
    expect(await b.look()).toMatchObject({ state: 'free' });
  });
});

describe('lwt-plain-delete on the in-memory executor', () => {
  it('a late DELETE stamped on arrival frees the next owner once the TTL freed the key', async () => {
    const b = await bench('lwt-plain-delete', {
      ttlSeconds: 3,
      timestamps: { kind: 'server' },
      faults: scriptedFaults({ when: { cql: /^DELETE/ }, fault: { kind: 'late', delayMs: 4_000 } }),
    });
    await b.run(0, acquire('p0-0'));
    expect(await b.run(0, release('p0-0'))).toMatchObject({ type: 'info' });
    // The DELETE is still on its way when the TTL frees the key and p1-0 takes it.
    await b.clock.sleep(2_100);
    expect(await b.run(1, acquire('p1-0'))).toMatchObject({ type: 'ok' });
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p1-0' });
    // Then it lands, stamped later than p1-0's ballot: p1-0's lock is gone well before its TTL.
    await b.clock.sleep(1_000);
    expect(await b.look()).toMatchObject({ state: 'free' });
  });

  it('a failed DELETE leaves the lock held', async () => {
    const b = await bench('lwt-plain-delete', { faults: scriptedFaults({ when: { cql: /^DELETE/ }, fault: { kind: 'failed' } }) });
    await b.run(0, acquire('p0-0'));
    expect(await b.run(0, release('p0-0'))).toMatchObject({ type: 'fail' });
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p0-0' });
  });

  it('tie mode ties the DELETE too: stamped with the acquire\'s own write time, and the tombstone wins', async () => {
    const b = await bench('lwt-plain-delete', { timestamps: { kind: 'tie' } });
    await b.run(0, acquire('p0-0'));
    const [row] = [b.fx.store.execute('SELECT writetime(owner) AS t FROM lwt_locks WHERE id = ?', ['k0'])];
    const acquiredAt = row?.kind === 'rows' ? row.row?.['t'] : undefined;
    expect(typeof acquiredAt).toBe('number');
    const sent = vi.spyOn(b.fx.store, 'execute');
    await b.clock.sleep(50);
    // The executor reads the row's write time itself before the DELETE: two statements, both recorded.
    expect(await b.run(0, release('p0-0'))).toMatchObject({ type: 'ok', cl: 'ONE, QUORUM' });
    expect(sent.mock.calls.map((c) => [c[0], c[2]])).toEqual([
      ['SELECT writetime(owner) AS w0 FROM lwt_locks WHERE id = ?', undefined],
      ['DELETE FROM lwt_locks WHERE id = ?', acquiredAt],
    ]);
    expect(await b.look()).toMatchObject({ state: 'free' });
  });
});

describe('lwt-ttl-plain-release on the in-memory executor', () => {
  it('a tied release loses to the expiring acquire cells, whole, as on 5.0', async () => {
    const b = await bench('lwt-ttl-plain-release', { timestamps: { kind: 'tie' }, ttlSeconds: 20 });
    expect(await b.run(0, acquire('p0-3'))).toMatchObject({ type: 'ok', cl: 'SERIAL/QUORUM' });
    await b.clock.sleep(1_000);
    expect(await b.run(0, release('p0-3'))).toMatchObject({ type: 'ok', cl: 'ONE, QUORUM' });
    const after = await b.look();
    expect(after).toMatchObject({ state: 'held', owner: 'p0-3', row: { lock: true, revision: 6 } });
    expect(after.row!['lock_ts']).toBe(after.row!['revision_ts']);
    expect(after.row!['lock_ttl']).toBe(19);
    expect(b.recipe.rowIsReachable(after.row)).toBe(true);
  });

  it('an untied release (driver stamps) flips the flag and records its revision', async () => {
    const b = await bench('lwt-ttl-plain-release');
    await b.run(0, acquire('p0-3'));
    await b.clock.sleep(10);
    expect(await b.run(0, release('p0-3'))).toMatchObject({ type: 'ok', cl: 'QUORUM' });
    expect(await b.look()).toMatchObject({ state: 'free', row: { lock: false, revision: 7, lock_ttl: null } });
    // The released row exists: the next acquire falls back to flipping the flag under Paxos.
    expect(await b.run(1, acquire('p1-0'))).toMatchObject({ type: 'ok', cl: 'SERIAL/QUORUM, SERIAL/QUORUM' });
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p1-0' });
  });

  it('a lost-reply release is info but released; a failed one is fail and changed nothing', async () => {
    const b = await bench('lwt-ttl-plain-release', {
      faults: scriptedFaults({ when: { kind: 'write' }, fault: { kind: 'failed' } }, { when: { kind: 'write' }, fault: { kind: 'lost' } }),
    });
    await b.run(0, acquire('p0-3'));
    expect(await b.run(0, release('p0-3'))).toMatchObject({ type: 'fail' });
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p0-3' });
    expect(await b.run(0, release('p0-3'))).toMatchObject({ type: 'info' });
    expect(await b.look()).toMatchObject({ state: 'free', row: { revision: 7 } });
  });

  it('an acquire whose second LWT is lost is info (the first changed nothing, the second applied)', async () => {
    const b = await bench('lwt-ttl-plain-release', { faults: scriptedFaults({ when: { cql: /^UPDATE flag_locks USING TTL/ }, fault: { kind: 'lost' } }) });
    await b.run(0, acquire('p0-3'));
    await b.clock.sleep(10);
    await b.run(0, release('p0-3'));
    expect(await b.run(1, acquire('p1-0'))).toMatchObject({ type: 'info', cl: 'SERIAL/QUORUM, SERIAL/QUORUM' });
    expect(await b.look()).toMatchObject({ state: 'held', owner: 'p1-0' });
  });
});
