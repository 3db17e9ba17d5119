// The example external clients (examples/clients/, docs/clients.md) on a real cluster: the Python
// client on the DataStax Python driver and the Java client on the DataStax Java driver 4.x, each
// under client-link cuts, through the runner as a config would run them. And a client that goes
// around its contact point (the Python client unpinned, as a driver left to its defaults is) is
// caught and named. `lockstorm setup` (npm test runs it first) builds both clients.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../checkers/lock/analyze.ts';
import { readLockstormFile } from '../../checkers/readers/lockstorm.ts';
import type { HistoryEvent } from '../../history/index.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { sharedCluster } from '../../test/support/clusters.ts';
import type { CellParams } from '../core/cell.ts';
import { JAVA_JAR, PYTHON_VENV } from '../cli/example-clients.ts';
import { runCellOnCluster } from './cluster-cell.ts';

const CLIENTS = join(import.meta.dirname, '..', '..', 'examples', 'clients');
const python = (...args: string[]) => [join(PYTHON_VENV, 'bin', 'python'), join(CLIENTS, 'python', 'lock_client.py'), ...args];
const java = (...args: string[]) => ['java', '-jar', JAVA_JAR, ...args];

const base: Omit<CellParams, 'name' | 'recipe'> = {
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  ttlSeconds: 20,
  keys: 2,
  clients: 3,
  durationMs: 14_000,
  opTimeoutMs: 1_000,
  seed: 12,
  timestamps: { kind: 'server' },
  // Every client link dropped or its replies lost, in turn: the clients' own proxies are cut.
  nemesis: { faults: ['link-down', 'reply-lost'], onMs: 3_000, offMs: 3_000, params: { linkTargets: 'all' } },
};

async function runClient(cluster: Cluster, name: string, command: string[], over: Partial<CellParams> = {}) {
  const path = join(mkdtempSync(join(tmpdir(), `lockstorm-${name}-`)), 'cells', name, 'history.jsonl');
  const params: CellParams = { ...base, name, recipe: name, ...over };
  await runCellOnCluster(cluster, params, path, { recipe: { kind: 'command', name, command, cwd: CLIENTS } });
  return { events: readLockstormFile(path), clients: join(dirname(path), 'clients') };
}

const workload = (events: HistoryEvent[]) => events.filter((e) => (e.type === 'ok' || e.type === 'fail' || e.type === 'info') && !('final' in e && e.final));

describe('example external clients on a real cluster', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    expect(existsSync(JAVA_JAR), `${JAVA_JAR} is missing: run lockstorm setup`).toBe(true);
    cluster = await sharedCluster({ paxosVariant: 'v2' });
  });

  for (const [client, command] of [
    ['python', python('--recipe', 'lwt')],
    ['java', java('--recipe', 'lwt')],
  ] as const) {
    it(`${client} client, all-LWT recipe, under client-link cuts: complete, answered, safe`, async () => {
      const { events, clients } = await runClient(cluster, `${client}-lwt`, [...command]);
      expect(events.at(-1)).toMatchObject({ type: 'end', status: 'complete' });
      expect(events.filter((e) => e.type === 'nemesis' && e.phase === 'start').length).toBeGreaterThanOrEqual(2);
      const ops = workload(events);
      // The cuts were felt (indeterminate or refused operations) and the client went on.
      expect(ops.filter((e) => e.type === 'ok').length).toBeGreaterThan(10);
      expect(ops.filter((e) => e.type === 'info' || (e.type === 'fail' && e.error !== undefined)).length).toBeGreaterThan(0);
      // Final reads at SERIAL and ALL, answered by a fresh client.
      expect(events.filter((e) => e.type === 'ok' && e.f === 'read' && e.process >= 3).length).toBeGreaterThanOrEqual(4);
      // Its writes were reported, so torn rows were judged; the all-LWT lock holds.
      const analysis = analyzeHistory(events, { ttlSeconds: 20 });
      expect(analysis.notJudged ?? []).not.toContainEqual(expect.stringMatching(/^torn-row: no statement records/));
      expect(analysis.anomalies).toEqual([]);
      expect(readdirSync(clients)).toContain('setup.log');
      expect(readFileSync(join(clients, 'p0.log'), 'utf8')).toMatch(/connected to .* \(recipe lwt, pinned=(True|true)\)/);
    });
  }

  it('java client, incident recipe, under cuts with releases stamped 1.5 s behind: complete, with lost releases', async () => {
    const { events } = await runClient(cluster, 'java-incident', java('--recipe', 'lwt-ttl-plain-release'), {
      timestamps: { kind: 'skewed', offsetMs: -1_500 },
      clients: 4,
    });
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'complete' });
    const analysis = analyzeHistory(events, { ttlSeconds: 20 });
    expect(analysis.anomalies.map((a) => a.kind)).toContain('lost-release');
  });

  it('a client that goes around its contact point is caught and named', async () => {
    const { events } = await runClient(cluster, 'python-unpinned', python('--recipe', 'lwt', '--unpinned'), { nemesis: null, durationMs: 5_000, clients: 1 });
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'end', status: 'failed' });
    const reason = (end?.type === 'end' ? end.reason : undefined) ?? '';
    expect(reason).toMatch(/^client python-unpinned reached Cassandra around its contact point \(peer discovery\): p0 → /);
    // The node addresses it reached are the other nodes' own, from system.peers.
    const others = cluster.nodes.slice(1).map((n) => `${n.address}:9042`);
    expect(others.some((a) => reason.includes(a))).toBe(true);
  });
});
