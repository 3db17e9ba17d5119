// Client-link cuts through Toxiproxy: the fault sits between the lock clients and one node (or
// all), never between nodes. Every cut leaves the client with the same error whether or not its
// write was applied; that ambiguity is what breaks naive lock recipes.

import type { Cluster, NodeName } from '../cluster/cluster.ts';
import type { LinkFault } from './faults.ts';
import type { FaultFamily } from './family.ts';
import { ToxiproxyClient, type ToxicSpec } from '../proxies.ts';

/** Our toxics carry this prefix so they can be told from anyone else's. */
const PREFIX = 'nemesis-';

/** The toxic a fault adds to each target proxy; null for link-down, which disables the proxy. */
export function toxicFor(fault: LinkFault): ToxicSpec | null {
  switch (fault.name) {
    case 'reply-lost':
      // Requests reach the node; its replies are swallowed and the connection stays open.
      return { name: `${PREFIX}reply-lost`, type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } };
    case 'request-lost':
      return { name: `${PREFIX}request-lost`, type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } };
    case 'reset':
      // The first bytes that cross in `stream` turn into a TCP RST (SO_LINGER 0).
      return { name: `${PREFIX}reset`, type: 'reset_peer', stream: fault.stream, attributes: { timeout: 0 } };
    case 'latency':
      // Replies are late, not lost: the write lands, the client gives up first.
      return { name: `${PREFIX}latency`, type: 'latency', stream: 'downstream', attributes: { latency: fault.latencyMs, jitter: 0 } };
    case 'link-down':
      return null;
  }
}

const toxiproxyFor = (cluster: Cluster) => new ToxiproxyClient(cluster.toxiproxyApi);

async function bounce(api: ToxiproxyClient, proxy: NodeName): Promise<void> {
  await api.setEnabled(proxy, false);
  await api.setEnabled(proxy, true);
}

export const linkFamily: FaultFamily<LinkFault> = {
  async start(cluster, fault) {
    const api = toxiproxyFor(cluster);
    const toxic = toxicFor(fault);
    for (const proxy of fault.targets) {
      if (toxic) await api.addToxic(proxy, toxic);
      else await api.setEnabled(proxy, false);
    }
  },
  async stop(cluster, fault) {
    const api = toxiproxyFor(cluster);
    const toxic = toxicFor(fault);
    for (const proxy of fault.targets) {
      if (!toxic) {
        await api.setEnabled(proxy, true);
        continue;
      }
      await api.removeToxic(proxy, toxic.name);
      // A timeout toxic drops bytes mid-frame; a connection that lived through it has a
      // desynchronised CQL stream. Closing it makes the driver reconnect cleanly.
      if (toxic.type === 'timeout') await bounce(api, proxy);
    }
  },
  async heal(cluster) {
    await toxiproxyFor(cluster).reset();
  },
  async problems(cluster) {
    const api = toxiproxyFor(cluster);
    const listed = await api.listProxies();
    const out: string[] = [];
    for (const { name } of cluster.proxies) {
      const proxy = listed.find((p) => p.name === name);
      if (!proxy) out.push(`proxy ${name}: missing from Toxiproxy`);
      else {
        if (!proxy.enabled) out.push(`proxy ${name}: disabled`);
        if (proxy.toxics.length) out.push(`proxy ${name}: toxics left: ${proxy.toxics.map((t) => t.name).join(', ')}`);
      }
    }
    return out;
  },
};
