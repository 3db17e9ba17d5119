// The containers provider: Cassandra and Toxiproxy in a local Docker engine (testcontainers).
import type { ClusterProvider } from '../provider.ts';
import { cleanAll } from './cleanup.ts';
import { PROVIDER_NAME } from './container-cluster.ts';
import { attachCluster, runningFacts } from './discover.ts';
import { reuseMismatch } from '../reuse.ts';
import { ensureEngine } from './engine.ts';
import { ensureImages, imagesFor } from './images.ts';
import { startContainerCluster } from './start.ts';
import { DEFAULT_VERSION, exactVersion } from '../versions.ts';

/**
 * What `lockstorm setup` (and so `npm test`) builds: the default version, and the 4.x line the
 * real-cluster tests start (harness/cluster/versions.cluster.test.ts). A run builds any other
 * version it needs on its first start.
 */
export const PREPARED_VERSIONS: readonly string[] = [DEFAULT_VERSION, '4.1'];

export const containersProvider: ClusterProvider = {
  name: PROVIDER_NAME,
  start: startContainerCluster,
  async prepare(versions = PREPARED_VERSIONS) {
    await ensureEngine();
    const built: string[] = [];
    for (const v of versions) {
      const images = await ensureImages(v);
      built.push(`${images.cassandra} (Cassandra ${exactVersion(v)})`, images.toxiproxy);
    }
    return `engine ready; images ${[...new Set(built)].join(' ')}`;
  },
  attach: attachCluster,
  async reuse(settings) {
    const facts = await runningFacts();
    if (!facts) return undefined;
    // The image a start would use; imagesFor only names it (hashes the recipe files), builds nothing.
    const mismatch = reuseMismatch(facts, { settings, image: imagesFor(settings.cassandraVersion).cassandra });
    if (mismatch.length > 0) return { refused: mismatch.join('; ') };
    const cluster = await attachCluster();
    // Nodes without a running Toxiproxy in front are leftovers, not a cluster.
    return cluster ? { cluster } : { refused: 'its Toxiproxy is not running' };
  },
  clean: cleanAll,
};
