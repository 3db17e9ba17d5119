// What a config's `cluster:` section may say about where the cluster comes from: the provider, and
// the fields of the providers that use a cluster lockstorm did not start (`existing`, `ssh`).
// Every field is optional in the shape; `providerFieldProblems` then says which ones the chosen
// provider needs and which belong to another provider, so one line can name the field.
import { z } from 'zod';
import { RUNNER_CAPABILITIES, type CapabilityName } from './cluster.ts';

export const PROVIDER_NAMES = ['containers', 'existing', 'ssh'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * What each provider can do, known before it starts, so a config asking for a fault the provider
 * cannot run is refused before any cluster work. Must agree with the capabilities each provider's
 * clusters carry (the providers' tests check that).
 */
export const PROVIDER_CAPABILITIES: Readonly<Record<ProviderName, readonly CapabilityName[]>> = {
  containers: ['nodes', 'links', 'net', 'clock'],
  existing: ['links'],
  ssh: ['nodes', 'links', 'net', 'clock'],
};

const KEYSPACE_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;
/** Cassandra's own keyspaces: lockstorm truncates every table of its keyspace between cells. */
const RESERVED_KEYSPACES = /^(system|system_auth|system_schema|system_distributed|system_traces|system_views|system_virtual_schema|dse_.*|solr_admin|cfs.*)$/;
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;
const NODE_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const port = z.number().int().refine((v) => v >= 1 && v <= 65535, { message: 'must be a port number from 1 to 65535' });
const path = z.string().min(1);

const sshLogin = z.strictObject({
  user: z.string().min(1),
  key_file: path,
  port: port.default(22),
  /** Prefix every privileged command with `sudo -n` (a user other than root). */
  sudo: z.boolean().default(false),
  /** The host key's SHA256 fingerprint as `ssh-keygen -lf` prints it; left out: accepted and shown (first use). */
  host_key: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'is not a SHA256 fingerprint (SHA256:<43 base64 characters>, as ssh-keygen -lf prints it)').optional(),
});

const sshNode = z.strictObject({
  name: z.string().regex(NODE_NAME, 'is not a node name (lower-case letters, digits, dashes; up to 32)'),
  /** Where SSH reaches the host. */
  host: z.string().min(1),
  /** The node's address as Cassandra gossips it (system.peers); default: host. */
  address: z.string().min(1).optional(),
  /** The node's CQL port. */
  cql_port: port.default(9042),
  ssh: sshLogin,
});

const cassandraService = z.strictObject({
  service: z.enum(['systemd', 'process']),
  /** systemd: the unit. */
  unit: z.string().min(1).optional(),
  /** process: the command that starts Cassandra in the background (run by the remote shell as given). */
  start: z.string().min(1).optional(),
  /** process: the file holding the Cassandra JVM's pid. */
  pid_file: path.optional(),
  nodetool: z.string().min(1).default('nodetool'),
  /** The libfaketime offset file the JVM reads (FAKETIME_TIMESTAMP_FILE); see docs/cluster.md. */
  faketime_file: path.default('/var/lib/lockstorm/faketime'),
});

/** Fields under `cluster:` besides the container settings; each belongs to some providers only. */
export const providerFields = {
  provider: z.enum(PROVIDER_NAMES).default('containers'),
  contact_points: z.array(z.string().regex(HOST_PORT, 'is not host:port')).min(1).optional(),
  local_dc: z.string().min(1).optional(),
  auth: z
    .strictObject({
      username: z.string().min(1),
      /** The password is read from this environment variable, never from the config. */
      password_env: z.string().regex(ENV_NAME, 'is not an environment variable name'),
    })
    .optional(),
  tls: z.strictObject({ ca_file: path }).optional(),
  keyspace: z
    .string()
    .regex(KEYSPACE_PATTERN, 'is not a keyspace name (lower-case letter, then letters, digits, underscores; up to 48)')
    .refine((v) => !RESERVED_KEYSPACES.test(v), { message: "is one of Cassandra's own keyspaces; give lockstorm a keyspace of its own" })
    .optional(),
  replication: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .refine((r) => typeof r['class'] === 'string' && r['class'].length > 0, { message: 'needs a class, e.g. { class: NetworkTopologyStrategy, dc1: 3 }' })
    .optional(),
  allow_writes: z.boolean().optional(),
  nodes: z.array(sshNode).min(1).optional(),
  cassandra: cassandraService.optional(),
  /** `ssh`: the nodes are lockstorm's own SSH lab (`lockstorm cluster up --lab ssh`), started here if none runs. */
  lab: z.enum(['ssh']).optional(),
};

const fieldsObject = z.object(providerFields);
type Fields = z.output<typeof fieldsObject>;
export type ProviderConfig = Fields & { settings?: Readonly<Record<string, unknown>> };
export type SshNodeConfig = z.output<typeof sshNode>;
export type CassandraServiceConfig = z.output<typeof cassandraService>;

/** Which provider each optional field belongs to. */
const OWNERS: Readonly<Record<string, readonly ProviderName[]>> = {
  contact_points: ['existing'],
  local_dc: ['existing', 'ssh'],
  auth: ['existing', 'ssh'],
  tls: ['existing', 'ssh'],
  keyspace: ['existing', 'ssh'],
  replication: ['existing', 'ssh'],
  allow_writes: ['existing'],
  nodes: ['ssh'],
  cassandra: ['ssh'],
  lab: ['ssh'],
};

export interface FieldProblem {
  path: (string | number)[];
  message: string;
}

/** Problems with the provider fields of a parsed `cluster:` section, path relative to it. */
export function providerFieldProblems(cluster: ProviderConfig): FieldProblem[] {
  const provider = cluster.provider;
  const out: FieldProblem[] = [];
  for (const [field, owners] of Object.entries(OWNERS)) {
    if ((cluster as Record<string, unknown>)[field] !== undefined && !owners.includes(provider)) {
      out.push({ path: [field], message: `is for provider ${owners.join(' or ')}, and cluster.provider is ${provider}` });
    }
  }
  if (provider === 'containers') return out;
  if (cluster.settings && Object.keys(cluster.settings).length > 0) {
    out.push({ path: ['settings'], message: `cannot be applied: lockstorm cannot change cassandra.yaml of a cluster it did not start (provider ${provider}); leave cluster.settings out` });
  }
  const need = (field: keyof Fields, why: string) => {
    if (cluster[field] === undefined) out.push({ path: [field], message: `given; provider ${provider} needs it (${why})` });
  };
  if (provider === 'existing') {
    need('contact_points', 'where the cluster answers, e.g. ["10.0.0.5:9042"]');
    need('local_dc', 'the data center the clients use');
    need('keyspace', "lockstorm's own keyspace, created if absent");
    need('replication', 'how the keyspace is created when absent, e.g. { class: NetworkTopologyStrategy, dc1: 3 }');
    if (cluster.allow_writes !== true) {
      const prefix = cluster.allow_writes === undefined ? 'given; it ' : '';
      out.push({ path: ['allow_writes'], message: `${prefix}must be true: lockstorm creates, writes, truncates and drops tables in cluster.keyspace` });
    }
  }
  if (provider === 'ssh') {
    need('nodes', 'the hosts, each { name, host, ssh: { user, key_file } }');
    need('cassandra', '{ service: systemd, unit: cassandra } or { service: process, start: …, pid_file: … }');
    const names = new Set<string>();
    cluster.nodes?.forEach((n, i) => {
      if (names.has(n.name)) out.push({ path: ['nodes', i, 'name'], message: 'is used by an earlier node' });
      names.add(n.name);
    });
    const svc = cluster.cassandra;
    if (svc?.service === 'process') {
      if (!svc.start) out.push({ path: ['cassandra', 'start'], message: 'given; service: process needs the command that starts Cassandra' });
      if (!svc.pid_file) out.push({ path: ['cassandra', 'pid_file'], message: "given; service: process needs the file the JVM's pid is written to" });
      if (svc.unit) out.push({ path: ['cassandra', 'unit'], message: 'is for service: systemd' });
    }
    if (svc?.service === 'systemd' && (svc.start || svc.pid_file)) {
      out.push({ path: ['cassandra', svc.start ? 'start' : 'pid_file'], message: 'is for service: process (systemd knows how to start the unit and its pid)' });
    }
  }
  return out;
}

// Defined with the capabilities (the nemesis may import only cluster.ts); named here too for the config.
export { RUNNER_CAPABILITIES };

/** The faults (with the capability each needs) a provider cannot run, from a list of needs. */
export function lackingCapabilities(
  provider: ProviderName,
  needs: ReadonlyArray<{ fault: string; needs: CapabilityName }>,
): Array<{ fault: string; needs: CapabilityName }> {
  const offers = PROVIDER_CAPABILITIES[provider];
  return needs.filter((n) => !offers.includes(n.needs) && !RUNNER_CAPABILITIES.includes(n.needs));
}
