// Server settings and their defaults. The defaults are the run config's own (config/schema.ts),
// so `lockstorm cluster up` and a default cell of `lockstorm run` start the same cluster.
import { UserError } from '../cli/errors.ts';
import { configSchema, type Config } from '../config/schema.ts';
import type { ServerSettings } from './cluster.ts';

/** A validated config's `cluster:` block as the server settings it asks for. */
export function serverSettingsOf(cluster: Config['cluster']): ServerSettings {
  return {
    paxosVariant: cluster.paxos_variant,
    writeRequestTimeoutMs: cluster.timeouts.write_ms,
    readRequestTimeoutMs: cluster.timeouts.read_ms,
    casContentionTimeoutMs: cluster.timeouts.cas_contention_ms,
  };
}

/** What a config that leaves `cluster:` out gets. */
export const DEFAULT_SETTINGS: ServerSettings = Object.freeze(serverSettingsOf(configSchema.shape.cluster.parse(undefined)));

export function resolveSettings(partial: Partial<ServerSettings> = {}): ServerSettings {
  const s = { ...DEFAULT_SETTINGS, ...partial };
  if (s.paxosVariant !== 'v1' && s.paxosVariant !== 'v2') throw new UserError(`paxosVariant must be v1 or v2, not ${String(s.paxosVariant)}`);
  for (const key of ['writeRequestTimeoutMs', 'readRequestTimeoutMs', 'casContentionTimeoutMs'] as const) {
    if (!Number.isInteger(s[key]) || s[key] <= 0) throw new UserError(`${key} must be a positive whole number of milliseconds, not ${String(s[key])}`);
  }
  return s;
}
