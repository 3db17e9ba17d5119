// What `lockstorm cluster status` reports, read through capabilities: the node states as the
// nodes see them, and whether each client link is up.
import type { NodeName, NodeState } from './cluster.ts';
import { DEFAULT_PROVIDER, providerNamed } from './providers.ts';

export interface ClusterStatus {
  nodes: Array<{ name: NodeName; address: string; state: NodeState }>;
  proxies: Array<{ name: string; listen: string; upstream: string; enabled: boolean }>;
}

/** Undefined when the provider has no cluster running (or cannot find one again). */
export async function clusterStatus(provider = DEFAULT_PROVIDER): Promise<ClusterStatus | undefined> {
  const cluster = await providerNamed(provider).attach?.();
  if (!cluster) return undefined;
  const { nodes, links } = cluster.capabilities;
  const [states, linkStates] = await Promise.all([
    nodes?.states() ?? new Map<NodeName, NodeState>(),
    links?.states().catch(() => []) ?? [],
  ]);
  return {
    nodes: cluster.nodes.map((n) => ({ name: n.name, address: n.address, state: states.get(n.name) ?? 'DN' })),
    proxies: cluster.proxies.map((p) => ({
      name: p.name,
      listen: p.listen,
      upstream: p.upstream,
      enabled: linkStates.find((s) => s.name === p.name)?.enabled ?? false,
    })),
  };
}
