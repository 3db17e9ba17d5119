// What the main thread and the search worker say to each other (parallel.ts, search-worker-loop.ts).

import type { Partial } from './search.ts';

/** Where a worker thread rebuilds a model: `(await import(module))[exportName]`, called with `args` when it is a function. */
export interface ModelSource {
  module: string;
  exportName: string;
  args?: unknown[];
}

/** A partition's cell in the shared status array. The last cell is set when the main thread is done. */
export const PENDING = 0;
export const OK_BY_WORKER = 1;
export const ILLEGAL_BY_WORKER = 2;
export const DONE_BY_MAIN = 3;

export interface JobMessage {
  job: number;
  source: ModelSource;
  slice: number;
  /** Each partition's operations, in the main thread's member order. */
  parts: unknown[][];
  /** On a SharedArrayBuffer: one cell per partition, then the cancel cell. */
  status: Int32Array;
}

/** Posted before the partition's status is set, so a set status means the report is on its way. */
export interface PartReport {
  job: number;
  index: number;
  /** ok: the linearization, as indexes into the partition's operations. */
  order?: number[];
  /** illegal: the longest partial linearizations. */
  partials?: Partial[];
}
