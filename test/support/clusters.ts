// How a real-cluster test file gets its cluster. Starting one costs about 12 s and removing it
// 3 s more, and most files need the same default cluster, so files share it: the first to ask
// starts it and leaves it running past its own worker, each later file that asks for the same
// settings finds it, healed of whatever the file before left (a fault, a stopped node), and the
// suite removes it when it ends (cluster-suite.ts). Files that test starting or tearing down a
// cluster take one of their own instead. The cluster project runs one file at a time, so a file
// never shares the cluster with another file while it runs.
import { cleanAll, reuseCluster, startCluster, type Cluster, type ServerSettings, type StartOptions } from '../../harness/cluster/index.ts';
import { healAll } from '../../harness/nemesis/index.ts';

/** The running cluster when it is the one these settings start, healed; otherwise a new one, left running. */
export async function sharedCluster(partial?: Partial<ServerSettings>): Promise<Cluster> {
  const outcome = await reuseCluster(partial);
  if (outcome && 'cluster' in outcome) {
    await healAll(outcome.cluster);
    return outcome.cluster;
  }
  // Another cluster (other settings, a lab, leftovers): one cluster fits this machine at a time.
  await cleanAll();
  return startCluster(partial, { keepAfterExit: true });
}

/** A cluster for this file alone, after removing any cluster an earlier file left running; the file tears it down. */
export async function ownCluster(partial?: Partial<ServerSettings>, opts: StartOptions & { provider?: string } = {}): Promise<Cluster> {
  await cleanAll();
  return startCluster(partial, opts);
}
