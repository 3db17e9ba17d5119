// The shape every fault family module has: it names its faults, owns its params (with their
// defaults), plans a fault from the seeded generator, says which cluster capability it needs,
// and applies, undoes, heals and checks. `heal` and `problems` keep no memory of what `start`
// did: they must also clean up after a crashed run or a previous cell.

import type { z } from 'zod';
import type { Capabilities, CapabilityName, Cluster, NodeName } from '../cluster/cluster.ts';
import type { Prng } from '../core/prng.ts';

/** What every fault carries; each family adds its own fields (recorded as the fault's detail). */
export interface FaultBase {
  family: string;
  name: string;
  targets: NodeName[];
}

/**
 * When a family heals, relative to the others: `nodes` brings nodes back (the others act inside
 * running nodes), `inside-nodes` acts in the nodes, `outside-nodes` acts around them (proxies).
 */
export type HealStage = 'nodes' | 'inside-nodes' | 'outside-nodes';
export const HEAL_STAGES: readonly HealStage[] = ['nodes', 'inside-nodes', 'outside-nodes'];

export interface FaultFamily<F extends FaultBase = FaultBase, P extends z.ZodRawShape = z.ZodRawShape> {
  /** The family's name; also accepted in `nemesis.faults` for all of its faults. */
  readonly family: F['family'];
  /** Its fault names, in the order plans and listings use. */
  readonly faults: readonly F['name'][];
  /** The keys it adds to `nemesis.params`, each with its default. */
  readonly params: P;
  /** The cluster capability its faults act through. */
  readonly needs: CapabilityName;
  /** Whether its faults move node clocks (checkers then distrust TTL timing). */
  readonly movesClocks: boolean;
  /**
   * Whether undoing one of its faults can release requests or messages it held back (a proxy's
   * held bytes, packets TCP retransmits after a partition, a frozen node's queue), which may then
   * land up to the server's timeouts later: the runner settles before its final reads only after
   * such a fault.
   */
  readonly holdsBack: boolean;
  readonly healStage: HealStage;
  /** One fault named `name`, decided from the seeded generator only (plans must replay). */
  plan(name: F['name'], rng: Prng, params: z.output<z.ZodObject<P>>, nodes: readonly NodeName[]): F;
  /** Apply the fault; resolves once it is in place. */
  start(cluster: Cluster, fault: F): Promise<void>;
  /** Undo exactly this fault; resolves once the affected part works again. */
  stop(cluster: Cluster, fault: F): Promise<void>;
  /** Undo anything this family could have left behind, on every node. Idempotent. */
  heal(cluster: Cluster): Promise<void>;
  /** What still differs from healthy, one line each; empty when healed. */
  problems(cluster: Cluster): Promise<string[]>;
}

/** A family of any fault type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFaultFamily = FaultFamily<any, any>;

/** The capability a family needs; throws when this cluster's provider lacks it. */
export function capability<K extends CapabilityName>(cluster: Cluster, name: K): NonNullable<Capabilities[K]> {
  const found = cluster.capabilities[name];
  if (!found) throw new Error(`the ${cluster.provider} cluster has no ${name} capability`);
  return found as NonNullable<Capabilities[K]>;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
