// Driver clients that reach Cassandra only through Toxiproxy. Contact points are proxies; peers
// discovered from system.peers (which name the nodes' own addresses) are translated to their
// proxies, and an allow-list keeps every other address out of every query plan.
import cassandra from 'cassandra-driver';
import { lookup } from 'node:dns/promises';
import type { Cluster, NodeName } from './cluster.ts';
import { tolerateDriverBackgroundErrors } from './driver-background-errors.ts';

const { Client, policies } = cassandra;

export interface ConnectOptions {
  keyspace?: string;
  /** Client-side per-request timeout (driver readTimeout); default 10 000 ms. */
  requestTimeoutMs?: number;
  /**
   * false: a schema change returns once its coordinator applied it, without the driver's wait for
   * every node to agree; the caller waits once, after its last change (waitForSchemaOnEveryNode).
   */
  agreeAfterEachChange?: boolean;
}

const AGREEMENT_POLL_MS = 50;

/** The schema version the client's node runs (its own system.local). */
export async function localSchemaVersion(client: cassandra.Client): Promise<string> {
  const rs = await client.execute('SELECT schema_version FROM system.local');
  return String(rs.first()?.get('schema_version'));
}

/**
 * Resolves once every node runs one schema version other than `before` (the version before the
 * changes), each node asked itself every 50 ms; throws after `timeoutMs`. `clients`: one pinned to
 * each node. Asking each node rather than the driver's view of the ring: that view learns the
 * peers' versions by gossip, a second or more after they applied the change.
 */
export async function waitForSchemaOnEveryNode(clients: readonly cassandra.Client[], before: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const versions = await Promise.all(clients.map(localSchemaVersion));
    if (new Set(versions).size === 1 && versions[0] !== before) return;
    if (Date.now() >= deadline) throw new Error(`the nodes did not all apply the schema change within ${Math.round(timeoutMs / 1000)} s (versions ${versions.join(', ')})`);
    await new Promise((r) => setTimeout(r, AGREEMENT_POLL_MS));
  }
}

/** "host:port" with the host resolved to an IPv4 literal (the driver keys hosts by address). */
async function numericEndpoint(listen: string): Promise<string> {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i);
  const { address } = await lookup(host, { family: 4 });
  return `${address}:${listen.slice(i + 1)}`;
}

/** node address:port (as system.peers names it) -> that node's proxy endpoint. */
async function proxyMap(cluster: Cluster): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const p of cluster.proxies) map.set(p.upstream, await numericEndpoint(p.listen));
  return map;
}

// The driver checks `instanceof AddressTranslator` at run time, but its typings declare only an
// interface; extend the runtime class.
const AddressTranslatorBase = (policies.addressResolution as unknown as {
  AddressTranslator: new () => cassandra.policies.addressResolution.AddressTranslator;
}).AddressTranslator;

class ProxyTranslator extends AddressTranslatorBase {
  constructor(private readonly map: ReadonlyMap<string, string>) {
    super();
  }
  override translate(address: string, port: number, callback: (endpoint: string) => void): void {
    const key = `${address}:${port}`;
    // Unknown addresses pass through untranslated; the allow-list then never uses them.
    callback(this.map.get(key) ?? key);
  }
}

async function connect(cluster: Cluster, allowed: string[], opts: ConnectOptions): Promise<cassandra.Client> {
  tolerateDriverBackgroundErrors();
  const translator = new ProxyTranslator(await proxyMap(cluster));
  const client = new Client({
    contactPoints: allowed,
    localDataCenter: cluster.connection?.localDataCenter ?? 'datacenter1',
    ...(cluster.connection?.credentials
      ? { authProvider: new cassandra.auth.PlainTextAuthProvider(cluster.connection.credentials.username, cluster.connection.credentials.password) }
      : {}),
    // The proxies are not the names in the nodes' certificates: the CA is checked, the host name is not.
    ...(cluster.connection?.tls ? { sslOptions: { ca: [cluster.connection.tls.ca], checkServerIdentity: () => undefined } } : {}),
    keyspace: opts.keyspace,
    ...(opts.agreeAfterEachChange === false ? { protocolOptions: { maxSchemaAgreementWaitSeconds: 0 } } : {}),
    policies: {
      addressResolution: translator,
      loadBalancing: new policies.loadBalancing.AllowListPolicy(new policies.loadBalancing.RoundRobinPolicy(), allowed),
      // Every attempt surfaces: no driver-side retry, no speculative execution.
      retry: new policies.retry.FallthroughRetryPolicy(),
      speculativeExecution: new policies.speculativeExecution.NoSpeculativeExecutionPolicy(),
      reconnection: new policies.reconnection.ConstantReconnectionPolicy(1000),
    },
    pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: 1, [cassandra.types.distance.remote]: 1 }, warmup: true },
    socketOptions: { readTimeout: opts.requestTimeoutMs ?? 10_000, connectTimeout: 5000 },
    queryOptions: {
      consistency: cassandra.types.consistencies.quorum,
      serialConsistency: cassandra.types.consistencies.serial,
      isIdempotent: false,
    },
  });
  try {
    await client.connect();
  } catch (err) {
    await client.shutdown().catch(() => {});
    throw err;
  }
  return client;
}

/**
 * Shuts a client down, waiting at most `waitMs`: a client whose node was cut off can hang in
 * shutdown, and it is then left to finish on its own rather than hold up the caller.
 */
export async function shutdownWithin(client: cassandra.Client, waitMs: number): Promise<void> {
  await Promise.race([client.shutdown().catch(() => undefined), new Promise((r) => setTimeout(r, waitMs))]);
}

/** A client whose every request goes to `node` through its proxy, and nowhere else. */
export async function connectPinned(cluster: Cluster, node: NodeName, opts: ConnectOptions = {}): Promise<cassandra.Client> {
  const proxy = cluster.proxies.find((p) => p.name === node);
  if (!proxy) throw new Error(`no proxy for node "${node}"`);
  return connect(cluster, [await numericEndpoint(proxy.listen)], opts);
}

/** A client that may use every node, each only through its proxy (schema set-up, final reads). */
export async function connectAll(cluster: Cluster, opts: ConnectOptions = {}): Promise<cassandra.Client> {
  const endpoints = await Promise.all(cluster.proxies.map((p) => numericEndpoint(p.listen)));
  return connect(cluster, endpoints, opts);
}
