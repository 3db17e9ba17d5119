// The seeded plan: an endless, reproducible sequence of faults. Pure: the same settings, seed and
// node list always give the same sequence, whatever happened to the cluster in between.

import type { NodeName } from '../cluster/cluster.ts';
import type { JsonValue } from '../history/events.ts';
import type { Fault, FaultName } from './faults.ts';
import { familyOf } from './faults.ts';
import { prng, type Prng } from './prng.ts';
import type { NemesisParams, NemesisSettings } from './spec.ts';

export function* planFaults(settings: NemesisSettings, seed: number, nodes: readonly NodeName[]): Generator<Fault> {
  if (nodes.length < 2) throw new Error('nemesis needs at least two nodes');
  const rng = prng(seed);
  for (;;) yield planOne(rng.pick(settings.faults), rng, settings.params, nodes);
}

/** The first `count` faults of the plan, e.g. to print or compare. */
export function planPrefix(settings: NemesisSettings, seed: number, nodes: readonly NodeName[], count: number): Fault[] {
  const out: Fault[] = [];
  for (const fault of planFaults(settings, seed, nodes)) {
    if (out.length >= count) break;
    out.push(fault);
  }
  return out;
}

function planOne(name: FaultName, rng: Prng, p: NemesisParams, nodes: readonly NodeName[]): Fault {
  switch (name) {
    case 'reply-lost':
    case 'request-lost':
    case 'link-down':
      return { family: 'link', name, targets: someNodes(rng, p.linkTargets, nodes) };
    case 'reset': {
      const targets = someNodes(rng, p.linkTargets, nodes);
      const stream = p.resetStream === 'any' ? rng.pick(['upstream', 'downstream'] as const) : p.resetStream;
      return { family: 'link', name, targets, stream };
    }
    case 'latency':
      return { family: 'link', name, targets: someNodes(rng, p.linkTargets, nodes), latencyMs: p.latencyMs };
    case 'kill':
    case 'pause':
    case 'restart':
      return { family: 'node', name, targets: [rng.pick(nodes)] };
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
    case 'clock-skew': {
      const targets = someNodes(rng, p.skewTargets, nodes);
      const steps = Math.floor(p.maxSkewMs / 100);
      const offsetsMs: Record<string, number> = {};
      for (const node of targets) {
        const magnitude = (1 + rng.int(steps)) * 100;
        const sign = p.skewDirection === 'forward' ? 1 : p.skewDirection === 'backward' ? -1 : rng.pick([1, -1]);
        offsetsMs[node] = sign * magnitude;
      }
      return { family: 'clock', name, targets, offsetsMs };
    }
  }
}

function partition(name: Extract<Fault, { family: 'partition' }>['name'], targets: NodeName[], groups: NodeName[][], cuts: [NodeName, NodeName][]): Fault {
  return { family: 'partition', name, targets: sorted(targets), groups: groups.map(sorted), cuts };
}

function someNodes(rng: Prng, choice: 'one' | 'all' | 'any', nodes: readonly NodeName[]): NodeName[] {
  const all = choice === 'all' || (choice === 'any' && rng.int(3) === 0);
  return all ? [...nodes] : [rng.pick(nodes)];
}

function crossPairs(a: readonly NodeName[], b: readonly NodeName[]): [NodeName, NodeName][] {
  return a.flatMap((x) => b.map((y): [NodeName, NodeName] => (x < y ? [x, y] : [y, x])));
}

function sorted(nodes: readonly NodeName[]): NodeName[] {
  return [...nodes].sort();
}

/** The history's view of a fault: its name, what it targeted, and everything else as detail. */
export function describeFault(fault: Fault): { fault: string; targets: string[]; detail: Record<string, JsonValue> } {
  const { family, name, targets, ...rest } = fault;
  if (familyOf(name) !== family) throw new Error(`fault ${name} is not in family ${family}`);
  return { fault: name, targets: [...targets], detail: { family, ...(rest as Record<string, JsonValue>) } };
}
