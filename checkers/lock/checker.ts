// What every lock checker is: a named, pure function from a paired history and the check
// context to the anomalies it proves. Adding one: a file here exporting a Checker, and one
// line in registry.ts.

import type { PairedHistory } from '../../history/index.ts';
import type { Anomaly } from '../anomaly.ts';
import type { CheckContext } from './context.ts';
import type { LinearizabilityPicture } from './non-linearizable.ts';

export interface CheckerResult {
  anomalies: Anomaly[];
  /** Why the checker could not decide (e.g. its search ran out of budget); absent when it did. */
  undecided?: string;
  /** What the report draws of this check, when it has a picture (the linearizability search). */
  picture?: LinearizabilityPicture;
}

export interface Checker {
  /** Unique in the registry; the anomaly kind it reports, where it reports one kind. */
  name: string;
  check(history: PairedHistory, context: CheckContext): CheckerResult;
}
