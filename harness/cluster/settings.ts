// Server settings and their defaults. The defaults are the run config's own (config/schema.ts),
// so `lockstorm cluster up` and a default cell of `lockstorm run` start the same cluster.
import { UserError } from '../core/errors.ts';
import { configSchema, type Config } from '../config/schema.ts';
import type { ServerSettings } from './cluster.ts';
import { exactVersion, lineFacts, versionProblem } from './versions.ts';

/** Paxos v2 where the version has it, else v1: what a config that does not name a variant gets. */
export function defaultPaxosVariant(version: string): ServerSettings['paxosVariant'] {
  return lineFacts(version).paxosV2 ? 'v2' : 'v1';
}

/**
 * A validated config's `cluster:` block as the server settings it asks for; `overrides` are one
 * matrix cell's axis values (a version and a Paxos variant from `matrix:`).
 */
export function serverSettingsOf(
  cluster: Config['cluster'],
  overrides: { cassandraVersion?: string; paxosVariant?: ServerSettings['paxosVariant'] } = {},
): ServerSettings {
  const version = overrides.cassandraVersion ?? cluster.cassandra_version;
  return {
    cassandraVersion: exactVersion(version),
    paxosVariant: overrides.paxosVariant ?? cluster.paxos_variant ?? defaultPaxosVariant(version),
    writeRequestTimeoutMs: cluster.timeouts.write_ms,
    readRequestTimeoutMs: cluster.timeouts.read_ms,
    casContentionTimeoutMs: cluster.timeouts.cas_contention_ms,
    yaml: { ...cluster.settings },
  };
}

/** What a config that leaves `cluster:` out gets. */
export const DEFAULT_SETTINGS: ServerSettings = Object.freeze(serverSettingsOf(configSchema.shape.cluster.parse(undefined)));

export function resolveSettings(partial: Partial<ServerSettings> = {}): ServerSettings {
  const version = partial.cassandraVersion ?? DEFAULT_SETTINGS.cassandraVersion;
  const problem = versionProblem(version);
  if (problem) throw new UserError(`cassandraVersion ${JSON.stringify(version)} ${problem}`);
  const s = { ...DEFAULT_SETTINGS, paxosVariant: defaultPaxosVariant(version), ...partial, cassandraVersion: exactVersion(version) };
  if (s.paxosVariant !== 'v1' && s.paxosVariant !== 'v2') throw new UserError(`paxosVariant must be v1 or v2, not ${String(s.paxosVariant)}`);
  if (s.paxosVariant === 'v2' && !lineFacts(version).paxosV2) {
    throw new UserError(`paxosVariant v2 needs Cassandra 4.1 or later (cassandraVersion is ${JSON.stringify(version)})`);
  }
  for (const key of ['writeRequestTimeoutMs', 'readRequestTimeoutMs', 'casContentionTimeoutMs'] as const) {
    if (!Number.isInteger(s[key]) || s[key] <= 0) throw new UserError(`${key} must be a positive whole number of milliseconds, not ${String(s[key])}`);
  }
  return s;
}
