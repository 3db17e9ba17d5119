// Server settings and their defaults, defined here once: the run config's schema defaults to
// these, so `lockstorm cluster up` and a default cell of `lockstorm run` start the same cluster.
import { UserError } from '../core/errors.ts';
import type { ServerSettings } from './cluster.ts';
import { DEFAULT_VERSION, exactVersion, lineFacts, versionProblem } from './versions.ts';

/** Paxos v2 where the version has it, else v1: what a config that does not name a variant gets. */
export function defaultPaxosVariant(version: string): ServerSettings['paxosVariant'] {
  return lineFacts(version).paxosV2 ? 'v2' : 'v1';
}

/** Request timeouts a cluster gets unless told otherwise; the run config's schema defaults to them. */
export const DEFAULT_TIMEOUTS_MS = Object.freeze({ write: 2000, read: 5000, casContention: 1000 });

/** What a config that leaves `cluster:` out gets: the default version, its Paxos, the timeouts above. */
export const DEFAULT_SETTINGS: ServerSettings = Object.freeze({
  cassandraVersion: exactVersion(DEFAULT_VERSION),
  paxosVariant: defaultPaxosVariant(DEFAULT_VERSION),
  writeRequestTimeoutMs: DEFAULT_TIMEOUTS_MS.write,
  readRequestTimeoutMs: DEFAULT_TIMEOUTS_MS.read,
  casContentionTimeoutMs: DEFAULT_TIMEOUTS_MS.casContention,
  yaml: {},
});

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
