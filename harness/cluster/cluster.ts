// What a running cluster offers, whoever provides it. Workloads see the contact points; the
// nemesis sees capabilities. A provider that cannot do something leaves that capability out, and
// the nemesis refuses the faults that need it by name instead of failing half-way through a run.

import type { ServerVersion } from '../core/server-version.ts';

export type NodeName = 'n1' | 'n2' | 'n3' | (string & {});

export interface NodeInfo {
  name: NodeName;
  /** The node's own address on the cluster network (what Cassandra gossips and system.peers shows). */
  address: string;
}

/** Where a client reaches one node: through the proxy in front of it, never directly. */
export interface ProxyInfo {
  /** Same as the node it fronts, e.g. "n1". */
  name: NodeName;
  /** host:port a client dials; reachable from the machine running lockstorm. */
  listen: string;
  /** The node's own address:port behind it (as system.peers names it). */
  upstream: string;
}

/** A cassandra.yaml value a config may set (`cluster.settings`). */
export type YamlScalar = string | number | boolean;

/** Server settings that force a cluster restart when they change between matrix cells. */
export interface ServerSettings {
  /** Exact Cassandra release, e.g. "4.1.10" (harness/cluster/versions.ts resolves a line to it). */
  cassandraVersion: string;
  paxosVariant: 'v1' | 'v2';
  writeRequestTimeoutMs: number;
  readRequestTimeoutMs: number;
  casContentionTimeoutMs: number;
  /** cassandra.yaml overrides, by the version's own setting names; each replaces lockstorm's value. */
  yaml: Readonly<Record<string, YamlScalar>>;
}


/** A node as the running nodes see it: up and normal, or anything else. */
export type NodeState = 'UN' | 'DN';

/** Node lifecycle: the node fault family's whole world. */
export interface NodeControl {
  /** Graceful stop: the node drains and announces its shutdown. */
  stop(node: NodeName): Promise<void>;
  /** Abrupt death: no announcement; peers notice through the failure detector. */
  kill(node: NodeName): Promise<void>;
  /** Freezes the node's process; it keeps its sockets but answers nothing. */
  pause(node: NodeName): Promise<void>;
  /** Thaws the node however it was frozen; harmless on a node that is not. */
  resume(node: NodeName): Promise<void>;
  /** Restarts (or starts, when stopped or killed) a node; resolves once it serves CQL again. */
  restart(node: NodeName): Promise<void>;
  /** Whether the node's process runs and is not frozen. */
  running(node: NodeName): Promise<boolean>;
  /** Each node's state as the running nodes see it. */
  states(): Promise<Map<NodeName, NodeState>>;
}

/** upstream = client -> Cassandra, downstream = Cassandra -> client. */
export type ToxicStream = 'upstream' | 'downstream';
export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';

/** A Toxiproxy toxic, as the link capability applies it to one client link. */
export interface ToxicSpec {
  name: string;
  type: ToxicType;
  stream: ToxicStream;
  /** Share of connections affected, 0..1 (default 1). */
  toxicity?: number;
  /** Type-specific numbers, e.g. { timeout: 0 } or { latency: 500, jitter: 50 }. */
  attributes: Record<string, number>;
}

export interface LinkState {
  /** Named after the node it fronts. */
  name: NodeName;
  upstream: string;
  enabled: boolean;
  /** Names of the toxics in place. */
  toxics: string[];
}

/** The client links (one proxy per node): toxics, and cutting a link outright. */
export interface LinkControl {
  addToxic(link: NodeName, toxic: ToxicSpec): Promise<void>;
  removeToxic(link: NodeName, toxicName: string): Promise<void>;
  /** Disabling closes the link's open connections and refuses new ones. */
  setEnabled(link: NodeName, enabled: boolean): Promise<void>;
  /** Every link enabled, no toxics. */
  reset(): Promise<void>;
  states(): Promise<LinkState[]>;
}

/** The network between nodes. */
export interface NetControl {
  /** At `node`, silently drop everything that comes from `peers` (one side of a cut). */
  partition(node: NodeName, peers: readonly NodeName[]): Promise<void>;
  /** Remove every cut made at `node`. */
  heal(node: NodeName): Promise<void>;
  /** The cuts still in place at `node`, one line each; empty when none. */
  cuts(node: NodeName): Promise<string[]>;
}

/** Each node's wall clock, without touching the host's. */
export interface ClockControl {
  /** Moves each listed node's clock to its offset; resolves once the nodes run on it. */
  setOffsets(offsetsMs: ReadonlyMap<NodeName, number>): Promise<void>;
  /** The node's current offset in ms; rejects when it cannot be read. */
  offset(node: NodeName): Promise<number>;
}

/**
 * The lock clients themselves: freezing one that holds a lock, as a GC pause or a stopped VM would.
 * Never offered by a cluster provider: the runner, which owns the clients, adds it to the cluster
 * the nemesis acts on (in-process workers are held at a gate; a client process would be stopped
 * with SIGSTOP and continued with SIGCONT).
 */
export interface ClientControl {
  /**
   * Freezes the next client pinned to `node` that holds a lock, between its critical section's
   * read and its write (or one already there); resolves once that is arranged, not once one froze.
   */
  freezeHolder(node: NodeName): Promise<void>;
  /** Lets every client frozen or waiting to freeze on `node` carry on, as if it still held its lock. */
  thaw(node: NodeName): Promise<void>;
  /** Clients frozen or waiting to freeze, one line each; empty when none. */
  frozen(): Promise<string[]>;
}

export interface Capabilities {
  nodes?: NodeControl;
  links?: LinkControl;
  net?: NetControl;
  clock?: ClockControl;
  /** Provided by the runner, never by a provider (see ClientControl). */
  clients?: ClientControl;
}
export type CapabilityName = keyof Capabilities;

/** Capabilities the runner adds to every cluster, whatever its provider: its own clients (client pauses). */
export const RUNNER_CAPABILITIES: readonly CapabilityName[] = ['clients'];

/** How a driver must talk to this cluster beyond the contact points; absent: lockstorm's own cluster. */
export interface DriverConnection {
  /** The data center the driver treats as local (default "datacenter1"). */
  localDataCenter?: string;
  /** Plain-text authentication; the password never leaves this object in a message. */
  credentials?: { username: string; password: string };
  /** TLS to the nodes (through the proxies, which pass bytes through): the CA that signed them. */
  tls?: { ca: string };
}

export interface Cluster {
  /** Which provider started it (as named in the provider registry). */
  readonly provider: string;
  /** Set by providers whose nodes need more than a plain connection (existing clusters). */
  readonly connection?: DriverConnection;
  readonly nodes: readonly NodeInfo[];
  /** The per-node contact points clients use. */
  readonly proxies: readonly ProxyInfo[];
  /** Keyspace with RF=3 that workloads create their tables in. */
  readonly keyspace: string;
  readonly settings: ServerSettings;
  /** What this cluster lets the nemesis do; a missing entry is a capability the provider lacks. */
  readonly capabilities: Capabilities;
  /** Provider-specific addresses worth showing a user, e.g. { "toxiproxy API": url }. */
  readonly extras?: Readonly<Record<string, string>>;
  /**
   * Set by startCluster once every node said which release it runs (and it was the one asked
   * for); absent for a provider without `releaseVersions`.
   */
  serverVersion?: ServerVersion;
  /** Each node's `release_version`, read through its contact point. */
  releaseVersions?(): Promise<Record<string, string>>;
  /** Resolves when every node sees every node UN and CQL answers through every contact point. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  teardown(): Promise<void>;
}
