// A Cassandra 4.x cluster, kept short: the 4.1 image (Java 11, bullseye base) starts, every node
// reports the release asked for, an LWT applies, `cluster.settings` reach cassandra.yaml, and
// libfaketime moves one node's clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type cassandra from 'cassandra-driver';
import { cleanAll, connectPinned, type Cluster } from './index.ts';
import { ownCluster } from '../../test/support/clusters.ts';
import { LINES } from './versions.ts';

const VERSION = LINES['4.1'].newest;
let cluster: Cluster;

async function withClient<T>(c: cassandra.Client, f: (c: cassandra.Client) => Promise<T>): Promise<T> {
  try {
    return await f(c);
  } finally {
    await c.shutdown();
  }
}

beforeAll(async () => {
  cluster = await ownCluster({ cassandraVersion: '4.1', yaml: { paxos_state_purging: 'repaired' } });
});

afterAll(async () => {
  await cluster?.teardown();
  await cleanAll();
});

describe(`a Cassandra ${VERSION} cluster`, () => {
  it('every node reports the release asked for, read through its own proxy', () => {
    expect(cluster.settings.cassandraVersion).toBe(VERSION);
    expect(cluster.serverVersion).toEqual({ asked: VERSION, reported: { n1: VERSION, n2: VERSION, n3: VERSION } });
  });

  it('runs with the cassandra.yaml overrides and the Paxos variant it was given', async () => {
    const rs = await withClient(await connectPinned(cluster, 'n2'), (c) =>
      c.execute("SELECT name, value FROM system_views.settings WHERE name IN ('paxos_state_purging', 'paxos_variant')"),
    );
    expect(Object.fromEntries(rs.rows.map((r) => [String(r.get('name')), String(r.get('value'))]))).toEqual({
      paxos_state_purging: 'repaired',
      paxos_variant: 'v2',
    });
  });

  it('applies an LWT once', async () => {
    await withClient(await connectPinned(cluster, 'n1', { keyspace: cluster.keyspace }), async (c) => {
      await c.execute('CREATE TABLE IF NOT EXISTS kv (k text PRIMARY KEY, v text)');
      const key = `lwt-${Date.now()}`;
      expect((await c.execute('INSERT INTO kv (k, v) VALUES (?, ?) IF NOT EXISTS', [key, 'a'], { prepare: true })).wasApplied()).toBe(true);
      const second = await c.execute('INSERT INTO kv (k, v) VALUES (?, ?) IF NOT EXISTS', [key, 'b'], { prepare: true });
      expect(second.wasApplied()).toBe(false);
      expect(second.first()?.get('v')).toBe('a');
    });
  });

  it('moves one node’s clock through libfaketime, and back', async () => {
    const clock = cluster.capabilities.clock!;
    const nodeNow = async (node: string) =>
      withClient(await connectPinned(cluster, node), async (c) => {
        const rs = await c.execute('SELECT toUnixTimestamp(now()) AS t FROM system.local');
        return (rs.first()!.get('t') as cassandra.types.Long).toNumber();
      });
    await clock.setOffsets(new Map([['n3', 5_000]]));
    try {
      // setOffsets returns once libfaketime has re-read its file, so the first look sees the skew.
      const n1 = await nodeNow('n1');
      const skew = (await nodeNow('n3')) - n1;
      expect(skew).toBeGreaterThan(3_000);
      expect(skew).toBeLessThan(7_000);
    } finally {
      await clock.setOffsets(new Map([['n3', 0]]));
    }
    expect(Math.abs((await nodeNow('n3')) - Date.now())).toBeLessThan(5_000);
  });
});

