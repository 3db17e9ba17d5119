// Which cassandra.yaml settings a config may set in `cluster.settings`, per Cassandra line. The
// lists in yaml-keys/ are the public fields of org.apache.cassandra.config.Config of each line's
// newest release (how they were made: docs/versions.md); a key the version's Config lacks would
// stop the node at start, so it is refused before any container starts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineOf, type CassandraLine } from './versions.ts';

const known = new Map<CassandraLine, ReadonlySet<string>>();

export function yamlSettingsOf(version: string): ReadonlySet<string> {
  const line = lineOf(version);
  let keys = known.get(line);
  if (!keys) {
    const text = readFileSync(join(import.meta.dirname, 'yaml-keys', `${line}.txt`), 'utf8');
    keys = new Set(text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    known.set(line, keys);
  }
  return keys;
}

/** Settings lockstorm writes from other config fields or needs fixed for its layout, with where to set them instead. */
const RESERVED: Readonly<Record<string, string>> = {
  paxos_variant: 'set it with cluster.paxos_variant',
  write_request_timeout: 'set it with cluster.timeouts.write_ms',
  write_request_timeout_in_ms: 'set it with cluster.timeouts.write_ms',
  read_request_timeout: 'set it with cluster.timeouts.read_ms',
  read_request_timeout_in_ms: 'set it with cluster.timeouts.read_ms',
  cas_contention_timeout: 'set it with cluster.timeouts.cas_contention_ms',
  cas_contention_timeout_in_ms: 'set it with cluster.timeouts.cas_contention_ms',
  ...Object.fromEntries(
    [
      'cluster_name', 'num_tokens', 'initial_token', 'auto_bootstrap', 'partitioner', 'endpoint_snitch', 'seed_provider',
      'listen_address', 'rpc_address', 'broadcast_address', 'broadcast_rpc_address', 'storage_port', 'native_transport_port',
      'start_native_transport', 'data_file_directories', 'commitlog_directory', 'saved_caches_directory', 'hints_directory',
      'cdc_raw_directory',
    ].map((k) => [k, 'lockstorm sets it for its fixed three-node layout']),
  ),
};

/** Why `key` may not be set on `version`, or undefined when it may. */
export function yamlSettingProblem(key: string, version: string): string | undefined {
  const reserved = RESERVED[key];
  if (reserved) return reserved;
  if (!yamlSettingsOf(version).has(key)) return `is not a cassandra.yaml setting of Cassandra ${version}`;
  return undefined;
}
