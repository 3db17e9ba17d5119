// One verdict for one history: every registered lock checker, anomalies de-duplicated, plus
// operation counts and the linearizability search the report draws. Pure: the caller reads the
// file and writes results.json.

import { pairHistory, type HistoryEvent, type PairedHistory } from '../../history/index.ts';
import type { Anomaly, Verdict } from '../anomaly.ts';
import type { Checker } from './checker.ts';
import { buildCheckContext, type CheckContext, type CheckContextOptions } from './context.ts';
import type { LinearizabilityPicture } from './checker.ts';
import { LOCK_CHECKERS } from './registry.ts';

export type AnalyzeOptions = CheckContextOptions;

export interface OutcomeCounts {
  ok: number;
  fail: number;
  info: number;
}

export interface Analysis {
  verdict: Verdict;
  anomalies: Anomaly[];
  ops: OutcomeCounts & { byF: Record<string, OutcomeCounts> };
  /** Why the verdict is `unknown`, when a checker could not decide; absent otherwise. */
  undecided?: string;
  /** What a checker did not judge, one note each (e.g. `torn-row: no statement records`): never read as "none found". */
  notJudged?: string[];
  /** The linearizability search behind the verdict, for the report to draw. */
  linearizability?: LinearizabilityPicture;
}

/** Pairs the events (HistoryError naming the line on a broken pairing), builds the context and analyses. */
export function analyzeHistory(events: readonly HistoryEvent[], opts: AnalyzeOptions = {}): Analysis {
  return analyzePaired(pairHistory(events), buildCheckContext(events, opts));
}

export function analyzePaired(history: PairedHistory, context: CheckContext, checkers: readonly Checker[] = LOCK_CHECKERS): Analysis {
  const found: Anomaly[] = [];
  const undecided: string[] = [];
  const notJudged: string[] = [];
  let linearizability: LinearizabilityPicture | undefined;
  for (const checker of checkers) {
    const r = checker.check(history, context);
    found.push(...r.anomalies);
    if (r.undecided !== undefined) undecided.push(r.undecided);
    if (r.notJudged !== undefined) notJudged.push(r.notJudged);
    linearizability ??= r.picture;
  }
  const anomalies = dedupe(found);
  const verdict: Verdict = anomalies.length > 0 ? 'unsafe' : undecided.length > 0 ? 'unknown' : 'safe';
  return {
    verdict,
    anomalies,
    ops: countOperations(history),
    ...(undecided.length > 0 ? { undecided: undecided.join('; ') } : {}),
    ...(notJudged.length > 0 ? { notJudged } : {}),
    ...(linearizability ? { linearizability } : {}),
  };
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
function countOperations(history: PairedHistory): Analysis['ops'] {
  const zero = (): OutcomeCounts => ({ ok: 0, fail: 0, info: 0 });
  const total = zero();
  const byF: Record<string, OutcomeCounts> = {};
  for (const op of history.ops) {
    total[op.outcome]++;
    (byF[op.f] ??= zero())[op.outcome]++;
  }
  return { ...total, byF };
}
