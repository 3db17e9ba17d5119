// What every lock checker is: a named, pure function from a paired history and the check
// context to the anomalies it proves. Adding one: a file here exporting a Checker, and one
// line in registry.ts.

import type { PairedHistory } from '../../history/index.ts';
import type { Anomaly } from '../anomaly.ts';
import type { CheckContext } from './context.ts';
import type { CheckResult } from '../linearizability/types.ts';
import type { LockOperations, lockModelFor } from '../readers/lockstorm.ts';

export interface CheckerResult {
  anomalies: Anomaly[];
  /** Why the checker could not decide (e.g. its search ran out of budget); absent when it did. */
  undecided?: string;
  /** What the checker did not judge, and why (e.g. `torn-row: no statement records`); absent when it judged everything. */
  notJudged?: string;
  /** What the report draws of this check, when it has a picture (the linearizability search). */
  picture?: LinearizabilityPicture;
}

export interface Checker {
  /** Unique in the registry; the anomaly kind it reports, where it reports one kind. */
  name: string;
  check(history: PairedHistory, context: CheckContext): CheckerResult;
}

/** The search as it ran: enough to draw it (checkers/visualize/html.ts). */
export interface LinearizabilityPicture {
  model: ReturnType<typeof lockModelFor>;
  ops: LockOperations['ops'];
  result: CheckResult;
}

