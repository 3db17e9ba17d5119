// Per-node clock skew through the clock capability: each target's wall clock moves by its own
// offset while the host's stays put. 0 is the healthy offset.

import { z } from 'zod';
import type { NodeName } from '../cluster/cluster.ts';
import { capability, errorText, type FaultFamily } from './family.ts';
import { someNodes } from './pick.ts';

/** Offsets for the targets; every other node stays at 0. */
export interface ClockFault {
  family: 'clock';
  name: 'clock-skew';
  targets: NodeName[];
  offsetsMs: Record<string, number>;
}

const params = {
  /** Skew one node, every node (each its own offset), or either. */
  skewTargets: z.enum(['one', 'all', 'any']).default('any'),
  /** Largest absolute clock offset; offsets are whole multiples of 100 ms, never 0. */
  maxSkewMs: z.number().int().min(100).max(86_400_000).default(5_000),
  skewDirection: z.enum(['forward', 'backward', 'both']).default('both'),
};

export const clockFamily: FaultFamily<ClockFault, typeof params> = {
  family: 'clock',
  faults: ['clock-skew'],
  params,
  needs: 'clock',
  movesClocks: true,
  holdsBack: false,
  healStage: 'inside-nodes',
  plan(name, rng, p, nodes) {
    const targets = someNodes(rng, p.skewTargets, nodes);
    const steps = Math.floor(p.maxSkewMs / 100);
    const offsetsMs: Record<string, number> = {};
    for (const node of targets) {
      const magnitude = (1 + rng.int(steps)) * 100;
      const sign = p.skewDirection === 'forward' ? 1 : p.skewDirection === 'backward' ? -1 : rng.pick([1, -1]);
      offsetsMs[node] = sign * magnitude;
    }
    return { family: 'clock', name, targets, offsetsMs };
  },
  async start(cluster, fault) {
    await capability(cluster, 'clock').setOffsets(new Map(fault.targets.map((n) => [n, fault.offsetsMs[n] ?? 0])));
  },
  async stop(cluster, fault) {
    await capability(cluster, 'clock').setOffsets(new Map(fault.targets.map((n) => [n, 0])));
  },
  async heal(cluster) {
    const clock = capability(cluster, 'clock');
    // An unreadable offset is rewritten too: writing 0 is the only repair there is.
    const current = await Promise.all(cluster.nodes.map((n) => clock.offset(n.name).catch(() => null)));
    const skewed = new Map<NodeName, number>(cluster.nodes.filter((_, i) => current[i] !== 0).map((n) => [n.name, 0]));
    await clock.setOffsets(skewed);
  },
  async problems(cluster) {
    const clock = capability(cluster, 'clock');
    const found = await Promise.all(
      cluster.nodes.map(async ({ name }): Promise<string[]> => {
        try {
          const current = await clock.offset(name);
          return current !== 0 ? [`${name}: clock offset is ${current > 0 ? '+' : ''}${current} ms, not 0`] : [];
        } catch (err) {
          return [`${name}: ${errorText(err)}`];
        }
      }),
    );
    return found.flat();
  },
};
