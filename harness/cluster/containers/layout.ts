// The fixed shape of a lockstorm cluster: one network with a fixed subnet, three Cassandra nodes
// at fixed addresses with one preassigned token each, one Toxiproxy in front of them.
import type { NodeName, ServerSettings, YamlScalar } from '../cluster.ts';

/** Every container and network lockstorm creates carries this label (value "true"). */
export const LABEL = 'lockstorm';
export const ROLE_LABEL = 'lockstorm.role';
export const NODE_LABEL = 'lockstorm.node';
export const SETTINGS_LABEL = 'lockstorm.settings';

export const NETWORK_NAME = 'lockstorm-net';
export const SUBNET = '172.29.77.0/24';
export const GATEWAY = '172.29.77.1';
export const KEYSPACE = 'lockstorm';
export const CQL_PORT = 9042;

export const TOXIPROXY = { container: 'lockstorm-toxiproxy', address: '172.29.77.10', apiPort: 8474 } as const;

export interface NodeSpec {
  name: NodeName;
  container: string;
  address: string;
  /** Murmur3 tokens spread evenly over the ring, so each node owns a third. */
  token: string;
  /** Port Toxiproxy listens on (inside its container) for this node's clients. */
  proxyPort: number;
}

export const NODES: readonly NodeSpec[] = [
  { name: 'n1', container: 'lockstorm-n1', address: '172.29.77.11', token: '-9223372036854775808', proxyPort: 9101 },
  { name: 'n2', container: 'lockstorm-n2', address: '172.29.77.12', token: '-3074457345618258603', proxyPort: 9102 },
  { name: 'n3', container: 'lockstorm-n3', address: '172.29.77.13', token: '3074457345618258602', proxyPort: 9103 },
];

export function nodeSpec(name: NodeName): NodeSpec {
  const spec = NODES.find((n) => n.name === name);
  if (!spec) throw new Error(`unknown node "${name}" (known: ${NODES.map((n) => n.name).join(', ')})`);
  return spec;
}

/** The environment the Cassandra entrypoint (docker/cassandra/entrypoint.sh) reads. */
export function nodeEnvironment(node: NodeSpec, settings: ServerSettings): Record<string, string> {
  return {
    NODE_ADDRESS: node.address,
    SEEDS: NODES.map((n) => n.address).join(','),
    INITIAL_TOKEN: node.token,
    PAXOS_VARIANT: settings.paxosVariant,
    WRITE_TIMEOUT_MS: String(settings.writeRequestTimeoutMs),
    READ_TIMEOUT_MS: String(settings.readRequestTimeoutMs),
    CAS_TIMEOUT_MS: String(settings.casContentionTimeoutMs),
    ...(Object.keys(settings.yaml).length ? { CASSANDRA_SETTINGS: yamlLines(settings.yaml) } : {}),
  };
}

/**
 * `cluster.settings` as cassandra.yaml lines, sorted by key. Strings are written JSON-quoted: a
 * JSON string is a YAML double-quoted scalar, so "2000ms" or "a: b" cannot change the yaml's shape.
 */
export function yamlLines(settings: Readonly<Record<string, YamlScalar>>): string {
  return Object.keys(settings)
    .sort()
    .map((k) => `${k}: ${typeof settings[k] === 'string' ? JSON.stringify(settings[k]) : String(settings[k])}`)
    .join('\n');
}

/** Toxiproxy's -config file: one proxy per node, named like the node. */
export function toxiproxyConfig(): string {
  return JSON.stringify(
    NODES.map((n) => ({ name: n.name, listen: `0.0.0.0:${n.proxyPort}`, upstream: `${n.address}:${CQL_PORT}`, enabled: true })),
    null,
    2,
  );
}
