// Partitions between Cassandra nodes through the net capability. Both sides of every cut drop
// the other's packets, so the cut is symmetric.

import type { NodeName } from '../cluster/cluster.ts';
import { capability, errorText, type FaultFamily } from './family.ts';
import { crossPairs, sorted } from './pick.ts';

const faults = ['partition-isolate', 'partition-majority', 'partition-bridge'] as const;
export type PartitionFaultName = (typeof faults)[number];

/**
 * `cuts` lists every unordered pair of nodes that must not hear each other; `groups` is the
 * human-readable shape (for a bridge, the bridge node sits in both groups). `targets` are the
 * nodes on the minority side (for a bridge: the bridge node).
 */
export interface PartitionFault {
  family: 'partition';
  name: PartitionFaultName;
  targets: NodeName[];
  groups: NodeName[][];
  cuts: [NodeName, NodeName][];
}

/** For each node, the peers whose packets it must drop. */
export function dropsByNode(fault: PartitionFault): Map<NodeName, NodeName[]> {
  const drops = new Map<NodeName, NodeName[]>();
  const add = (at: NodeName, from: NodeName) => drops.set(at, [...(drops.get(at) ?? []), from]);
  for (const [a, b] of fault.cuts) {
    add(a, b);
    add(b, a);
  }
  return drops;
}

function partition(name: PartitionFaultName, targets: NodeName[], groups: NodeName[][], cuts: [NodeName, NodeName][]): PartitionFault {
  return { family: 'partition', name, targets: sorted(targets), groups: groups.map(sorted), cuts };
}

const params = {};

export const partitionFamily: FaultFamily<PartitionFault, typeof params> = {
  family: 'partition',
  faults,
  params,
  needs: 'net',
  movesClocks: false,
  holdsBack: true,
  healStage: 'inside-nodes',
  plan(name, rng, _p, nodes) {
    switch (name) {
      case 'partition-isolate': {
        const lone = rng.pick(nodes);
        const rest = nodes.filter((n) => n !== lone);
        return partition(name, [lone], [[lone], rest], crossPairs([lone], rest));
      }
      case 'partition-majority': {
        const shuffled = rng.shuffle(nodes);
        const minority = shuffled.slice(0, Math.floor(nodes.length / 2));
        const majority = shuffled.slice(minority.length);
        return partition(name, minority, [minority, majority], crossPairs(minority, majority));
      }
      case 'partition-bridge': {
        if (nodes.length < 3) throw new Error('partition-bridge needs at least three nodes');
        const [bridge, ...rest] = rng.shuffle(nodes) as [NodeName, ...NodeName[]];
        const left = rest.slice(0, Math.floor(rest.length / 2));
        const right = rest.slice(left.length);
        return partition(name, [bridge], [[...left, bridge], [bridge, ...right]], crossPairs(left, right));
      }
    }
  },
  async start(cluster, fault) {
    const net = capability(cluster, 'net');
    for (const [node, peers] of dropsByNode(fault)) await net.partition(node, peers);
  },
  async stop(cluster, fault) {
    const net = capability(cluster, 'net');
    for (const node of dropsByNode(fault).keys()) await net.heal(node);
  },
  async heal(cluster) {
    const net = capability(cluster, 'net');
    await Promise.all(cluster.nodes.map((n) => net.heal(n.name)));
  },
  async problems(cluster) {
    const net = capability(cluster, 'net');
    const found = await Promise.all(
      cluster.nodes.map(async ({ name }): Promise<string[]> => {
        try {
          const left = await net.cuts(name);
          return left.length ? [`${name}: ${left.length} partition rule(s) left: ${left.join('; ')}`] : [];
        } catch (err) {
          return [`${name}: cannot list partition rules: ${errorText(err)}`];
        }
      }),
    );
    return found.flat();
  },
};
