// Whether each node answers CQL through its own proxy: what "serves clients" means for a cluster
// lockstorm reaches only through the proxies it put in front of it.
import type { Cluster, NodeName } from './cluster.ts';
import { connectPinned } from './driver.ts';

/** Undefined when `SELECT … FROM system.local` answers through this node's proxy, else why not. */
export async function cqlProblem(cluster: Cluster, node: NodeName, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const client = await connectPinned(cluster, node, { requestTimeoutMs: timeoutMs });
    try {
      await client.execute('SELECT release_version FROM system.local');
      return undefined;
    } finally {
      await client.shutdown();
    }
  } catch (err) {
    return `${node}: ${(err as Error).message.split('\n')[0]}`;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}
