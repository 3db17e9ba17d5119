// The order of the real-cluster test files: first those that start clusters of their own (and
// remove them), then those that share the default cluster (clusters.ts), so it starts once.
// Unit files keep vitest's own order, and the cluster files keep the places vitest gave them
// among the unit files (which run beside them), only swapped among themselves.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const CLUSTER_PROJECT = 'cluster';

/** Path endings, in the order they run; a file not named here runs after these, by name. */
export const ORDER = [
  // Each starts and removes clusters itself, with the machine free of any other.
  'harness/cli/run.cluster.test.ts',
  'harness/cluster/cluster.cluster.test.ts',
  'harness/cluster/ssh/ssh.cluster.test.ts',
  'harness/cluster/versions.cluster.test.ts',
  // The default cluster, started by the first of these and found running by the rest.
  'harness/cluster/existing/existing.cluster.test.ts',
  'harness/nemesis/nemesis.cluster.test.ts',
  'harness/runner/cell.cluster.test.ts',
  'harness/runner/external.cluster.test.ts',
  'harness/cli/recipes.cluster.test.ts',
];

function rank(spec: TestSpecification): number {
  const i = ORDER.findIndex((end) => spec.moduleId.endsWith(`/${end}`));
  return i === -1 ? ORDER.length : i;
}

export function clusterFileOrder(a: TestSpecification, b: TestSpecification): number {
  return rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId);
}

export default class ClusterOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isCluster = (s: TestSpecification) => s.project.name === CLUSTER_PROJECT;
    const cluster = sorted.filter(isCluster).sort(clusterFileOrder);
    return sorted.map((s) => (isCluster(s) ? cluster.shift()! : s));
  }
}
