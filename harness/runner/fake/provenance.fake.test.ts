// Torn rows judged from recorded statements, on whole cells run by the in-memory executor: a
// history the store really produced never shows one, and every torn row found among rows built
// by mixing the cells of two recorded writes is one that no order of whole writes leaves.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../../checkers/lock/analyze.ts';
import { judgeRow, recordedWrites, type RecordedWrite } from '../../../checkers/lock/provenance.ts';
import { isOkRead } from '../../../checkers/lock/operations.ts';
import { pairHistory, type HistoryEvent, type JsonValue, type StatementRecord } from '../../../history/index.ts';
import type { CellParams, TimestampMode } from '../../core/cell.ts';
import { randomFaults } from './faults.ts';
import { runFakeCell } from './run-fake.ts';

const base: CellParams = {
  name: 'fake',
  recipe: 'lwt-ttl-plain-release',
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  ttlSeconds: 3_600,
  keys: 2,
  clients: 4,
  durationMs: 1_500,
  opTimeoutMs: 300,
  thinkMs: 30,
  seed: 1,
  timestamps: { kind: 'driver' },
  nemesis: null,
};

function cell(params: CellParams, faultSeed: number): Promise<HistoryEvent[]> {
  return runFakeCell(params, randomFaults(faultSeed, { lost: 0.05, late: 0.05, dropped: 0.03, failed: 0.03, lateMaxMs: 800 }));
}

const modes: TimestampMode[] = [{ kind: 'driver' }, { kind: 'server' }, { kind: 'tie' }, { kind: 'skewed', offsetMs: -400 }, { kind: 'quantized', unitMs: 50 }];

describe('torn rows from recorded statements, on histories the in-memory store produced', () => {
  it('never finds one, and judges every row', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('lwt-ttl-plain-release', 'lwt', 'write-then-delete', 'lwt-plain-delete'),
        fc.constantFrom(...modes),
        fc.integer({ min: 1, max: 1_000 }),
        async (recipe, timestamps, seed) => {
          const events = await cell({ ...base, recipe, timestamps, seed }, seed);
          const analysis = analyzeHistory(events, { timeoutMs: 5_000 });
          expect(analysis.anomalies.filter((a) => a.kind === 'torn-row')).toEqual([]);
          expect(analysis.notJudged ?? []).toEqual([]);
          expect(events.filter((e) => e.type === 'ok' && e.f === 'read' && e.value.row !== null).length).toBeGreaterThan(3);
        },
      ),
      { numRuns: 25 },
    );
  });
});

/** The row whole writes leave when applied in this order, each cell kept unless a write as new or newer comes. */
function replay(order: readonly RecordedWrite[], columns: readonly string[]): Map<string, { value: JsonValue; ts: number | null }> {
  const cells = new Map<string, { value: JsonValue; ts: number | null }>();
  for (const w of order) {
    for (const c of columns) {
      if (!w.cells.has(c)) continue;
      const old = cells.get(c);
      if (old && old.ts !== null && w.timestamp !== null && w.timestamp < old.ts) continue;
      cells.set(c, { value: w.cells.get(c)!, ts: w.timestamp });
    }
  }
  return cells;
}

/** Whether a replayed row shows the observed cells: their values, and their stamps where the read carries them. */
function shows(replayed: ReturnType<typeof replay>, observed: Record<string, { value: JsonValue; ts: number | null }>): boolean {
  return Object.entries(observed).every(([c, o]) => {
    const r = replayed.get(c);
    return r !== undefined && r.value === o.value && (o.ts === null || r.ts === null || r.ts === o.ts);
  });
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('torn rows found among mixed rows', () => {
  let histories: HistoryEvent[][] = [];
  beforeAll(async () => {
    histories = await Promise.all([11, 12, 13].map((seed) => cell({ ...base, seed, timestamps: seed === 12 ? { kind: 'tie' } : { kind: 'driver' } }, seed)));
  });

  it('are each confirmed by replaying the writes their cells came from, in every order', () => {
    let torn = 0;
    let whole = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.boolean(), fc.boolean(), (h, a, b, lockFromA, withStamps) => {
        const events = histories[h % histories.length]!;
        const writes = [...recordedWrites(pairHistory(events)).writes.values()].flat().filter((w) => w.kind !== 'delete' && w.cells.has('lock'));
        const keyOf = (w: RecordedWrite) => String(w.cells.get('id') ?? w.key);
        const wa = writes[a % writes.length]!;
        const sameKey = writes.filter((w) => keyOf(w) === keyOf(wa));
        const wb = sameKey[b % sameKey.length]!;
        const from = (w: RecordedWrite, c: string) => ({ value: w.cells.get(c)!, ts: w.timestamp });
        const lock = from(lockFromA ? wa : wb, 'lock');
        const revision = from(lockFromA ? wb : wa, 'revision');
        const key = keyOf(wa);
        // The mixed row, read by a fresh process after everything else.
        const last = events.at(-2)!;
        const readStmt: StatementRecord = {
          kind: 'read',
          cql: withStamps
            ? 'SELECT lock, revision, writetime(lock) AS lock_ts, writetime(revision) AS revision_ts FROM flag_locks WHERE id = ?'
            : 'SELECT lock, revision FROM flag_locks WHERE id = ?',
          params: [key],
          cl: 'ALL',
          timestamp: null,
          ttl: null,
          outcome: 'applied',
        };
        const row: Record<string, JsonValue> = { lock: lock.value, revision: revision.value, ...(withStamps ? { lock_ts: lock.ts, revision_ts: revision.ts } : {}) };
        const mixed: HistoryEvent[] = [
          ...events.slice(0, -1),
          { index: last.index + 1, time: last.time + 1, type: 'invoke', process: 99_999, f: 'read', key },
          { index: last.index + 2, time: last.time + 2, type: 'ok', process: 99_999, f: 'read', key, value: { state: 'free', owner: null, row }, statements: [readStmt] },
        ];
        const paired = pairHistory(mixed);
        const read = paired.ops.at(-1)!;
        if (!isOkRead(read)) throw new Error('the mixed read did not pair');
        const j = judgeRow(read, paired, recordedWrites(paired));
        expect(j.judged).toBe(true);
        if (!j.judged || !j.torn) {
          whole++;
          return;
        }
        torn++;
        const sources = [...new Set(j.sources.map((s) => s.write))];
        expect(sources.length).toBeGreaterThan(1);
        const observed = withStamps ? { lock, revision } : { lock: { ...lock, ts: null }, revision: { ...revision, ts: null } };
        for (const order of permutations(sources)) expect(shows(replay(order, ['lock', 'revision']), observed), JSON.stringify(order.map((w) => [...w.cells, w.timestamp]))).toBe(false);
      }),
      { numRuns: 300, seed: 5 },
    );
    // Not vacuous: both kinds of row come up.
    expect(torn).toBeGreaterThan(20);
    expect(whole).toBeGreaterThan(20);
  });
});
