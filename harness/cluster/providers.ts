// The cluster providers lockstorm knows, one line each. A provider starts a cluster and says
// which capabilities it has; nothing outside its own folder knows how it does so.
import type { Cluster, ServerSettings } from './cluster.ts';
import { containersProvider } from './containers/provider.ts';
import { readReleaseVersions } from './release-version.ts';
import { releaseMismatch } from './versions.ts';
import { resolveSettings } from './settings.ts';

export interface StartOptions {
  /** Leave the cluster running when this process exits (`lockstorm cluster up`). */
  keepAfterExit?: boolean;
  /** Progress lines on stderr. */
  verbose?: boolean;
}

export interface CleanCounts {
  containers: number;
  networks: number;
  volumes: number;
}

export interface ClusterProvider {
  readonly name: string;
  /** Starts a healthy cluster with these (already resolved) settings and a keyspace with RF=3. */
  start(settings: ServerSettings, opts: StartOptions): Promise<Cluster>;
  /**
   * Makes sure `start` can run (engines, images), doing only what is missing; says what is ready.
   * Without versions: what the default version and the test suite need.
   */
  prepare?(versions?: readonly string[]): Promise<string>;
  /** The cluster this provider left running (`cluster up`), if any. */
  attach?(): Promise<Cluster | undefined>;
  /** Removes everything this provider ever started, also after a crash. */
  clean?(): Promise<CleanCounts>;
}

const registry: Record<string, ClusterProvider> = {
  containers: containersProvider,
};

export const providers: Readonly<Record<string, ClusterProvider>> = registry;

/** Adds a provider that is not in the list above (tests, experiments); a name is taken once. */
export function registerProvider(provider: ClusterProvider): void {
  if (registry[provider.name]) throw new Error(`cluster provider "${provider.name}" is already registered`);
  registry[provider.name] = provider;
}

export const DEFAULT_PROVIDER = 'containers';

export function providerNamed(name: string): ClusterProvider {
  const provider = providers[name];
  if (!provider) throw new Error(`unknown cluster provider "${name}" (known: ${Object.keys(providers).join(', ')})`);
  return provider;
}

/**
 * Starts a cluster; settings left out take the run config's defaults. When the provider can say
 * which release its nodes run, a cluster on another release than asked for is torn down and
 * rejected: nothing run on it would be about the version the config names.
 */
export async function startCluster(
  partial?: Partial<ServerSettings>,
  opts: StartOptions & { provider?: string } = {},
): Promise<Cluster> {
  const settings = resolveSettings(partial);
  const cluster = await providerNamed(opts.provider ?? DEFAULT_PROVIDER).start(settings, opts);
  if (!cluster.releaseVersions) return cluster;
  try {
    cluster.serverVersion = { asked: settings.cassandraVersion, reported: await cluster.releaseVersions() };
    const wrong = releaseMismatch(cluster.serverVersion);
    if (wrong) throw new Error(wrong);
  } catch (err) {
    await cluster.teardown().catch(() => {});
    throw err;
  }
  return cluster;
}

export { readReleaseVersions };
