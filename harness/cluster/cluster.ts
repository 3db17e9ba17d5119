// The one interface every cluster provider implements. Workloads and the nemesis see only this.

export type NodeName = 'n1' | 'n2' | 'n3' | (string & {});

export interface NodeInfo {
  name: NodeName;
  /** The node's own address on the cluster network (what Cassandra gossips and system.peers shows). */
  address: string;
}

export interface ProxyInfo {
  /** Same as the node it fronts, e.g. "n1". */
  name: NodeName;
  /** host:port a client dials; reachable from the machine running lockstorm. */
  listen: string;
  /** node address:9042 behind it. */
  upstream: string;
}

/** Server settings that force a cluster restart when they change between matrix cells. */
export interface ServerSettings {
  paxosVariant: 'v1' | 'v2';
  writeRequestTimeoutMs: number;
  readRequestTimeoutMs: number;
  casContentionTimeoutMs: number;
}

export interface Cluster {
  readonly nodes: readonly NodeInfo[];
  readonly proxies: readonly ProxyInfo[];
  /** Base URL of the Toxiproxy HTTP API as reachable from this machine. */
  readonly toxiproxyApi: string;
  /** Keyspace with RF=3 that workloads create their tables in. */
  readonly keyspace: string;
  readonly settings: ServerSettings;

  stop(node: NodeName): Promise<void>;
  kill(node: NodeName): Promise<void>;
  pause(node: NodeName): Promise<void>;
  resume(node: NodeName): Promise<void>;
  restart(node: NodeName): Promise<void>;
  /** Run a command inside a node's container (iptables, faketime file); rejects on non-zero exit. */
  exec(node: NodeName, argv: string[]): Promise<string>;
  /** Resolves when every node sees every node UN and CQL answers through every proxy. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  teardown(): Promise<void>;
}
