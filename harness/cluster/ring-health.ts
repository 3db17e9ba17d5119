// What "every node sees every node up and normal, with one schema" means, read over CQL through
// each node's own proxy instead of a nodetool JVM in every container. From each node:
//   - system.local: this node finished joining (bootstrapped COMPLETED) and owns tokens;
//   - system.peers: every other node is a peer with tokens (a node writes a peer's tokens there
//     when it handles that peer's NORMAL state);
//   - schema_version of itself and of every peer: one version across all views (agreement);
//   - one read at consistency ALL of a keyspace replicated to every node: the coordinator refuses
//     it (Unavailable) while its failure detector holds any replica down, and it answers only
//     once every replica has answered, so it shows this node sees every other node up;
//   - one read at SERIAL of a partition of its own: a Paxos round this node coordinates, which the
//     others answer only while they trust its messages' timestamps. After a clock offset is taken
//     back, Cassandra keeps translating its monotonic clock with the old offset until it next
//     samples the wall clock (MonotonicClock's epoch sampling, every 10 s, and only when the new
//     sample is no noisier), so for a while its peers drop its Paxos messages as expired (they
//     carry the shortest timeout). Under load that lasted from 20 s to over a minute.
// The pure part (ringProblems) judges what was read; readRingView does the reading.
import cassandra from 'cassandra-driver';
import type { Cluster, NodeInfo, NodeName } from './cluster.ts';
import { connectPinned } from './driver.ts';

/** A keyspace every lockstorm-supported Cassandra creates with replication_factor 3 (4.0 to 5.0). */
export const ALL_NODES_KEYSPACE = 'system_distributed';
const PROBE = `SELECT parent_id FROM ${ALL_NODES_KEYSPACE}.parent_repair_history WHERE parent_id = 00000000-0000-1000-8000-000000000000`;
/**
 * The Paxos probe reads a partition of each node's own (a version-1 UUID numbered by the node's
 * place): nodes asked at once on one partition would pre-empt each other's ballots and time out on
 * their own contention, not on anything wrong with the cluster.
 */
export const paxosProbe = (place: number): string =>
  `SELECT parent_id FROM ${ALL_NODES_KEYSPACE}.parent_repair_history WHERE parent_id = 00000000-0000-1000-8000-${(place + 1).toString(16).padStart(12, '0')}`;

/** One node's answers; `error` when it could not be asked at all. */
export interface RingView {
  node: NodeName;
  error?: string;
  bootstrapped?: string | null;
  localTokens?: number;
  schemaVersion?: string | null;
  peers?: Array<{ address: string; tokens: number; schemaVersion: string | null }>;
  /** replication_factor of ALL_NODES_KEYSPACE as this node has it (NaN when not simple). */
  probeRf?: number;
  /** Undefined when the read at ALL answered, else why not. */
  allReadError?: string;
  /** Undefined when the read at SERIAL (a Paxos round this node coordinates) answered, else why not. */
  serialReadError?: string;
}

/** Everything the views say is not healthy, one line each; empty when healthy. */
export function ringProblems(nodes: readonly NodeInfo[], views: readonly RingView[]): string[] {
  const out: string[] = [];
  const versions = new Set<string>();
  for (const n of nodes) {
    const v = views.find((x) => x.node === n.name);
    if (!v || v.error !== undefined) {
      out.push(`${n.name}: no CQL answer through its proxy${v?.error ? ` (${v.error})` : ''}`);
      continue;
    }
    if (v.bootstrapped !== 'COMPLETED') out.push(`${n.name}: has not finished joining (bootstrapped ${String(v.bootstrapped)})`);
    if (!v.localTokens) out.push(`${n.name}: owns no token`);
    if (v.schemaVersion) versions.add(v.schemaVersion);
    else out.push(`${n.name}: no schema version`);
    for (const other of nodes) {
      if (other.name === n.name) continue;
      const peer = v.peers?.find((p) => p.address === other.address);
      if (!peer) out.push(`${n.name}: does not know ${other.name} (${other.address}) as a peer`);
      else if (peer.tokens === 0) out.push(`${n.name}: knows no token of ${other.name} (not normal)`);
      else if (peer.schemaVersion) versions.add(peer.schemaVersion);
      else out.push(`${n.name}: no schema version for ${other.name}`);
    }
    if (v.probeRf === undefined || !(v.probeRf >= nodes.length)) {
      out.push(`${n.name}: ${ALL_NODES_KEYSPACE} is not replicated to every node (replication_factor ${String(v.probeRf)})`);
    } else if (v.allReadError !== undefined) {
      out.push(`${n.name}: does not see every node up (read at ALL: ${v.allReadError})`);
    } else if (v.serialReadError !== undefined) {
      out.push(`${n.name}: cannot complete a Paxos round (read at SERIAL: ${v.serialReadError})`);
    }
  }
  if (versions.size > 1) out.push(`schema disagreement: ${versions.size} schema versions among the nodes`);
  return out;
}

function firstLine(err: unknown): string {
  return ((err as Error).message ?? String(err)).split('\n')[0]!;
}

function replicationFactor(replication: Record<string, string> | undefined): number {
  if (!replication || !String(replication['class']).endsWith('SimpleStrategy')) return Number.NaN;
  return Number(replication['replication_factor']);
}

async function serialReadError(client: cassandra.Client, place: number): Promise<string | undefined> {
  try {
    await client.execute(paxosProbe(place), [], { consistency: cassandra.types.consistencies.serial });
    return undefined;
  } catch (err) {
    return firstLine(err);
  }
}

/**
 * The Paxos round alone, through every node's proxy, for clusters whose ring is judged another
 * way (over SSH with nodetool): a SERIAL read needs only a quorum of the probe's replicas, so it
 * holds for any number of nodes.
 */
export async function paxosProblems(cluster: Cluster, timeoutMs = 5000): Promise<string[]> {
  const found = await Promise.all(
    cluster.nodes.map(async (n, place): Promise<string | undefined> => {
      let client: cassandra.Client;
      try {
        client = await connectPinned(cluster, n.name, { requestTimeoutMs: timeoutMs });
      } catch (err) {
        return `${n.name}: no CQL answer through its proxy (${firstLine(err)})`;
      }
      try {
        const error = await serialReadError(client, place);
        return error === undefined ? undefined : `${n.name}: cannot complete a Paxos round (read at SERIAL: ${error})`;
      } finally {
        await client.shutdown().catch(() => undefined);
      }
    }),
  );
  return found.filter((p): p is string => p !== undefined);
}

/** Asks one node, through its proxy, everything ringProblems judges; `place` is its index in `cluster.nodes` (its Paxos probe's partition). */
export async function readRingView(cluster: Cluster, node: NodeName, place: number, timeoutMs = 5000): Promise<RingView> {
  let client: cassandra.Client;
  try {
    client = await connectPinned(cluster, node, { requestTimeoutMs: timeoutMs });
  } catch (err) {
    return { node, error: firstLine(err) };
  }
  try {
    const local = (await client.execute('SELECT bootstrapped, tokens, schema_version FROM system.local')).first();
    const peers = (await client.execute('SELECT peer, tokens, schema_version FROM system.peers')).rows.map((r) => ({
      address: String(r['peer']),
      tokens: (r['tokens'] as string[] | null)?.length ?? 0,
      schemaVersion: r['schema_version'] ? String(r['schema_version']) : null,
    }));
    const ks = (await client.execute('SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?', [ALL_NODES_KEYSPACE], { prepare: true })).first();
    const view: RingView = {
      node,
      bootstrapped: (local?.['bootstrapped'] as string | null) ?? null,
      localTokens: (local?.['tokens'] as string[] | null)?.length ?? 0,
      schemaVersion: local?.['schema_version'] ? String(local['schema_version']) : null,
      peers,
      probeRf: ks ? replicationFactor(ks['replication'] as Record<string, string>) : Number.NaN,
    };
    try {
      await client.execute(PROBE, [], { consistency: cassandra.types.consistencies.all });
    } catch (err) {
      view.allReadError = firstLine(err);
    }
    if (view.allReadError === undefined) view.serialReadError = await serialReadError(client, place);
    return view;
  } catch (err) {
    return { node, error: firstLine(err) };
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

/** Whether a look at the ring went unanswered in time (the driver's or the server's timeout), rather than being answered "not yet". */
export function lookTimedOut(problems: readonly string[]): boolean {
  return problems.some((p) => /did not reply before timeout|timed out/i.test(p));
}

/** Problems with the whole cluster, every node asked at once; empty when healthy. */
export async function clusterRingProblems(cluster: Cluster, timeoutMs = 5000): Promise<string[]> {
  const views = await Promise.all(cluster.nodes.map((n, place) => readRingView(cluster, n.name, place, timeoutMs)));
  return ringProblems(cluster.nodes, views);
}
