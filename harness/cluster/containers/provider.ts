// The containers provider: Cassandra and Toxiproxy in a local Docker engine (testcontainers).
import type { ClusterProvider } from '../providers.ts';
import { cleanAll } from './cleanup.ts';
import { PROVIDER_NAME } from './container-cluster.ts';
import { attachCluster } from './discover.ts';
import { ensureEngine } from './engine.ts';
import { ensureImages } from './images.ts';
import { startContainerCluster } from './start.ts';

export const containersProvider: ClusterProvider = {
  name: PROVIDER_NAME,
  start: startContainerCluster,
  async prepare() {
    await ensureEngine();
    const images = await ensureImages();
    return `engine ready; images ${images.cassandra} ${images.toxiproxy}`;
  },
  attach: attachCluster,
  clean: cleanAll,
};
