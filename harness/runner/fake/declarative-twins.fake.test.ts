// Every built-in recipe has a declarative twin in examples/recipes/: run side by side on the
// in-memory executor with the same seed, the same faults and the same timestamp mode, the twin
// must record the very same history — every operation, outcome, level and statement — and
// so get the same verdict.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../../checkers/lock/analyze.ts';
import type { HistoryEvent } from '../../../history/index.ts';
import { recipes } from '../../../workloads/index.ts';
import type { Recipe, Row } from '../../../workloads/recipe.ts';
import { CLEANUP_ATTEMPTS } from '../../../workloads/write-then-delete-retry.ts';
import { UserError } from '../../core/errors.ts';
import type { CellParams, TimestampMode } from '../../core/cell.ts';
import { loadDeclarative } from '../../config/resolve-recipes.ts';
import { randomFaults, scriptedFaults } from './faults.ts';
import { runFakeCell } from './run-fake.ts';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples/recipes');

async function twinOf(name: string): Promise<Recipe> {
  const path = resolve(EXAMPLES, `${name}.yaml`);
  return loadDeclarative(name, path, (d) => new UserError(`${path}: ${d}`));
}

const base: CellParams = {
  name: 'twins',
  recipe: 'lwt',
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  ttlSeconds: 2,
  keys: 2,
  clients: 4,
  durationMs: 4_000,
  opTimeoutMs: 300,
  thinkMs: 20,
  seed: 1,
  timestamps: { kind: 'driver' },
  nemesis: null,
};

const faults = (seed: number) => randomFaults(seed, { lost: 0.06, late: 0.06, dropped: 0.04, failed: 0.04, lateMaxMs: 900, kinds: ['write', 'cas', 'read'] });

const modes: TimestampMode[] = [{ kind: 'driver' }, { kind: 'tie' }, { kind: 'skewed', offsetMs: -400 }];

/** The writer stamps events with the process's own clock, not the virtual one: everything else must match. */
const untimed = (events: HistoryEvent[]) => events.map(({ time: _, ...rest }) => rest);

function verdict(events: HistoryEvent[], recipe: Recipe) {
  const a = analyzeHistory(events, { ttlSeconds: base.ttlSeconds, rowIsReachable: (row) => recipe.rowIsReachable(row), timeoutMs: 30_000 });
  return { verdict: a.verdict, kinds: a.anomalies.map((x) => x.kind).sort() };
}

describe('declarative twins of the built-in recipes', () => {
  it('there is a twin for every built-in, and no twin without one', async () => {
    const { readdirSync } = await import('node:fs');
    const twins = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    expect(twins.sort()).toEqual(Object.keys(recipes).sort());
  });

  for (const name of Object.keys(recipes)) {
    it(`${name}: the same history as the TypeScript recipe under random faults, in each timestamp mode`, async () => {
      const original = recipes[name]!;
      const twin = await twinOf(name);
      expect(twin.table).toBe(original.table);
      expect(twin.schema('ks')).toEqual(original.schema('ks'));
      const seen = { info: 0, refused: 0, acquired: 0, followUps: 0 };
      for (const [i, timestamps] of modes.entries()) {
        const seed = 17 + i;
        const params = { ...base, recipe: name, seed, timestamps };
        const ts = await runFakeCell(params, faults(seed));
        const yaml = await runFakeCell(params, faults(seed), { kind: 'file', name, path: `${name}.yaml`, recipe: twin });
        expect(untimed(yaml)).toEqual(untimed(ts));
        expect(verdict(yaml, twin)).toEqual(verdict(ts, original));
        // Every row either recipe read is judged alike by both row rules.
        for (const e of ts) if (e.type === 'ok' && e.f === 'read') expect(twin.rowIsReachable(e.value.row)).toBe(original.rowIsReachable(e.value.row));
        seen.info += ts.filter((e) => e.type === 'info').length;
        seen.refused += ts.filter((e) => e.type === 'fail' && e.f === 'acquire' && e.error === undefined).length;
        seen.acquired += ts.filter((e) => e.type === 'ok' && e.f === 'acquire').length;
        seen.followUps += original.afterAcquireError ? ts.filter((e) => e.type === 'invoke' && e.f === 'release' && e.owner !== undefined).length : 0;
      }
      // The comparison covered every path: acquires taken and refused, indeterminate outcomes.
      expect(seen.acquired).toBeGreaterThan(10);
      expect(seen.refused).toBeGreaterThan(5);
      expect(seen.info).toBeGreaterThan(2);
    });
  }

  it('the clean-up after an acquire error is the same: one DELETE, or DELETEs at ALL until one is acknowledged', async () => {
    for (const name of ['write-then-delete', 'write-then-delete-retry']) {
      // Process 0's first INSERT loses its reply; its next 25 DELETEs are dropped.
      const script = () => scriptedFaults({ when: { process: 0, cql: /^INSERT/ }, fault: { kind: 'lost' } }, { when: { process: 0, cql: /^DELETE/ }, fault: { kind: 'dropped' }, times: 25 });
      const params = { ...base, recipe: name, clients: 1, durationMs: 200 };
      const ts = await runFakeCell(params, script());
      const yaml = await runFakeCell(params, script(), { kind: 'file', name, path: `${name}.yaml`, recipe: await twinOf(name) });
      expect(untimed(yaml)).toEqual(untimed(ts));
      const cleanUps = ts.filter((e) => e.type === 'info' && e.f === 'release').length;
      expect(cleanUps).toBe(name === 'write-then-delete' ? 1 : CLEANUP_ATTEMPTS);
    }
  });

  it('the flag-flip fallback is taken: a released row is re-acquired by its UPDATE … IF lock = false', async () => {
    const events = await runFakeCell({ ...base, recipe: 'lwt-ttl-plain-release', ttlSeconds: 3_600 }, undefined, {
      kind: 'file',
      name: 'lwt-ttl-plain-release',
      path: 'lwt-ttl-plain-release.yaml',
      recipe: await twinOf('lwt-ttl-plain-release'),
    });
    const flips = events.filter((e) => e.type === 'ok' && e.f === 'acquire' && e.statements?.some((s) => s.cql.startsWith('UPDATE flag_locks USING TTL')));
    expect(flips.length).toBeGreaterThan(0);
  });

  it('the row rules agree on torn and whole rows', async () => {
    const rows: (Row | null)[] = [null, { owner: 'p1-2' }, { owner: null }, { lock: true, revision: 3_000_017 }, { lock: false, revision: 3_000_017 }, { lock: null, revision: 4 }, { lock: true, revision: null }];
    for (const name of Object.keys(recipes)) {
      const twin = await twinOf(name);
      const columns = twin.schema('ks')[0]!;
      for (const row of rows) {
        if (row && !Object.keys(row).every((c) => columns.includes(` ${c} `))) continue;
        expect([name, row, twin.rowIsReachable(row)]).toEqual([name, row, recipes[name]!.rowIsReachable(row)]);
      }
    }
  });
});
