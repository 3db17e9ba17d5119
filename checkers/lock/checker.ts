// What every lock checker is: a pure function from a history to the anomalies it proves.

import type { HistoryEvent, ReadValue } from '../../harness/history/events.ts';
import type { Anomaly } from '../anomaly.ts';

export interface LockCheckOptions {
  /** The recipe's TTL; 0 means locks never expire. */
  ttlSeconds: number;
  /** The recipe's own judgement of a row (workloads' Recipe.rowIsReachable); torn rows need it. */
  rowIsReachable?: (row: ReadValue['row']) => boolean;
  /** Budget for the linearizability search. */
  timeoutMs?: number;
}

export type LockChecker = (events: readonly HistoryEvent[], opts: LockCheckOptions) => Anomaly[];
