// The cluster layer's entry point: start a cluster, attach to a running one, remove leftovers.
export type { Cluster, NodeInfo, NodeName, ProxyInfo, ServerSettings } from './cluster.ts';
export { startCluster, resolveSettings, type StartOptions } from './start.ts';
export { attachCluster, clusterStatus, type ClusterStatus } from './discover.ts';
export { cleanAll, type CleanCounts } from './cleanup.ts';
export { connectPinned, connectAll } from './driver.ts';
