// A recipe is one module plus one registry line: this file is the module (a recipe that exists
// only here, with its own table and column names), the line marked below registers it, and the
// runner, executors, tie mode and checkers need nothing else. The second recipe shows a
// recipe's own error handling living in the recipe: a clean-up DELETE retried at ALL until one
// is acknowledged.

import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../../checkers/lock/analyze.ts';
import type { ReadValue } from '../../../history/index.ts';
import { recipes } from '../../../workloads/index.ts';
import type { Recipe, Row } from '../../../workloads/recipe.ts';
import { writeThenDelete } from '../../../workloads/write-then-delete.ts';
import type { CellParams } from '../../core/cell.ts';
import { randomFaults, scriptedFaults } from './faults.ts';
import { runFakeCell } from './run-fake.ts';

function holderValue(row: Row | null): ReadValue {
  const holder = row?.['holder'];
  return typeof holder === 'string' ? { state: 'held', owner: holder, row } : { state: 'free', owner: null, row };
}

/** Every step an LWT, on a table whose owner column is called `holder`. */
const tinyLwt: Recipe = {
  name: 'tiny-lwt',
  summary: 'INSERT holder IF NOT EXISTS USING TTL, DELETE IF holder = ?, SERIAL reads',
  table: 'tiny_locks',
  schema: (ks) => [`CREATE TABLE ${ks}.tiny_locks (id text PRIMARY KEY, holder text)`],
  async acquire(x, key, owner, s) {
    const r = await x.cas('INSERT INTO tiny_locks (id, holder) VALUES (?, ?) IF NOT EXISTS USING TTL ?', [key, owner, s.ttlSeconds]);
    return r.applied ? { acquired: true } : { acquired: false, saw: holderValue(r.row) };
  },
  async release(x, key, owner) {
    const r = await x.cas('DELETE FROM tiny_locks WHERE id = ? IF holder = ?', [key, owner]);
    return r.applied ? { released: true } : { released: false, saw: holderValue(r.row) };
  },
  async read(x, key) {
    return holderValue(await x.read('SELECT holder FROM tiny_locks WHERE id = ?', [key], 'serial'));
  },
  rowIsReachable: (row) => row === null || typeof row['holder'] === 'string',
};

/** write-then-delete whose clean-up insists: the DELETE again at ALL until one is acknowledged. */
const insistentCleanUp: Recipe = {
  ...writeThenDelete,
  name: 'write-then-delete-at-all',
  afterAcquireError: (key, owner) => [{ op: { f: 'release', key, owner }, writeCl: 'ALL', untilOk: { maxAttempts: 5 } }],
};

recipes[tinyLwt.name] = tinyLwt; // the registry line
recipes[insistentCleanUp.name] = insistentCleanUp;

const params: CellParams = {
  name: 'new-recipe',
  recipe: 'tiny-lwt',
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  ttlSeconds: 3_600,
  keys: 2,
  clients: 4,
  durationMs: 3_000,
  opTimeoutMs: 500,
  thinkMs: 40,
  seed: 11,
  timestamps: { kind: 'driver' },
  nemesis: null,
};

describe('a recipe added by one module and one registry line', () => {
  it('runs through the whole runner under faults, and checks safe', async () => {
    const events = await runFakeCell(params, randomFaults(1, { lost: 0.05, dropped: 0.03, failed: 0.03 }));
    expect(events[0]).toMatchObject({ type: 'meta', recipe: 'tiny-lwt' });
    const result = analyzeHistory(events, { ttlSeconds: params.ttlSeconds, rowIsReachable: tinyLwt.rowIsReachable });
    expect(result.ops.info).toBeGreaterThan(0);
    expect(result.ops.byF['acquire']?.ok).toBeGreaterThan(10);
    expect(result.anomalies).toEqual([]);
    expect(result.verdict).toBe('safe');
  });

  it('has its plain writes tied in tie mode, whatever its columns are called', async () => {
    const plainRelease: Recipe = {
      ...tinyLwt,
      name: 'tiny-plain-release',
      async release(x, key) {
        await x.write('DELETE FROM tiny_locks WHERE id = ?', [key]);
        return { released: true };
      },
    };
    recipes[plainRelease.name] = plainRelease;
    const sent: Array<{ process: number; cql: string }> = [];
    const events = await runFakeCell({ ...params, recipe: plainRelease.name, timestamps: { kind: 'tie' } }, (s) => void sent.push(s));
    // The statement each DELETE's process sent just before it.
    const deletes = sent.flatMap((s, i) =>
      s.cql.startsWith('DELETE') ? [sent.slice(0, i).filter((p) => p.process === s.process).at(-1)?.cql] : [],
    );
    expect(deletes.length).toBeGreaterThan(5);
    // The executor read the row's write time itself, from the table's declared columns, before every DELETE.
    expect(new Set(deletes)).toEqual(new Set(['SELECT writetime(holder) AS w0 FROM tiny_locks WHERE id = ?']));
    const releases = events.filter((e) => e.type === 'ok' && e.f === 'release');
    expect(new Set(releases.map((e) => (e as { cl?: string }).cl))).toEqual(new Set(['QUORUM, QUORUM']));
  });

  it("a recipe's follow-up can be sent at ALL again and again until acknowledged", async () => {
    const events = await runFakeCell(
      { ...params, recipe: insistentCleanUp.name, clients: 1, durationMs: 200 },
      scriptedFaults({ when: { cql: /^INSERT/ }, fault: { kind: 'lost' } }, { when: { cql: /^DELETE/ }, fault: { kind: 'dropped' }, times: 2 }),
    );
    const acquireInfo = events.find((e) => e.type === 'info' && e.f === 'acquire');
    expect(acquireInfo).toBeDefined();
    const owner = (acquireInfo as { owner: string }).owner;
    const releases = events.filter((e) => e.type !== 'invoke' && e.type !== 'meta' && 'f' in e && e.f === 'release' && e.owner === owner);
    expect(releases.map((e) => [e.type, (e as { cl?: string }).cl])).toEqual([
      ['info', 'ALL'],
      ['info', 'ALL'],
      ['ok', 'ALL'],
    ]);
  });
});
