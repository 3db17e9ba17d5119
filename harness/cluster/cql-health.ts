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

/**
 * Asks `problems` every `pollMs` until it finds none; past `timeoutMs`, throws `failure` of the
 * whole seconds waited and the last problems seen. Every provider's waitHealthy is this loop.
 */
export async function waitForNoProblems(
  problems: () => Promise<string[]>,
  timeoutMs: number,
  pollMs: number,
  failure: (seconds: number, last: string) => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const found = await problems();
    if (found.length === 0) return;
    last = found.join('; ');
    await sleep(pollMs);
  }
  throw new Error(failure(Math.round(timeoutMs / 1000), last));
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}
