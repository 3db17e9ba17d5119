// The executors of a cell whose lock is an external client (docs/clients.md): before the cell, an
// empty keyspace of the clients' own and one run of the command for setup; then one child per
// client process, each given exactly its node's proxy as contact point, and watched for
// connections that go around it (harness/client/external/bypass.ts).

import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import type { Cluster } from '../cluster/cluster.ts';
import { connectPinned, shutdownWithin } from '../cluster/driver.ts';
import { UserError } from '../core/errors.ts';
import type { CellParams } from '../core/cell.ts';
import { BypassWatcher, type Endpoint } from '../client/external/bypass.ts';
import { timestampsText, type CommonFields } from '../client/external/protocol.ts';
import { ExternalSession, runSetup } from '../client/external/session.ts';
import { ReportedTables } from '../client/external/writes.ts';
import type { ExecutorFactory, PinnedExecutor } from './cell.ts';

const SCHEMA_TIMEOUT_MS = 60_000;

export interface ExternalClient {
  /** The recipe name the config gave it. */
  name: string;
  command: readonly string[];
  /** The config file's folder. */
  cwd: string;
}

/** The clients' own keyspace, beside lockstorm's. */
export function clientKeyspace(cluster: Cluster): string {
  return `${cluster.keyspace}_clients`;
}

/** Every numeric endpoint `hostPort` can mean ("localhost:9101" → 127.0.0.1:9101 and [::1]:9101). */
async function endpointsOf(hostPort: string): Promise<Endpoint[]> {
  const i = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, i).replace(/^\[|\]$/g, '');
  const port = hostPort.slice(i + 1);
  try {
    const all = await lookup(host, { all: true });
    return all.map((a) => (a.family === 6 ? `[${expandV6(a.address)}]:${port}` : `${a.address}:${port}`));
  } catch {
    return [`${host}:${port}`];
  }
}

/** An IPv6 address in the uncompressed, zero-trimmed form bypass.ts writes. */
function expandV6(address: string): string {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g, 16).toString(16)).join(':');
}

export type ExternalExecutorFactory = ExecutorFactory & {
  /** What went wrong with the clients beyond single operations: connections around their contact points. */
  problems(): string[];
};

export function externalExecutors(cluster: Cluster, params: CellParams, client: ExternalClient, cellDir: string): ExternalExecutorFactory {
  const keyspace = clientKeyspace(cluster);
  const logDir = join(cellDir, 'clients');
  const tables = new ReportedTables();
  const proxyOf = (node: string): string => {
    const p = cluster.proxies.find((x) => x.name === node);
    if (!p) throw new Error(`no proxy for node ${node}`);
    return p.listen;
  };
  const common = (process: number, node: string, opTimeoutMs: number): CommonFields => ({
    process,
    contact_points: [proxyOf(node)],
    keyspace,
    local_dc: cluster.connection?.localDataCenter ?? 'datacenter1',
    settings: {
      ttl_s: params.ttlSeconds,
      write_cl: params.writeCl,
      read_cl: params.readCl,
      serial_cl: params.serialCl,
      op_timeout_ms: opTimeoutMs,
      timestamps: timestampsText(params.timestamps),
    },
  });

  // Every Cassandra endpoint a child could reach: the nodes' own addresses and every proxy.
  let watcher: BypassWatcher | null = null;
  const cassandraEndpoints = async (): Promise<Set<Endpoint>> => {
    const all = new Set<Endpoint>();
    for (const p of cluster.proxies) {
      for (const e of await endpointsOf(p.listen)) all.add(e);
      for (const e of await endpointsOf(p.upstream)) all.add(e);
    }
    return all;
  };

  return {
    nodes: cluster.nodes.map((n) => n.name),

    async prepare() {
      watcher ??= new BypassWatcher(await cassandraEndpoints());
      const admin = await connectPinned(cluster, cluster.nodes[0]!.name, { requestTimeoutMs: SCHEMA_TIMEOUT_MS });
      try {
        const rs = await admin.execute('SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?', [cluster.keyspace], { prepare: true });
        const replication = (rs.first()?.['replication'] ?? { class: 'SimpleStrategy', replication_factor: '3' }) as Record<string, string>;
        const map = Object.entries(replication).map(([k, v]) => `'${k}': '${v}'`).join(', ');
        // Empty for every cell: no table, row or Paxos state of an earlier cell survives.
        await admin.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
        await admin.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {${map}}`);
      } finally {
        await shutdownWithin(admin, 5_000);
      }
      try {
        await runSetup(client.command, client.cwd, join(logDir, 'setup.log'), common(0, cluster.nodes[0]!.name, params.opTimeoutMs));
      } catch (err) {
        throw new UserError(`recipes.${client.name}.command: ${err instanceof Error ? err.message : String(err)}`);
      }
    },

    async open(process, node, opTimeoutMs): Promise<PinnedExecutor> {
      const watching = watcher ?? (watcher = new BypassWatcher(await cassandraEndpoints()));
      const allowed = new Set(await endpointsOf(proxyOf(node)));
      const session = new ExternalSession(
        {
          command: client.command,
          cwd: client.cwd,
          logDir,
          common: (p) => common(p, node, opTimeoutMs),
          opTimeoutMs,
          tables,
          onChild: (child, p) => {
            if (child.pid === undefined) return;
            const pgid = child.pid;
            watching.watch({ label: `p${p}`, pgid, allowed });
            void child.whenExited().then(() => watching.forget(pgid));
          },
        },
        process,
      );
      try {
        await session.start();
      } catch (err) {
        await session.close();
        throw new UserError(`recipes.${client.name}.command: ${err instanceof Error ? err.message : String(err)}`);
      }
      return session;
    },

    problems() {
      if (!watcher) return [];
      watcher.stop();
      const found = watcher.found();
      if (found.length === 0) return [];
      return [
        `client ${client.name} reached Cassandra around its contact point (peer discovery): ${found.join(', ')}; ` +
          'faults on its links were bypassed, so this cell does not test it',
      ];
    },
  };
}
