// The Cluster the existing provider returns: nodes lockstorm found and did not start, behind a
// Toxiproxy on this machine. It offers client-link faults only: lockstorm has no hand on the
// nodes themselves, so node, partition and clock faults are refused when the config is read.
import type { Capabilities, Cluster, DriverConnection, LinkControl, NodeInfo, ProxyInfo, ServerSettings } from '../cluster.ts';
import { readReleaseVersions } from '../release-version.ts';
import type { ServerVersion } from '../../core/server-version.ts';
import { cqlProblem, sleep } from '../cql-health.ts';

export const PROVIDER_NAME = 'existing';

export interface ExistingClusterParts {
  nodes: readonly NodeInfo[];
  proxies: readonly ProxyInfo[];
  links: LinkControl;
  keyspace: string;
  settings: ServerSettings;
  connection: DriverConnection;
  extras: Readonly<Record<string, string>>;
  release: () => Promise<void>;
}

export class ExistingCluster implements Cluster {
  serverVersion?: ServerVersion;
  readonly provider = PROVIDER_NAME;
  readonly nodes: readonly NodeInfo[];
  readonly proxies: readonly ProxyInfo[];
  readonly keyspace: string;
  readonly settings: ServerSettings;
  readonly connection: DriverConnection;
  readonly extras: Readonly<Record<string, string>>;
  readonly capabilities: Capabilities;

  constructor(private readonly parts: ExistingClusterParts) {
    this.nodes = parts.nodes;
    this.proxies = parts.proxies;
    this.keyspace = parts.keyspace;
    this.settings = parts.settings;
    this.connection = parts.connection;
    this.extras = parts.extras;
    this.capabilities = { links: parts.links };
  }

  releaseVersions(): Promise<Record<string, string>> {
    return readReleaseVersions(this);
  }

  /**
   * Healthy = every node answers CQL through its own proxy. lockstorm cannot run nodetool here;
   * a node the others see down but that still answers its clients counts as up.
   */
  async waitHealthy(timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const problems = (await Promise.all(this.nodes.map((n) => cqlProblem(this, n.name)))).filter(Boolean);
      if (problems.length === 0) return;
      last = problems.join('; ');
      await sleep(1000);
    }
    throw new Error(`the existing cluster did not answer through every proxy within ${Math.round(timeoutMs / 1000)} s (${last})`);
  }

  async teardown(): Promise<void> {
    await this.parts.release();
  }
}
