// Everything the nemesis derives from its list of families: the fault names in canonical order,
// the names `nemesis.faults` accepts, and the one params schema (every family's keys merged).
import { z } from 'zod';
import { RUNNER_CAPABILITIES } from '../cluster/cluster.ts';
import { HEAL_STAGES, type AnyFaultFamily } from './family.ts';

export interface Catalog {
  readonly families: readonly AnyFaultFamily[];
  /** Every fault name, family by family in list order: plans depend on this order. */
  readonly faultNames: readonly string[];
  /** `all`, each family name, each fault name → the faults it stands for. */
  readonly aliases: ReadonlyMap<string, readonly string[]>;
  /** Strict: a key no family declares is an error. */
  readonly paramsSchema: z.ZodObject;
  /** Families in the order they heal. */
  readonly healOrder: readonly AnyFaultFamily[];
  familyOf(faultName: string): AnyFaultFamily | undefined;
}

export function catalogOf(families: readonly AnyFaultFamily[]): Catalog {
  const byFault = new Map<string, AnyFaultFamily>();
  const paramOwner = new Map<string, string>();
  const seenFamilies = new Set<string>(['all']);
  for (const family of families) {
    if (seenFamilies.has(family.family)) throw new Error(`fault family name "${family.family}" is taken`);
    seenFamilies.add(family.family);
    for (const name of family.faults as readonly string[]) {
      if (byFault.has(name) || seenFamilies.has(name)) throw new Error(`fault name "${name}" of family ${family.family} is taken`);
      byFault.set(name, family);
    }
    for (const key of Object.keys(family.params)) {
      const owner = paramOwner.get(key);
      if (owner) throw new Error(`nemesis param "${key}" of family ${family.family} is already family ${owner}'s`);
      paramOwner.set(key, family.family);
    }
  }
  const faultNames = families.flatMap((f) => f.faults as readonly string[]);
  // `all` is every fault that acts on the cluster. Faults acting on the runner's own clients
  // change what the workload does, so they are asked for by name, and `all` plans stay as recorded.
  const clusterFaults = families.filter((f) => !RUNNER_CAPABILITIES.includes(f.needs)).flatMap((f) => f.faults as readonly string[]);
  const aliases = new Map<string, readonly string[]>([
    ['all', clusterFaults],
    ...families.map((f): [string, readonly string[]] => [f.family, f.faults]),
    ...faultNames.map((n): [string, readonly string[]] => [n, [n]]),
  ]);
  const healOrder = HEAL_STAGES.flatMap((stage) => families.filter((f) => f.healStage === stage));
  return {
    families,
    faultNames,
    aliases,
    paramsSchema: z.strictObject(Object.assign({}, ...families.map((f) => f.params))),
    healOrder,
    familyOf: (name) => byFault.get(name),
  };
}
