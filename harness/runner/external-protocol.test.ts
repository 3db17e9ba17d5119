// A whole cell on an external client with no cluster: runCell driving real child processes (the
// protocol fixture, harness/client/external/fixtures/fake-client.mjs) through ExternalSessions.
// Each protocol failure lands in the history as one `info` line with its reason, the process is
// retired and a fresh child serves its successor; the report counts them per kind; a client
// that reports no writes leaves torn rows not judged.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../checkers/lock/analyze.ts';
import { readLockstormFile } from '../../checkers/readers/lockstorm.ts';
import type { CellParams } from '../core/cell.ts';
import { ExternalSession } from '../client/external/session.ts';
import { ReportedTables } from '../client/external/writes.ts';
import { HistoryWriter } from '../history/writer.ts';
import { clientErrors } from '../report/client-errors.ts';
import { runCell, type ExecutorFactory } from './cell.ts';
import { realClock } from './clock.ts';

const FAKE = join(import.meta.dirname, '..', 'client', 'external', 'fixtures', 'fake-client.mjs');

const params: CellParams = {
  name: 'fake-lock',
  recipe: 'fake-lock',
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  ttlSeconds: 30,
  keys: 2,
  clients: 1,
  durationMs: 1_500,
  opTimeoutMs: 200,
  seed: 1,
  timestamps: { kind: 'server' },
  nemesis: null,
};

async function runExternal(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'lockstorm-external-cell-'));
  const command = [process.execPath, FAKE, ...args];
  const tables = new ReportedTables();
  const executors: ExecutorFactory = {
    nodes: ['n1'],
    prepare: async () => undefined,
    async open(p, node, opTimeoutMs) {
      const s = new ExternalSession(
        {
          command,
          cwd: dir,
          logDir: join(dir, 'clients'),
          opTimeoutMs,
          tables,
          common: (process) => ({
            process,
            contact_points: [`${node}:9042`],
            keyspace: 'ks_clients',
            local_dc: 'datacenter1',
            settings: { ttl_s: 30, write_cl: 'QUORUM', read_cl: 'QUORUM', serial_cl: 'SERIAL', op_timeout_ms: opTimeoutMs, timestamps: 'server' },
          }),
        },
        p,
      );
      await s.start();
      return s;
    },
  };
  const path = join(dir, 'history.jsonl');
  await runCell(
    { executors, openHistory: (meta) => HistoryWriter.create(path, meta), nemesis: null, clock: realClock },
    params,
    { recipe: { kind: 'command', name: 'fake-lock', command, cwd: dir } },
  );
  return { events: readLockstormFile(path), dir };
}

describe('a cell on an external client', () => {
  it('records a wrong reply id as one info line, retires the process, and a fresh child takes over', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'lockstorm-marker-')), 'once');
    const { events, dir } = await runExternal(['wrong-id', '3', marker]);
    const meta = events[0]!;
    expect(meta.type === 'meta' && meta.recipe).toBe('fake-lock');
    const bad = events.filter((e) => e.type === 'info');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ process: 0, error: expect.stringMatching(/^client protocol: reply id \d+ does not answer request id 3; the client was killed$/) });
    // Its successor (process 1) ran operations on a child of its own.
    const after = events.filter((e) => e.index > bad[0]!.index && (e.type === 'ok' || e.type === 'fail'));
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.filter((e) => !('final' in e)).map((e) => (e as { process: number }).process))).toContain(1);
    expect(existsSync(join(dir, 'clients', 'p1.log'))).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'complete' });
    expect(clientErrors(events)).toEqual([
      `a reply to another request: 1 operation (first: event ${bad[0]!.index}, process 0: ${(bad[0] as { error: string }).error.replace(/; the client was killed$/, '')})`,
    ]);
    // The fake reports its writes: torn rows are judged.
    expect(analyzeHistory(events).notJudged ?? []).not.toContainEqual(expect.stringMatching(/^torn-row/));
  });

  it('a client that reports no writes: the report says torn rows were not judged', async () => {
    const { events } = await runExternal(['no-writes', '0']);
    expect(events.some((e) => e.type === 'ok' && e.f === 'acquire')).toBe(true);
    expect(analyzeHistory(events).notJudged).toContain('torn-row: no statement records');
  });
});
