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
    // All at once: each TRUNCATE still needs every node and returns only once every node has
    // emptied that table; one after the other they only queue behind each other's flushes.
    await Promise.all(
      tables.map((table) => client.execute(`TRUNCATE "${cluster.keyspace}"."${table.replace(/"/g, '""')}"`, [], { readTimeout: TRUNCATE_TIMEOUT_MS })),
    );
    return tables.length;
  } finally {
    await client.shutdown();
  }
}

/** Called as each step ends, with its duration (bench/between-cells.ts). */
export type OnStep = (step: string, ms: number) => void;

export async function timed<T>(step: string, onStep: OnStep | undefined, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    onStep?.(step, performance.now() - t0);
  }
}

/**
 * healAll undoes every fault and then proves the cluster healthy itself (every node UN as every
 * node sees it, one schema, CQL through every proxy, each family's own check clean): asking
 * again right after it would prove nothing new. `healedAtEnd`: the cell before ended with that
 * proof (runCell's CellOutcome), and nothing has touched the cluster since, so it is not asked again.
 */
export async function resetBetweenCells(
  cluster: Cluster,
  onStep?: OnStep,
  healedAtEnd = false,
  truncate: (c: Cluster) => Promise<unknown> = truncateKeyspace,
): Promise<void> {
  if (!healedAtEnd) await timed('heal and verify', onStep, () => healAll(cluster));
  await timed('truncate', onStep, () => truncate(cluster));
}
