// The cluster layer's entry point: start a cluster through a provider, find a running one again,
// remove leftovers, connect clients through the contact points.
export type {
  Capabilities, CapabilityName, ClockControl, Cluster, LinkControl, LinkState, NetControl, NodeControl, NodeInfo, NodeName,
  NodeState, ProxyInfo, ServerSettings, ToxicSpec,
} from './cluster.ts';
export { startCluster, reuseCluster, providerNamed, providers, registerProvider, DEFAULT_PROVIDER } from './providers.ts';
export type { ClusterProvider, CleanCounts, ReuseOutcome, StartOptions } from './provider.ts';
export { DEFAULT_SETTINGS, resolveSettings } from './settings.ts';
export { clusterStatus, type ClusterStatus } from './status.ts';
export { connectPinned, connectAll } from './driver.ts';
import { DEFAULT_PROVIDER, providerNamed, providers } from './providers.ts';
import type { CleanCounts } from './provider.ts';
import type { Cluster } from './cluster.ts';

/** The cluster a provider left running (`cluster up`), if any. */
export async function attachCluster(provider = DEFAULT_PROVIDER): Promise<Cluster | undefined> {
  return providerNamed(provider).attach?.();
}

/** Removes everything every provider started (also after a crash), counts summed. */
export async function cleanAll(): Promise<CleanCounts> {
  const total: CleanCounts = { containers: 0, networks: 0, volumes: 0 };
  for (const provider of Object.values(providers)) {
    const removed = await provider.clean?.();
    if (!removed) continue;
    total.containers += removed.containers;
    total.networks += removed.networks;
    total.volumes += removed.volumes;
  }
  return total;
}
