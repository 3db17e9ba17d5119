// The existing provider: a cluster lockstorm did not start (staging, a team's own test cluster).
// It finds the nodes from the cluster's own tables, starts a Toxiproxy on this machine with one
// proxy per node and pins every client through it; it writes only in the keyspace it was given.
import { UserError } from '../../core/errors.ts';
import type { ServerSettings } from '../cluster.ts';
import { startLocalToxiproxy } from '../containers/local-toxiproxy.ts';
import type { ClusterProvider, StartOptions } from '../provider.ts';
import { driverConnection } from '../remote/connection.ts';
import { ensureKeyspace } from '../remote/keyspace.ts';
import { checkServerSettings } from '../remote/settings-check.ts';
import { discoverNodes } from './discover.ts';
import { ExistingCluster, PROVIDER_NAME } from './existing-cluster.ts';

export async function startExistingCluster(settings: ServerSettings, opts: StartOptions): Promise<ExistingCluster> {
  const cfg = opts.cluster;
  if (!cfg?.contact_points || !cfg.local_dc || !cfg.keyspace || !cfg.replication) {
    throw new UserError('cluster.contact_points: the existing provider needs contact_points, local_dc, keyspace and replication in the config');
  }
  // Checked by the config too; repeated here because this is the last door before writing.
  if (cfg.allow_writes !== true) throw new UserError('cluster.allow_writes: must be true: lockstorm creates, writes, truncates and drops tables in cluster.keyspace');
  const connection = driverConnection(cfg);
  const found = await discoverNodes(cfg.contact_points, connection, cfg.local_dc);
  const nodes = found.map((n, i) => ({ name: `n${i + 1}`, address: n.address }));
  const upstreams = found.map((n, i) => ({ name: `n${i + 1}`, upstream: `${n.address}:${n.port}` }));
  const proxy = await startLocalToxiproxy(upstreams);
  const cluster = new ExistingCluster({
    nodes,
    proxies: upstreams.map((u) => ({ ...u, listen: proxy.listen.get(u.name)! })),
    links: proxy.links,
    keyspace: cfg.keyspace,
    settings,
    connection,
    extras: { 'toxiproxy API': proxy.apiUrl },
    release: proxy.stop,
  });
  try {
    if (opts.verbose) process.stderr.write(`lockstorm: existing cluster: ${upstreams.map((u) => `${u.name} ${u.upstream}`).join(', ')} (data center ${cfg.local_dc})\n`);
    await cluster.waitHealthy(60_000);
    await checkServerSettings(cluster);
    await ensureKeyspace(cluster, cfg.replication);
    return cluster;
  } catch (err) {
    await cluster.teardown().catch(() => undefined);
    throw err;
  }
}

export const existingProvider: ClusterProvider = {
  name: PROVIDER_NAME,
  start: startExistingCluster,
};
