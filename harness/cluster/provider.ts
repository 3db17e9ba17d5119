// What a cluster provider is: the one interface every provider folder implements. Kept apart from
// the registry (providers.ts) so that a provider can name it without importing the registry that
// imports the provider.
import type { Cluster, ServerSettings } from './cluster.ts';
import type { ProviderConfig } from './provider-config.ts';

export interface StartOptions {
  /** Leave the cluster running when this process exits (`lockstorm cluster up`). */
  keepAfterExit?: boolean;
  /** Progress lines on stderr. */
  verbose?: boolean;
  /** The config's `cluster:` section (providers of clusters lockstorm did not start read theirs here). */
  cluster?: ProviderConfig;
  /** Start the containers cluster as a lab for another provider (`ssh`: an SSH server in every node). */
  lab?: 'ssh';
  /** Called as each step of the start ends, with its duration (bench/cluster-startup.ts). */
  onPhase?: (phase: string, ms: number) => void;
}

export type ReuseOutcome = { cluster: Cluster } | { refused: string };

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
  /**
   * The cluster left running, when it is the one `start(settings)` would start (reuse.ts);
   * `refused` says why not; undefined when none runs.
   */
  reuse?(settings: ServerSettings): Promise<ReuseOutcome | undefined>;
  /** Removes everything this provider ever started, also after a crash. */
  clean?(): Promise<CleanCounts>;
}
