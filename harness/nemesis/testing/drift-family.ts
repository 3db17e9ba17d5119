// A fault family that exists only for tests: one node's clock jumps by a fixed amount. It shows
// what a family is (this one file plus one registerFaultFamily call): its names, its own param,
// its planner, the capability it needs, and that it moves clocks.
import { z } from 'zod';
import type { NodeName } from '../../cluster/cluster.ts';
import { capability, type FaultFamily } from '../family.ts';

export interface DriftFault {
  family: 'drift';
  name: 'clock-drift';
  targets: [NodeName];
  driftMs: number;
}

const params = {
  /** How far the target's clock jumps. */
  driftMs: z.number().int().min(1).default(700),
};

export const driftFamily: FaultFamily<DriftFault, typeof params> = {
  family: 'drift',
  faults: ['clock-drift'],
  params,
  needs: 'clock',
  movesClocks: true,
  holdsBack: false,
  healStage: 'inside-nodes',
  plan: (name, rng, p, nodes) => ({ family: 'drift', name, targets: [rng.pick(nodes)], driftMs: p.driftMs }),
  async start(cluster, fault) {
    await capability(cluster, 'clock').setOffsets(new Map([[fault.targets[0], fault.driftMs]]));
  },
  async stop(cluster, fault) {
    await capability(cluster, 'clock').setOffsets(new Map([[fault.targets[0], 0]]));
  },
  async heal(cluster) {
    await capability(cluster, 'clock').setOffsets(new Map(cluster.nodes.map((n) => [n.name, 0])));
  },
  async problems(cluster) {
    const clock = capability(cluster, 'clock');
    const out: string[] = [];
    for (const { name } of cluster.nodes) if ((await clock.offset(name)) !== 0) out.push(`${name}: drifted`);
    return out;
  },
};
