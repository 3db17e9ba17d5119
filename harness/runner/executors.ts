// The runner's seam to wherever statements go: a real cluster (./cluster-cell.ts), external
// client processes (./external-cell.ts) or the in-memory store (./fake/). Kept apart from
// ./cell.ts so the steps the cell runs (forensics, say) can name executors without importing it.

import type { OperationExecutor } from '../client/operation-executor.ts';
import type { Recipe } from '../../workloads/recipe.ts';

/** An executor bound to one client of its own; closing it lets the client go. */
export interface PinnedExecutor extends OperationExecutor {
  close(): Promise<void>;
}

/** Where a cell's statements go. */
export interface ExecutorFactory {
  /** The nodes clients are pinned to: process i goes to nodes[i mod n]. */
  readonly nodes: readonly string[];
  /** Makes the recipe's table afresh, so no data or Paxos state survives from an earlier cell. */
  prepare(recipe: Pick<Recipe, 'table' | 'schema'>): Promise<void>;
  /** An executor for `process`, pinned to `node`, giving each statement `opTimeoutMs`. */
  open(process: number, node: string, opTimeoutMs: number): Promise<PinnedExecutor>;
  /** What kept the cell from testing its clients, found once they have stopped (an external client going around its proxy). */
  problems?(): string[];
}
