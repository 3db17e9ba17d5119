// The cluster providers lockstorm knows, one line each. A provider starts a cluster and says
// which capabilities it has; nothing outside its own folder knows how it does so.
import type { Cluster, ServerSettings } from './cluster.ts';
import type { ClusterProvider, ReuseOutcome, StartOptions } from './provider.ts';
import { containersProvider } from './containers/provider.ts';
import { existingProvider } from './existing/provider.ts';
import { sshProvider } from './ssh/provider.ts';
import { readReleaseVersions } from './release-version.ts';
import { releaseMismatch } from '../core/server-version.ts';
import { resolveSettings } from './settings.ts';

const registry: Record<string, ClusterProvider> = {
  containers: containersProvider,
  existing: existingProvider,
  ssh: sshProvider,
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

/**
 * The cluster a provider left running (`lockstorm cluster up`) when it is the one startCluster
 * would start with these settings and runs the release asked for; `refused` says why not;
 * undefined when the provider cannot reuse or nothing runs. Never tears anything down: the
 * cluster belongs to whoever started it.
 */
export async function reuseCluster(
  partial: Partial<ServerSettings> | undefined,
  opts: { provider?: string } = {},
): Promise<ReuseOutcome | undefined> {
  const settings = resolveSettings(partial);
  const outcome = await providerNamed(opts.provider ?? DEFAULT_PROVIDER).reuse?.(settings);
  if (!outcome || !('cluster' in outcome) || !outcome.cluster.releaseVersions) return outcome;
  const cluster = outcome.cluster;
  try {
    cluster.serverVersion = { asked: settings.cassandraVersion, reported: await cluster.releaseVersions!() };
  } catch (err) {
    return { refused: `its nodes did not say which release they run (${(err as Error).message.split('\n')[0]})` };
  }
  const wrong = releaseMismatch(cluster.serverVersion);
  return wrong ? { refused: wrong } : outcome;
}

export { readReleaseVersions };
