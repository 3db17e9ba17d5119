// lockstorm's own keyspace on a cluster it did not start: created with the replication the config
// gives when absent, left as it is when present. No other keyspace is ever named.
import type { Cluster } from '../cluster.ts';
import { connectPinned } from '../driver.ts';

/** The replication map as CQL: every key and value a quoted string literal. */
export function replicationCql(replication: Readonly<Record<string, string | number>>): string {
  const lit = (v: string | number) => `'${String(v).replace(/'/g, "''")}'`;
  return `{${Object.keys(replication)
    .map((k) => `${lit(k)}: ${lit(replication[k]!)}`)
    .join(', ')}}`;
}

export async function ensureKeyspace(cluster: Cluster, replication: Readonly<Record<string, string | number>>): Promise<'created' | 'present'> {
  const client = await connectPinned(cluster, cluster.nodes[0]!.name, { requestTimeoutMs: 30_000 });
  try {
    const rs = await client.execute('SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?', [cluster.keyspace], { prepare: true });
    if (rs.rowLength > 0) return 'present';
    // The keyspace name passed the config's pattern (lower-case identifier): safe to write bare.
    await client.execute(`CREATE KEYSPACE IF NOT EXISTS ${cluster.keyspace} WITH replication = ${replicationCql(replication)}`);
    return 'created';
  } finally {
    await client.shutdown();
  }
}
