// Node faults through the nodes capability: kill -9, freeze, graceful stop. The window's end
// brings the node back and waits until the whole cluster is healthy again, so the next window
// never starts on a half-recovered cluster.

import type { NodeName } from '../cluster/cluster.ts';
import { capability, type FaultFamily } from './family.ts';

const faults = ['kill', 'pause', 'restart'] as const;
export type NodeFaultName = (typeof faults)[number];

/** One node killed (-9), frozen, or stopped gracefully; the window's end brings it back. */
export interface NodeFault {
  family: 'node';
  name: NodeFaultName;
  targets: [NodeName];
}

/** A killed node replays its commit log on start; give it room on a 2-core machine. */
export const NODE_RECOVERY_TIMEOUT_MS = 240_000;

const params = {};

export const nodeFamily: FaultFamily<NodeFault, typeof params> = {
  family: 'node',
  faults,
  params,
  needs: 'nodes',
  movesClocks: false,
  holdsBack: true,
  healStage: 'nodes',
  plan(name, rng, _p, nodes) {
    return { family: 'node', name, targets: [rng.pick(nodes)] };
  },
  async start(cluster, fault) {
    const nodes = capability(cluster, 'nodes');
    const [node] = fault.targets;
    if (fault.name === 'kill') await nodes.kill(node);
    else if (fault.name === 'pause') await nodes.pause(node);
    else await nodes.stop(node);
  },
  async stop(cluster, fault) {
    const nodes = capability(cluster, 'nodes');
    const [node] = fault.targets;
    if (fault.name === 'pause') await nodes.resume(node);
    else await nodes.restart(node);
    await cluster.waitHealthy(NODE_RECOVERY_TIMEOUT_MS);
  },
  async heal(cluster) {
    const nodes = capability(cluster, 'nodes');
    const names = cluster.nodes.map((n) => n.name);
    // Thaw every node first: a frozen node cannot be restarted, and one frozen by a signal
    // still looks running to its container, so `running` says nothing about it. Then start
    // what is down. Nodes are independent here: each step runs on all of them at once.
    await Promise.all(names.map((name) => nodes.resume(name).catch(() => undefined)));
    await Promise.all(names.map(async (name) => {
      if (!(await nodes.running(name))) await nodes.restart(name);
    }));
  },
  async problems(cluster) {
    const nodes = capability(cluster, 'nodes');
    const running = await Promise.all(cluster.nodes.map((n) => nodes.running(n.name)));
    return cluster.nodes.filter((_, i) => !running[i]).map((n) => `${n.name}: container is not running (or still frozen)`);
  },
};
