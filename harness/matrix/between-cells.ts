// What separates two cells on one cluster: no fault left behind, every node UN, and no lock row
// from the previous cell (a leftover row would read as a held lock nobody acquired).
import type { Cluster } from '../cluster/cluster.ts';
import { connectPinned } from '../cluster/driver.ts';
import { healAll } from '../nemesis/index.ts';

const TRUNCATE_TIMEOUT_MS = 120_000;

export async function truncateKeyspace(cluster: Cluster): Promise<number> {
  const node = cluster.nodes[0];
  if (!node) throw new Error('the cluster has no nodes');
  const client = await connectPinned(cluster, node.name, { requestTimeoutMs: TRUNCATE_TIMEOUT_MS });
  try {
    const rs = await client.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [cluster.keyspace], { prepare: true });
    const tables = rs.rows.map((r) => String(r['table_name']));
    for (const table of tables) {
      await client.execute(`TRUNCATE "${cluster.keyspace}"."${table.replace(/"/g, '""')}"`, [], { readTimeout: TRUNCATE_TIMEOUT_MS });
    }
    return tables.length;
  } finally {
    await client.shutdown();
  }
}

export async function resetBetweenCells(cluster: Cluster): Promise<void> {
  await healAll(cluster);
  await cluster.waitHealthy();
  await truncateKeyspace(cluster);
}
