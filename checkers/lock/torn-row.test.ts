import { describe, expect, it } from 'vitest';
import type { HistoryEvent, StatementRecord } from '../../history/index.ts';
import { parseLockstormHistory, readLockstormFile } from '../readers/lockstorm.ts';
import { analyzeHistory } from './analyze.ts';
import { tornRow } from './torn-row.ts';
import { findWith, runChecker } from './testing/run-checker.ts';
import { free, heldByUnknown, HistoryBuilder } from './testing/history-builder.ts';

// The statements of lwt-ttl-plain-release, as its executor records them.
const acquireStmt = (revision: number): StatementRecord => ({
  kind: 'cas',
  cql: 'INSERT INTO flag_locks (id, lock, revision) VALUES (?, true, ?) IF NOT EXISTS USING TTL ?',
  params: ['k', revision, 10],
  cl: 'QUORUM',
  serialCl: 'SERIAL',
  timestamp: null,
  ttl: 10,
  outcome: 'applied',
});
const releaseStmt = (revision: number, timestamp: number): StatementRecord => ({
  kind: 'write',
  cql: 'UPDATE flag_locks SET lock = false, revision = ? WHERE id = ?',
  params: [revision, 'k'],
  cl: 'QUORUM',
  timestamp,
  ttl: null,
  outcome: 'applied',
});
const readStmt: StatementRecord = {
  kind: 'read',
  cql: 'SELECT lock, revision, writetime(lock) AS lock_ts, writetime(revision) AS revision_ts, ttl(lock) AS lock_ttl, ttl(revision) AS revision_ttl FROM flag_locks WHERE id = ?',
  params: ['k'],
  cl: 'ONE',
  timestamp: null,
  ttl: null,
  outcome: 'applied',
};

function record(events: HistoryEvent[], completion: number, statements: StatementRecord[]): void {
  Object.assign(events[completion]!, { statements });
}

/** p1-0 (revision 2000000) acquires and releases at stamp 5000; then a read sees `row`. */
function flagHistory(row: Record<string, unknown>) {
  const h = new HistoryBuilder('lwt-ttl-plain-release', { ttlSeconds: 10 });
  const [, acq] = h.acquire(1, 'k', 'p1-0');
  const [, rel] = h.release(1, 'k', 'p1-0');
  const [, read] = h.read(2, 'k', heldByUnknown(row as never));
  record(h.events, acq, [acquireStmt(2_000_000)]);
  record(h.events, rel, [releaseStmt(2_000_001, 5_000)]);
  record(h.events, read, [readStmt]);
  return { events: h.events, acq, rel, read };
}

describe('torn-row from recorded writes', () => {
  it("flags the acquire's flag beside the release's revision, naming both writes", () => {
    const { events, acq, rel, read } = flagHistory({ lock: true, revision: 2_000_001, lock_ts: 4_000, revision_ts: 5_000, lock_ttl: 9, revision_ttl: null });
    const found = findWith(tornRow, events);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'torn-row', key: 'k', owners: ['p1-0'] });
    expect(found[0]!.witness).toEqual(expect.arrayContaining([acq, rel, read]));
    expect(found[0]!.explanation).toContain('lock = true from the acquire of p1-0');
    expect(found[0]!.explanation).toContain('revision = 2000001 from the release of p1-0');
  });

  it('by values alone, without writetime or ttl columns', () => {
    const { events } = flagHistory({ lock: true, revision: 2_000_001 });
    for (const e of events) if ('statements' in e && e.statements?.[0]?.kind === 'read') e.statements[0] = { ...readStmt, cql: 'SELECT lock, revision FROM flag_locks WHERE id = ?' };
    expect(findWith(tornRow, events).map((a) => a.kind)).toEqual(['torn-row']);
  });

  it('near misses: whole rows of either write, a stamp that belongs to no write, an unrecorded value', () => {
    expect(findWith(tornRow, flagHistory({ lock: false, revision: 2_000_001, lock_ts: 5_000, revision_ts: 5_000, lock_ttl: null, revision_ttl: null }).events)).toEqual([]);
    expect(findWith(tornRow, flagHistory({ lock: true, revision: 2_000_000, lock_ts: 1, revision_ts: 1, lock_ttl: 9, revision_ttl: 9 }).events)).toEqual([]);
    // The release's values with another stamp: no recorded write gave that cell, so not judged, never guessed.
    const odd = runChecker(tornRow, flagHistory({ lock: false, revision: 2_000_001, lock_ts: 7, revision_ts: 5_000, lock_ttl: null, revision_ttl: null }).events);
    expect(odd.anomalies).toEqual([]);
    expect(odd.notJudged).toMatch(/1 row not judged.*lock = false/);
  });

  it('a recipe rule still adds its own judgement', () => {
    const h = new HistoryBuilder();
    h.read(1, 'k', free({ lock: null, revision: 7 }));
    const rule = (row: unknown) => row === null || (row as { lock: unknown }).lock !== null;
    expect(findWith(tornRow, h.events, { rowIsReachable: rule }).map((a) => a.kind)).toEqual(['torn-row']);
    expect(runChecker(tornRow, h.events, { rowIsReachable: rule }).notJudged).toBe("torn-row: no statement records (rows judged by the recipe's own rule only)");
  });

  it('does not judge the partial row an unapplied LWT reports (only its condition’s columns)', () => {
    const h = new HistoryBuilder();
    h.invoke(1, { f: 'release', key: 'k', owner: 'A' });
    h.fail(1, { state: 'free', owner: null, row: { owner: null } });
    expect(findWith(tornRow, h.events, { rowIsReachable: (row) => row === null || typeof row['owner'] === 'string' })).toEqual([]);
  });

  it('an old history without statement records reads, and says torn rows were not judged', () => {
    const events = readLockstormFile(new URL('../../test/fixtures/lwt-ttl-clock-skew.jsonl', import.meta.url).pathname);
    expect(events.some((e) => 'statements' in e)).toBe(false);
    const analysis = analyzeHistory(events, { ttlSeconds: 30 });
    expect(analysis.notJudged).toEqual(['torn-row: no statement records']);
  });

  it('a malformed statement record is bad input naming its line and field', () => {
    const lines = [
      '{"index":0,"time":1,"type":"meta","recipe":"lwt","params":{}}',
      '{"index":1,"time":2,"type":"invoke","process":0,"f":"read","key":"k"}',
      '{"index":2,"time":3,"type":"ok","process":0,"f":"read","key":"k","value":{"state":"free","owner":null,"row":null},"statements":[{"kind":"read","cql":"SELECT owner FROM t WHERE id = ?","params":["k"],"cl":"ONE","timestamp":null,"ttl":null,"outcome":"maybe"}]}',
    ];
    expect(() => parseLockstormHistory(lines.join('\n'))).toThrow(/^3: statements\.0\.outcome: .*"applied"\|"not-applied"\|"error"/);
  });
});
