// Seeded choices of nodes that several planners share. Every call consumes the generator in a
// fixed way: changing one changes every recorded plan.
import type { NodeName } from '../cluster/cluster.ts';
import type { Prng } from '../core/prng.ts';

export type TargetChoice = 'one' | 'all' | 'any';

/** One node, every node, or (for `any`) every node one time in three. */
export function someNodes(rng: Prng, choice: TargetChoice, nodes: readonly NodeName[]): NodeName[] {
  const all = choice === 'all' || (choice === 'any' && rng.int(3) === 0);
  return all ? [...nodes] : [rng.pick(nodes)];
}

/** Every unordered pair with one member in `a` and one in `b`, smaller name first. */
export function crossPairs(a: readonly NodeName[], b: readonly NodeName[]): [NodeName, NodeName][] {
  return a.flatMap((x) => b.map((y): [NodeName, NodeName] => (x < y ? [x, y] : [y, x])));
}

export function sorted(nodes: readonly NodeName[]): NodeName[] {
  return [...nodes].sort();
}
