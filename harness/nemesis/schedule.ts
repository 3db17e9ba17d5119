// The seeded plan: an endless, reproducible sequence of faults. Pure: the same settings, seed and
// node list always give the same sequence, whatever happened to the cluster in between. Each
// fault is planned by its own family.

import type { NodeName } from '../cluster/cluster.ts';
import type { JsonValue } from '../../history/index.ts';
import type { Catalog } from './catalog.ts';
import type { FaultBase } from './family.ts';
import { prng } from '../core/prng.ts';
import type { NemesisSettings } from './spec.ts';

export function* planFaults(catalog: Catalog, settings: NemesisSettings, seed: number, nodes: readonly NodeName[]): Generator<FaultBase> {
  if (nodes.length < 2) throw new Error('nemesis needs at least two nodes');
  const rng = prng(seed);
  for (;;) {
    const name = rng.pick(settings.faults);
    const family = catalog.familyOf(name);
    if (!family) throw new Error(`unknown fault ${name}`);
    yield family.plan(name, rng, settings.params, nodes) as FaultBase;
  }
}

/** The history's view of a fault: its name, what it targeted, and everything else as detail. */
export function describeFault(catalog: Catalog, fault: FaultBase): { fault: string; targets: string[]; detail: Record<string, JsonValue> } {
  const { family, name, targets, ...rest } = fault;
  if (catalog.familyOf(name)?.family !== family) throw new Error(`fault ${name} is not in family ${family}`);
  return { fault: name, targets: [...targets], detail: { family, ...(rest as Record<string, JsonValue>) } };
}
