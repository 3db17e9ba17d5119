// Replica isolation on a real cluster, through its `net` capability: a node is cut off from every
// peer on both sides (each side drops the other's packets), and healing removes every cut, checks
// that none is left and waits until every node sees every node up and CQL answers everywhere.

import type { Cluster } from '../cluster/cluster.ts';
import type { ReplicaIsolation } from './forensics.ts';

const HEALTHY_AFTER_HEAL_MS = 120_000;

export function clusterIsolation(cluster: Cluster): ReplicaIsolation {
  const net = cluster.capabilities.net;
  const names = cluster.nodes.map((n) => n.name);
  if (!net) {
    return {
      unavailable: `the ${cluster.provider} provider has no net capability (no way to cut a node off from its peers), so no replica was read on its own`,
      isolate: () => Promise.reject(new Error('no net capability')),
      heal: () => Promise.resolve(),
    };
  }
  return {
    async isolate(node) {
      const peers = names.filter((n) => n !== node);
      await net.partition(node, peers);
      for (const p of peers) await net.partition(p, [node]);
    },
    async heal() {
      for (const n of names) await net.heal(n);
      const left = (await Promise.all(names.map(async (n) => (await net.cuts(n)).map((c) => `${n}: ${c}`)))).flat();
      if (left.length > 0) throw new Error(`after the forensic reads, cuts are still in place: ${left.join('; ')}`);
      await cluster.waitHealthy(HEALTHY_AFTER_HEAL_MS);
    },
  };
}
