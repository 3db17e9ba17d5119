// Runs one checker on built events the way analyzeHistory runs it: paired by history/pair.ts,
// in the context buildCheckContext gives.

import { pairHistory, type HistoryEvent } from '../../../history/index.ts';
import type { Checker, CheckerResult } from '../checker.ts';
import { buildCheckContext, type CheckContextOptions } from '../context.ts';

export function runChecker(checker: Checker, events: readonly HistoryEvent[], opts: CheckContextOptions = {}): CheckerResult {
  return checker.check(pairHistory(events), buildCheckContext(events, opts));
}

export function findWith(checker: Checker, events: readonly HistoryEvent[], opts: CheckContextOptions = {}) {
  return runChecker(checker, events, opts).anomalies;
}
