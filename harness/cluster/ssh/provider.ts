// The ssh provider: a cluster of hosts lockstorm reaches over SSH (Jepsen's way: nodes are hosts,
// faults are commands run on them). It starts nothing on the hosts but the faults; on this machine
// it starts a Toxiproxy with one proxy per node, and every client goes through it.
import { UserError } from '../../core/errors.ts';
import type { ServerSettings } from '../cluster.ts';
import { startLocalToxiproxy } from '../containers/local-toxiproxy.ts';
import { ensureSshLab } from '../containers/ssh-lab-run.ts';
import type { ClusterProvider, StartOptions } from '../provider.ts';
import { driverConnection } from '../remote/connection.ts';
import { ensureKeyspace } from '../remote/keyspace.ts';
import { checkServerSettings } from '../remote/settings-check.ts';
import { SshSession } from './session.ts';
import { PROVIDER_NAME, SshCluster } from './ssh-cluster.ts';

const DEFAULT_KEYSPACE = 'lockstorm';

export async function startSshCluster(settings: ServerSettings, opts: StartOptions): Promise<SshCluster> {
  const cfg = opts.cluster;
  if (!cfg?.nodes || !cfg.cassandra) throw new UserError('cluster.nodes: the ssh provider needs cluster.nodes and cluster.cassandra in the config');
  const log = opts.verbose ? (m: string) => process.stderr.write(`lockstorm: ${m}\n`) : () => {};
  const releases: Array<() => Promise<void>> = [];
  const release = async () => {
    for (const r of releases.splice(0).reverse()) await r().catch(() => undefined);
  };
  const sessions = new Map<string, SshSession>();
  try {
    if (cfg.lab === 'ssh') {
      const lab = await ensureSshLab(settings, opts.verbose);
      releases.push(lab.release);
      log(lab.started ? 'SSH lab started' : 'using the SSH lab that runs');
    }
    const connection = driverConnection(cfg);
    for (const n of cfg.nodes) sessions.set(n.name, new SshSession(n));
    // Every host must answer before anything else happens: a wrong key or host fails here.
    await Promise.all([...sessions.values()].map((s) => s.ok(['true'])));
    const nodes = cfg.nodes.map((n) => ({ name: n.name, address: n.address ?? n.host }));
    const upstreams = cfg.nodes.map((n) => ({ name: n.name, upstream: `${n.address ?? n.host}:${n.cql_port}` }));
    const proxy = await startLocalToxiproxy(upstreams);
    releases.push(proxy.stop);
    const extras: Record<string, string> = { 'toxiproxy API': proxy.apiUrl };
    for (const [name, s] of sessions) if (s.seenHostKey) extras[`${name} host key`] = s.seenHostKey;
    const cluster = new SshCluster({
      nodes,
      proxies: upstreams.map((u) => ({ ...u, listen: proxy.listen.get(u.name)! })),
      sessions,
      cassandra: cfg.cassandra,
      links: proxy.links,
      keyspace: cfg.keyspace ?? DEFAULT_KEYSPACE,
      settings,
      connection,
      extras,
      release,
    });
    log(`ssh: ${nodes.map((n) => `${n.name} (${n.address})`).join(', ')}; waiting until every node is UN and answers through its proxy`);
    await cluster.waitHealthy(240_000);
    await checkServerSettings(cluster);
    await ensureKeyspace(cluster, cfg.replication ?? { class: 'SimpleStrategy', replication_factor: Math.min(3, nodes.length) });
    return cluster;
  } catch (err) {
    for (const s of sessions.values()) s.close();
    await release();
    throw err;
  }
}

export const sshProvider: ClusterProvider = {
  name: PROVIDER_NAME,
  start: startSshCluster,
};
