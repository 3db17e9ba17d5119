// Node faults through the Cluster interface: kill -9, freeze (cgroup freezer, or SIGSTOP where the
// freezer refuses), graceful stop.
// The window's end brings the node back and waits until the whole cluster is healthy again, so
// the next window never starts on a half-recovered cluster.

import type { Cluster, NodeName } from '../cluster/cluster.ts';
import type { NodeFault } from './faults.ts';
import type { FaultFamily } from './family.ts';

/** A killed node replays its commit log on start; give it room on a 2-core machine. */
export const NODE_RECOVERY_TIMEOUT_MS = 240_000;

/** Whether the node's container runs a process we can exec into (false when stopped or frozen). */
async function answers(cluster: Cluster, node: NodeName): Promise<boolean> {
  try {
    await cluster.exec(node, ['true']);
    return true;
  } catch {
    return false;
  }
}

export const nodeFamily: FaultFamily<NodeFault> = {
  async start(cluster, fault) {
    const [node] = fault.targets;
    if (fault.name === 'kill') await cluster.kill(node);
    else if (fault.name === 'pause') await cluster.pause(node);
    else await cluster.stop(node);
  },
  async stop(cluster, fault) {
    const [node] = fault.targets;
    if (fault.name === 'pause') await cluster.resume(node);
    else await cluster.restart(node);
    await cluster.waitHealthy(NODE_RECOVERY_TIMEOUT_MS);
  },
  async heal(cluster) {
    for (const { name } of cluster.nodes) {
      // Thaw every node first: a frozen container cannot be restarted, and a JVM stopped by a
      // signal still lets `exec` in, so answering says nothing about it. Then start what is down.
      await cluster.resume(name).catch(() => undefined);
      if (!(await answers(cluster, name))) await cluster.restart(name);
    }
  },
  async problems(cluster) {
    const out: string[] = [];
    for (const { name } of cluster.nodes) {
      if (!(await answers(cluster, name))) out.push(`${name}: container is not running (or still frozen)`);
    }
    return out;
  },
};
