// The Cluster the ssh provider returns: nodes that are hosts, each reached by its own SSH
// connection; clients reach them only through a Toxiproxy on this machine. Every capability works
// through SSH alone (and the local proxy for client links): nothing here knows of containers.
import type { Capabilities, Cluster, DriverConnection, NodeControl, NodeInfo, NodeName, NodeState, ProxyInfo, ServerSettings } from '../cluster.ts';
import type { LinkControl } from '../cluster.ts';
import { combineViews, parseNodetoolStatus } from '../containers/health.ts';
import type { CassandraServiceConfig } from '../provider-config.ts';
import { readReleaseVersions } from '../release-version.ts';
import type { ServerVersion } from '../../core/server-version.ts';
import { cqlProblem, sleep, withTimeout } from '../cql-health.ts';
import { paxosProblems } from '../ring-health.ts';
import { SshFaketimeClock } from './faketime-clock.ts';
import { SshIptablesNet } from './iptables-net.ts';
import { CassandraService } from './service.ts';
import type { SshSession } from './session.ts';

export const PROVIDER_NAME = 'ssh';
const CQL_RESTART_TIMEOUT_MS = 300_000;

export interface SshClusterParts {
  nodes: readonly NodeInfo[];
  proxies: readonly ProxyInfo[];
  sessions: ReadonlyMap<NodeName, SshSession>;
  cassandra: CassandraServiceConfig;
  links: LinkControl;
  keyspace: string;
  settings: ServerSettings;
  connection: DriverConnection;
  extras: Readonly<Record<string, string>>;
  /** Stops what the provider started (the local proxy, a lab) after the SSH connections close. */
  release: () => Promise<void>;
}

export class SshCluster implements Cluster, NodeControl {
  serverVersion?: ServerVersion;
  readonly provider = PROVIDER_NAME;
  readonly nodes: readonly NodeInfo[];
  readonly proxies: readonly ProxyInfo[];
  readonly keyspace: string;
  readonly settings: ServerSettings;
  readonly connection: DriverConnection;
  readonly extras: Readonly<Record<string, string>>;
  readonly capabilities: Capabilities;
  private readonly services: Map<NodeName, CassandraService>;

  constructor(private readonly parts: SshClusterParts) {
    this.nodes = parts.nodes;
    this.proxies = parts.proxies;
    this.keyspace = parts.keyspace;
    this.settings = parts.settings;
    this.connection = parts.connection;
    this.extras = parts.extras;
    this.services = new Map(parts.nodes.map((n) => [n.name, new CassandraService(this.session(n.name), parts.cassandra)]));
    const session = (n: NodeName) => this.session(n);
    const service = (n: NodeName) => this.service(n);
    this.capabilities = {
      nodes: this,
      links: parts.links,
      net: new SshIptablesNet(parts.nodes, session),
      clock: new SshFaketimeClock(parts.cassandra.faketime_file, session, service),
    };
  }

  session(node: NodeName): SshSession {
    const s = this.parts.sessions.get(node);
    if (!s) throw new Error(`unknown node "${node}" (known: ${this.nodes.map((n) => n.name).join(', ')})`);
    return s;
  }

  service(node: NodeName): CassandraService {
    const s = this.services.get(node);
    if (!s) throw new Error(`unknown node "${node}"`);
    return s;
  }

  stop(node: NodeName): Promise<void> {
    return this.service(node).stop();
  }

  kill(node: NodeName): Promise<void> {
    return this.service(node).kill();
  }

  pause(node: NodeName): Promise<void> {
    return this.service(node).pause();
  }

  resume(node: NodeName): Promise<void> {
    return this.service(node).resume();
  }

  /** Stops a running node gracefully and starts it (or starts a stopped or killed one); resolves once it serves CQL. */
  async restart(node: NodeName): Promise<void> {
    const svc = this.service(node);
    if ((await svc.state()) !== 'gone') await svc.stop();
    await svc.start();
    const deadline = Date.now() + CQL_RESTART_TIMEOUT_MS;
    let last: string | undefined = 'not tried';
    while (Date.now() < deadline) {
      if ((await svc.state()) === 'gone') throw new Error(`${node}: Cassandra exited while starting`);
      last = await cqlProblem(this, node);
      if (last === undefined) return;
      await sleep(1000);
    }
    throw new Error(`${node} did not serve CQL within ${CQL_RESTART_TIMEOUT_MS / 1000} s after its start: ${last}`);
  }

  async running(node: NodeName): Promise<boolean> {
    return (await this.service(node).state()) === 'running';
  }

  /** `nodetool status` on every node whose JVM runs; a node is UN when every answer says so. */
  async states(): Promise<Map<NodeName, NodeState>> {
    const views = await Promise.all(
      this.nodes.map(async (n) => {
        if (!(await this.running(n.name).catch(() => false))) return undefined;
        const out = await withTimeout(this.session(n.name).ok([this.parts.cassandra.nodetool, 'status'], { privileged: true }), 30_000, 'nodetool status').catch(
          () => undefined,
        );
        return out === undefined ? undefined : parseNodetoolStatus(out);
      }),
    );
    const answered = views.filter((v): v is Map<string, string> => v !== undefined);
    const byAddress = combineViews(this.nodes.map((n) => n.address), answered);
    return new Map(this.nodes.map((n) => [n.name, byAddress.get(n.address) ?? 'DN']));
  }

  releaseVersions(): Promise<Record<string, string>> {
    return readReleaseVersions(this);
  }

  async waitHealthy(timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const states = await this.states();
      const down = [...states].filter(([, s]) => s !== 'UN').map(([n]) => n);
      if (down.length === 0) {
        const problems = (await Promise.all(this.nodes.map((n) => cqlProblem(this, n.name)))).filter(Boolean);
        if (problems.length === 0) {
          const paxos = await paxosProblems(this);
          if (paxos.length === 0) return;
          last = paxos.join('; ');
        } else {
          last = `no CQL answer through a proxy: ${problems.join('; ')}`;
        }
      } else {
        last = `not UN: ${down.join(', ')}`;
      }
      await sleep(1000);
    }
    throw new Error(`the ssh cluster did not become healthy within ${Math.round(timeoutMs / 1000)} s (${last})`);
  }

  async teardown(): Promise<void> {
    for (const s of this.parts.sessions.values()) s.close();
    await this.parts.release();
  }
}
