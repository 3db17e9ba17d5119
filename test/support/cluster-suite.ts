// Global setup of the cluster test project: when the suite ends, nothing lockstorm started is
// left running, whichever file started it (clusters.ts leaves the shared cluster up between files).
import { cleanAll } from '../../harness/cluster/index.ts';

export default function setup(): () => Promise<void> {
  return async () => {
    await cleanAll();
  };
}
