// Partitions between Cassandra nodes, made with iptables inside each node's container (the
// containers have NET_ADMIN). Every rule lives in our own chain, jumped to from INPUT, so healing
// is one flush that cannot disturb anything else. DROP (not REJECT): a partitioned peer goes
// silent, as in a real network split, and the failure detector has to notice it.

import type { Cluster, NodeName } from '../cluster/cluster.ts';
import type { PartitionFault } from './faults.ts';
import { errorText, type FaultFamily } from './family.ts';

export const CHAIN = 'lockstorm';

function addressOf(cluster: Cluster, node: NodeName): string {
  const info = cluster.nodes.find((n) => n.name === node);
  if (!info) throw new Error(`partition: no node named ${node}`);
  return info.address;
}

/** For each node, the peers whose packets it must drop. Both sides drop: the cut is symmetric. */
export function dropsByNode(fault: PartitionFault): Map<NodeName, NodeName[]> {
  const drops = new Map<NodeName, NodeName[]>();
  const add = (at: NodeName, from: NodeName) => drops.set(at, [...(drops.get(at) ?? []), from]);
  for (const [a, b] of fault.cuts) {
    add(a, b);
    add(b, a);
  }
  return drops;
}

const ensureChain = `iptables -w -N ${CHAIN} 2>/dev/null; iptables -w -C INPUT -j ${CHAIN} 2>/dev/null || iptables -w -I INPUT 1 -j ${CHAIN}`;

async function flush(cluster: Cluster, node: NodeName): Promise<void> {
  // A missing chain means nothing was ever added there; that is healed too.
  await cluster.exec(node, ['sh', '-c', `if iptables -w -n -L ${CHAIN} >/dev/null 2>&1; then iptables -w -F ${CHAIN}; fi`]);
}

export const partitionFamily: FaultFamily<PartitionFault> = {
  async start(cluster, fault) {
    for (const [node, peers] of dropsByNode(fault)) {
      const rules = peers.map((p) => `iptables -w -A ${CHAIN} -s ${addressOf(cluster, p)} -j DROP`);
      await cluster.exec(node, ['sh', '-c', [`{ ${ensureChain}; }`, ...rules].join(' && ')]);
    }
  },
  async stop(cluster, fault) {
    for (const node of dropsByNode(fault).keys()) await flush(cluster, node);
  },
  async heal(cluster) {
    for (const { name } of cluster.nodes) await flush(cluster, name);
  },
  async problems(cluster) {
    const out: string[] = [];
    for (const { name } of cluster.nodes) {
      try {
        const rules = await cluster.exec(name, ['sh', '-c', `iptables -w -S ${CHAIN} 2>/dev/null || true`]);
        const left = rules.split('\n').filter((l) => l.startsWith('-A '));
        if (left.length) out.push(`${name}: ${left.length} partition rule(s) left: ${left.join('; ')}`);
      } catch (err) {
        out.push(`${name}: cannot list iptables rules: ${errorText(err)}`);
      }
    }
    return out;
  },
};
