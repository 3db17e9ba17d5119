import { defineConfig } from 'vitest/config';
import ClusterOrder from './test/support/cluster-order.ts';
import { isDriverBackgroundError } from './harness/cluster/driver-background-errors.ts';

// Two projects: `unit` needs nothing but Node; `cluster` starts real containers and so
// runs its files one at a time (one cluster fits this machine at once).
export default defineConfig({
  test: {
    // The driver's control-connection race (harness/cluster/driver-background-errors.ts) is a
    // driver bug the harness tolerates, not a failure of the test that was running.
    onUnhandledError: (error) => (isDriverBackgroundError(error) ? false : undefined),
    // Real-cluster files in an order that starts the shared cluster once (test/support/clusters.ts).
    sequence: { sequencer: ClusterOrder },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{harness,workloads,checkers,test,history}/**/*.test.ts'],
          exclude: ['**/*.cluster.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['{harness,workloads,checkers,test}/**/*.cluster.test.ts'],
          fileParallelism: false,
          globalSetup: ['test/support/cluster-suite.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
