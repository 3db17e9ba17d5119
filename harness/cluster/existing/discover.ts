// The nodes of a cluster lockstorm did not start, as the cluster itself lists them: one
// coordinator's system.local and system.peers_v2, read over a direct connection to a contact
// point (the proxies do not exist yet). Only nodes of the local data center are kept: clients are
// pinned to those, as an application in that data center would be.
import cassandra from 'cassandra-driver';
import { UserError } from '../../core/errors.ts';
import type { DriverConnection } from '../cluster.ts';
import { tolerateDriverBackgroundErrors } from '../driver-background-errors.ts';

export interface DiscoveredNode {
  /** The node's client address and port (what the driver reads from the peers tables). */
  address: string;
  port: number;
  dataCenter: string;
  hostId: string;
}

const WILDCARD = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** Nodes in `localDc`, sorted by address so names n1, n2, … are stable between runs. */
export function nodesOf(local: DiscoveredNode, peers: readonly DiscoveredNode[], localDc: string): DiscoveredNode[] {
  const all = [local, ...peers];
  const mine = all.filter((n) => n.dataCenter === localDc);
  if (mine.length === 0) {
    const dcs = [...new Set(all.map((n) => n.dataCenter))].sort().join(', ');
    throw new UserError(`cluster.local_dc: no node is in data center "${localDc}" (the cluster has: ${dcs})`);
  }
  const key = (a: string) => a.split(/[.:]/).map((p) => p.padStart(5, '0')).join('.');
  return mine.sort((a, b) => key(a.address).localeCompare(key(b.address)) || a.port - b.port);
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

export async function discoverNodes(contactPoints: readonly string[], connection: DriverConnection, localDc: string): Promise<DiscoveredNode[]> {
  tolerateDriverBackgroundErrors();
  const errors: string[] = [];
  for (const contact of contactPoints) {
    const i = contact.lastIndexOf(':');
    const host = contact.slice(0, i).replace(/^\[|\]$/g, '');
    const port = Number(contact.slice(i + 1));
    const client = new cassandra.Client({
      contactPoints: [host],
      protocolOptions: { port },
      localDataCenter: localDc,
      // Every query to the contact point itself: its system.local and its peers.
      policies: { loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(new cassandra.policies.loadBalancing.RoundRobinPolicy(), [`${host}:${port}`]) },
      ...(connection.credentials ? { authProvider: new cassandra.auth.PlainTextAuthProvider(connection.credentials.username, connection.credentials.password) } : {}),
      ...(connection.tls ? { sslOptions: { ca: [connection.tls.ca], checkServerIdentity: () => undefined } } : {}),
      socketOptions: { connectTimeout: 10_000, readTimeout: 15_000 },
    });
    try {
      await client.connect();
      const l = (await client.execute('SELECT rpc_address, rpc_port, data_center, host_id FROM system.local')).first();
      const lAddr = str(l?.get('rpc_address'));
      const local: DiscoveredNode = {
        address: WILDCARD.has(lAddr) ? host : lAddr,
        port: Number(l?.get('rpc_port') ?? port) || port,
        dataCenter: str(l?.get('data_center')),
        hostId: str(l?.get('host_id')),
      };
      const rs = await client.execute('SELECT native_address, native_port, data_center, host_id FROM system.peers_v2');
      const peers = rs.rows.map((r) => ({
        address: str(r.get('native_address')),
        port: Number(r.get('native_port') ?? 9042) || 9042,
        dataCenter: str(r.get('data_center')),
        hostId: str(r.get('host_id')),
      }));
      return nodesOf(local, peers, localDc);
    } catch (err) {
      if (err instanceof UserError) throw err;
      errors.push(`${contact}: ${(err as Error).message.split('\n')[0]}`);
    } finally {
      await client.shutdown().catch(() => undefined);
    }
  }
  throw new Error(`cannot read the cluster's nodes from any contact point: ${errors.join('; ')}`);
}
