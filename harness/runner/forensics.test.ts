// Replica forensics on the in-memory executor: after the workload and before the final reads,
// each node is cut off, every key with a ghost lock is read on it at ONE, and the cluster is
// healed; the reads land in the history, and results.json's replica_rows come from them alone.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../checkers/lock/analyze.ts';
import { withReplicaRows, type AnomalyWithReplicas } from '../../checkers/lock/replica-rows.ts';
import { readLockstormFile } from '../../checkers/readers/lockstorm.ts';
import type { HistoryEvent } from '../../history/index.ts';
import type { CellParams } from '../core/cell.ts';
import { HistoryWriter } from '../history/writer.ts';
import { runCell } from './cell.ts';
import { FakeExecutors } from './fake/fake-executor.ts';
import { scriptedFaults } from './fake/faults.ts';
import { VirtualClock } from './fake/virtual-clock.ts';
import { forensicTargets, type ReplicaIsolation } from './forensics.ts';
import { recipes } from '../../workloads/index.ts';

const params: CellParams = {
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

// The first incident's path: the INSERT lands but its reply is lost; its clean-up DELETE is dropped.
const incident = () => scriptedFaults({ when: { cql: /^INSERT/ }, fault: { kind: 'lost' } }, { when: { cql: /^DELETE/ }, fault: { kind: 'dropped' } });

/** Every isolation step in order, and the history's length at each: where it fell among the reads. */
function loggingIsolation(log: string[], history: () => HistoryWriter, unavailable?: string): ReplicaIsolation {
  return {
    ...(unavailable ? { unavailable } : {}),
    isolate: async (node) => void log.push(`isolate ${node} @${history().count}`),
    heal: async () => void log.push(`heal @${history().count}`),
  };
}

async function run(isolation: (h: () => HistoryWriter) => ReplicaIsolation | null): Promise<HistoryEvent[]> {
  const path = join(mkdtempSync(join(tmpdir(), 'lockstorm-forensics-')), 'history.jsonl');
  const clock = new VirtualClock();
  let writer: HistoryWriter | null = null;
  const openHistory = (meta: { recipe: string; params: Record<string, never> }) => (writer = HistoryWriter.create(path, meta));
  await runCell({ executors: new FakeExecutors(clock, params, incident()), openHistory, nemesis: null, isolation: isolation(() => writer!), clock }, params);
  return readLockstormFile(path);
}

describe('replica forensics', () => {
  it('reads every replica of each ghost-locked key on its own, each cut off and healed, all before the first final read', async () => {
    const log: string[] = [];
    const events = await run((h) => loggingIsolation(log, h));
    const ghosts = analyzeHistory(events, { timeoutMs: 10_000 }).anomalies.filter((a) => a.kind === 'ghost-lock');
    expect(ghosts.length).toBeGreaterThan(0);

    const forensic = events.filter((e) => e.type === 'forensic');
    const firstFinal = events.find((e) => e.type === 'invoke' && e.final)!;
    const workload = events.filter((e) => e.type !== 'forensic' && e.index < firstFinal.index);
    const lastWorkload = workload[workload.length - 1]!;
    // Every forensic read after the workload's last event and before the first final read.
    expect(forensic.every((e) => e.index > lastWorkload.index && e.index < firstFinal.index)).toBe(true);
    const keys = [...new Set(ghosts.map((g) => g.key))].sort();
    expect(forensic.map((e) => `${e.node}:${e.key}`)).toEqual(['n1', 'n2', 'n3'].flatMap((n) => keys.map((k) => `${n}:${k}`)));
    expect(forensic.every((e) => e.type === 'forensic' && e.cl === 'ONE' && e.value !== undefined)).toBe(true);

    // Each node is cut off before its reads and the cluster healed after them, one node at a time.
    const at = (e: HistoryEvent) => e.index;
    const byNode = (n: string) => forensic.filter((e) => e.type === 'forensic' && e.node === n).map(at);
    const expected = ['n1', 'n2', 'n3'].flatMap((n) => [`isolate ${n} @${Math.min(...byNode(n))}`, `heal @${Math.max(...byNode(n)) + 1}`]);
    expect(log).toEqual(expected);
    expect(Number(log.at(-1)!.split('@')[1])).toBeLessThanOrEqual(firstFinal.index);
  });

  it('puts the rows on the anomaly in the seed notation, from the history alone', async () => {
    const events = await run((h) => loggingIsolation([], h));
    const anomalies = withReplicaRows(analyzeHistory(events, { timeoutMs: 10_000 }).anomalies, events) as AnomalyWithReplicas[];
    const ghost = anomalies.find((a) => a.kind === 'ghost-lock')!;
    // One store behind every fake node: each replica holds the ghost's lock.
    const row = ghost.replica_rows!['n1'];
    expect(Object.keys(ghost.replica_rows!)).toEqual(['n1', 'n2', 'n3']);
    expect(row).toMatchObject({ owner: ghost.owners[0] });
    expect(ghost.replica_notation).toBe(['n1', 'n2', 'n3'].map((n) => `${n}[Lock ${ghost.owners[0]}]`).join(', '));
    expect(ghost.seen_at).toEqual({ ONE: 'through n1, n2, n3 (3 of 3 replicas)', QUORUM: '3 of 3 replica pairs (n1+n2, n1+n3, n2+n3)', ALL: 'yes: every replica holds it' });
  });

  it('says why forensics were not taken when nodes cannot be cut off, and never takes that for empty replicas', async () => {
    const log: string[] = [];
    const events = await run((h) => loggingIsolation(log, h, 'the memory provider has no net capability'));
    expect(log).toEqual([]);
    const anomalies = withReplicaRows(analyzeHistory(events, { timeoutMs: 10_000 }).anomalies, events) as AnomalyWithReplicas[];
    const ghost = anomalies.find((a) => a.kind === 'ghost-lock')!;
    expect(ghost.replica_rows).toBeUndefined();
    expect(ghost.forensics_not_taken).toBe('the memory provider has no net capability');
  });

  it('targets a key that looks orphaned by its last workload read, since an orphaned lock is only proven by the final reads that follow', () => {
    const held = { state: 'held', owner: 'p0-0', row: { owner: 'p0-0' } };
    const lines = [
      { type: 'meta', recipe: 'write-then-delete', params: { ttlSeconds: 0 } },
      { type: 'invoke', process: 0, f: 'acquire', key: 'k0', owner: 'p0-0' },
      { type: 'info', process: 0, f: 'acquire', key: 'k0', owner: 'p0-0', error: 'timed out' },
      { type: 'invoke', process: 1, f: 'read', key: 'k0' },
      { type: 'ok', process: 1, f: 'read', key: 'k0', value: held },
      { type: 'invoke', process: 1, f: 'read', key: 'k1' },
      { type: 'ok', process: 1, f: 'read', key: 'k1', value: { state: 'free', owner: null, row: null } },
    ];
    const events = lines.map((l, index) => ({ index, time: index * 1000, ...l })) as HistoryEvent[];
    expect(forensicTargets(events, recipes['write-then-delete']!)).toEqual(['k0']);
    // Without the read that saw it, nothing points at k0.
    expect(forensicTargets(events.slice(0, 3), recipes['write-then-delete']!)).toEqual([]);
  });
});
