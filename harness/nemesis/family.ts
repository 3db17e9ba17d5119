// The shape every fault family module has. `heal` and `problems` keep no memory of what `start`
// did: they must also clean up after a crashed run or a previous cell.

import type { Cluster } from '../cluster/cluster.ts';
import type { Fault } from './faults.ts';

export interface FaultFamily<F extends Fault> {
  /** Apply the fault; resolves once it is in place. */
  start(cluster: Cluster, fault: F): Promise<void>;
  /** Undo exactly this fault; resolves once the affected part works again. */
  stop(cluster: Cluster, fault: F): Promise<void>;
  /** Undo anything this family could have left behind, on every node. Idempotent. */
  heal(cluster: Cluster): Promise<void>;
  /** What still differs from healthy, one line each; empty when healed. */
  problems(cluster: Cluster): Promise<string[]>;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
