// Per-node clock skew: libfaketime in the Cassandra image reads its offset from a file on every
// cache period (FAKETIME_CACHE_DURATION=1), so writing the file moves that node's JVM wall clock
// within about a second, without touching the host clock. "+0" is the healthy value.

import type { Cluster, NodeName } from '../cluster/cluster.ts';
import type { ClockFault } from './faults.ts';
import { errorText, type FaultFamily } from './family.ts';

export const FAKETIME_FILE = '/var/lib/lockstorm/faketime';
const HEALTHY = '+0';
/** libfaketime re-reads the file at most once a second; wait past that before trusting it. */
const CACHE_SETTLE_MS = 1_200;

/** libfaketime's relative format: signed seconds, '.' as the decimal point (C locale). */
export function faketimeOffset(ms: number): string {
  if (ms === 0) return HEALTHY;
  const sign = ms < 0 ? '-' : '+';
  return `${sign}${(Math.abs(ms) / 1000).toFixed(3).replace(/\.?0+$/, '')}`;
}

async function writeOffset(cluster: Cluster, node: NodeName, value: string): Promise<void> {
  // Write then rename, so libfaketime never reads a truncated, empty file mid-write.
  await cluster.exec(node, ['sh', '-c', `printf '%s\\n' '${value}' > ${FAKETIME_FILE}.tmp && mv ${FAKETIME_FILE}.tmp ${FAKETIME_FILE}`]);
}

export async function readOffset(cluster: Cluster, node: NodeName): Promise<string> {
  return (await cluster.exec(node, ['cat', FAKETIME_FILE])).trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const clockFamily: FaultFamily<ClockFault> = {
  async start(cluster, fault) {
    for (const node of fault.targets) await writeOffset(cluster, node, faketimeOffset(fault.offsetsMs[node] ?? 0));
    await sleep(CACHE_SETTLE_MS);
  },
  async stop(cluster, fault) {
    for (const node of fault.targets) await writeOffset(cluster, node, HEALTHY);
    await sleep(CACHE_SETTLE_MS);
  },
  async heal(cluster) {
    let changed = false;
    for (const { name } of cluster.nodes) {
      const current = await readOffset(cluster, name).catch(() => null);
      if (current !== HEALTHY) {
        await writeOffset(cluster, name, HEALTHY);
        changed = true;
      }
    }
    if (changed) await sleep(CACHE_SETTLE_MS);
  },
  async problems(cluster) {
    const out: string[] = [];
    for (const { name } of cluster.nodes) {
      try {
        const current = await readOffset(cluster, name);
        if (current !== HEALTHY) out.push(`${name}: clock offset is "${current}", not "${HEALTHY}"`);
      } catch (err) {
        out.push(`${name}: cannot read ${FAKETIME_FILE}: ${errorText(err)}`);
      }
    }
    return out;
  },
};
