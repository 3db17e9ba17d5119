// One verdict for one history: every lock checker, de-duplicated, plus operation counts.
// Pure: the caller reads the file and writes results.json.

import type { HistoryEvent } from '../../harness/history/events.ts';
import type { Anomaly, Verdict } from '../anomaly.ts';
import type { LockChecker, LockCheckOptions } from './checker.ts';
import { findDoubleHolders } from './double-holder.ts';
import { findLostReleases } from './lost-release.ts';
import { findNonLinearizable } from './non-linearizable.ts';
import { pairOperations } from './operations.ts';
import { findOrphanedLocks } from './orphaned-lock.ts';
import { findResurrectedLocks } from './resurrected-lock.ts';
import { findTornRows } from './torn-row.ts';

export type AnalyzeOptions = LockCheckOptions;

export interface OutcomeCounts {
  ok: number;
  fail: number;
  info: number;
}

export interface Analysis {
  verdict: Verdict;
  anomalies: Anomaly[];
  ops: OutcomeCounts & { byF: Record<string, OutcomeCounts> };
}

/** Budget for the linearizability search when the caller gives none: never hang on a hard history. */
const DEFAULT_TIMEOUT_MS = 60_000;

const CHECKERS: LockChecker[] = [findDoubleHolders, findResurrectedLocks, findLostReleases, findTornRows, findOrphanedLocks];

export function analyzeHistory(events: HistoryEvent[], opts: AnalyzeOptions): Analysis {
  const found = CHECKERS.flatMap((check) => check(events, opts));
  const linearizability = findNonLinearizable(events, { ...opts, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const anomalies = dedupe([...found, ...linearizability.anomalies]);
  const verdict: Verdict = anomalies.length > 0 ? 'unsafe' : linearizability.search === 'unknown' ? 'unknown' : 'safe';
  return { verdict, anomalies, ops: countOperations(events) };
}

/**
 * One anomaly per kind, key and set of owners: the same incident seen by several reads (say, the
 * final reads at SERIAL and at ALL) is one finding. The first found, with the earliest witness, stays.
 */
function dedupe(anomalies: Anomaly[]): Anomaly[] {
  const seen = new Map<string, Anomaly>();
  for (const a of anomalies) {
    const id = `${a.kind}\u0000${a.key}\u0000${[...a.owners].sort().join('\u0000')}`;
    const kept = seen.get(id);
    if (!kept || firstWitness(a) < firstWitness(kept)) seen.set(id, a);
  }
  return [...seen.values()];
}

const firstWitness = (a: Anomaly): number => a.witness[0] ?? Infinity;

/** Outcomes by operation; an invocation that never completed counts as info (its outcome is unknown). */
function countOperations(events: readonly HistoryEvent[]): Analysis['ops'] {
  const zero = (): OutcomeCounts => ({ ok: 0, fail: 0, info: 0 });
  const total = zero();
  const byF: Record<string, OutcomeCounts> = {};
  for (const op of pairOperations(events)) {
    total[op.outcome]++;
    (byF[op.f] ??= zero())[op.outcome]++;
  }
  return { ...total, byF };
}
