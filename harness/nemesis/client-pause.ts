// Client pauses: a lock holder frozen mid critical section, as a long GC pause or a stopped VM
// freezes it, then let go to carry on as if it still held its lock. Pick the window (`on_s`)
// longer than the lock's TTL and the lease runs out while the holder sleeps. The clients belong
// to the runner, not the cluster, so the capability comes from the runner (ClientControl).

import type { NodeName } from '../cluster/cluster.ts';
import { capability, type FaultFamily } from './family.ts';

const faults = ['client-pause'] as const;

/** `targets`: the node whose clients one holder is frozen among. */
export interface ClientPauseFault {
  family: 'client';
  name: 'client-pause';
  targets: [NodeName];
}

const params = {};

export const clientPauseFamily: FaultFamily<ClientPauseFault, typeof params> = {
  family: 'client',
  faults,
  params,
  needs: 'clients',
  movesClocks: false,
  holdsBack: false,
  healStage: 'outside-nodes',
  plan(name, rng, _p, nodes) {
    return { family: 'client', name, targets: [rng.pick(nodes)] };
  },
  async start(cluster, fault) {
    await capability(cluster, 'clients').freezeHolder(fault.targets[0]);
  },
  async stop(cluster, fault) {
    await capability(cluster, 'clients').thaw(fault.targets[0]);
  },
  async heal(cluster) {
    const clients = capability(cluster, 'clients');
    for (const { name } of cluster.nodes) await clients.thaw(name);
  },
  async problems(cluster) {
    return capability(cluster, 'clients').frozen();
  },
};
