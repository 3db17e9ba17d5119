// Reading a validated config the same way everywhere: an axis's values, a named nemesis's spec.
import type { NemesisSpec } from '../core/cell.ts';
import { NO_NEMESIS, type Axis, type Config } from './schema.ts';

/**
 * Stands for "the version's own default" on the paxos_variant axis when the config names no
 * variant; expand.ts replaces it, per cell, with v2 or v1 (harness/cluster/settings.ts).
 */
export const PAXOS_BY_VERSION = 'by-version';

/** The values an axis takes: the matrix's list, or the single top-level default. */
export function axisValues(config: Config, axis: Axis): (string | number)[] {
  const listed = config.matrix[axis];
  if (listed) return listed;
  if (axis === 'paxos_variant') return [config.cluster.paxos_variant ?? PAXOS_BY_VERSION];
  if (axis === 'cassandra_version') return [config.cluster.cassandra_version];
  return [config[axis]];
}

export function nemesisSpec(config: Config, name: string): NemesisSpec | null {
  if (name === NO_NEMESIS) return null;
  const def = config.nemeses[name];
  if (!def) throw new Error(`nemesis ${name} passed validation but is not defined`);
  return {
    faults: def.faults,
    onMs: Math.round(def.on_s * 1000),
    offMs: Math.round(def.off_s * 1000),
    ...(def.params ? { params: def.params } : {}),
  };
}
