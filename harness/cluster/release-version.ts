// Which Cassandra release a running cluster really is: every node's `release_version` from its
// own system.local, read through that node's contact point (versions.ts checks it against the
// release asked for).
import type { Cluster, NodeName } from './cluster.ts';
import { connectPinned } from './driver.ts';
import type { JsonValue } from '../../history/index.ts';

/** Each node's release_version (through its proxy); rejects naming the node that did not answer. */
export async function readReleaseVersions(cluster: Pick<Cluster, 'nodes' | 'proxies'>): Promise<Record<string, string>> {
  const entries = await Promise.all(
    cluster.nodes.map(async (n): Promise<[NodeName, string]> => {
      const client = await connectPinned(cluster as Cluster, n.name, { requestTimeoutMs: 10_000 });
      try {
        const rs = await client.execute('SELECT release_version FROM system.local');
        const v = rs.first()?.get('release_version');
        if (typeof v !== 'string' || v === '') throw new Error(`${n.name}: system.local has no release_version`);
        return [n.name, v];
      } finally {
        await client.shutdown();
      }
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * What a cell's history records about its server (in the meta line's params): the settings the
 * cluster was started with, and the release each node reported when it started.
 */
export function serverMeta(cluster: Pick<Cluster, 'settings' | 'serverVersion'>): { server: JsonValue; release_version?: JsonValue } {
  return {
    server: JSON.parse(JSON.stringify(cluster.settings)) as JsonValue,
    ...(cluster.serverVersion ? { release_version: { ...cluster.serverVersion.reported } } : {}),
  };
}
