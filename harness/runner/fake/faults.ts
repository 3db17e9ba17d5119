// Fault plans for the in-memory executor: a script of one-off faults for a named statement, or
// seeded random faults at given rates.

import { prng } from '../../core/prng.ts';
import type { StatementKind } from '../../client/errors.ts';
import type { FaultPlan, StatementFault, StatementInfo } from './fake-executor.ts';

export interface FaultRule {
  /** Which statements it applies to; every field given must match. */
  when: { process?: number; kind?: StatementKind; cql?: RegExp };
  fault: StatementFault;
  /** How many matching statements it hits, the first ones; default 1. */
  times?: number;
}

/** Each rule hits its first `times` matching statements, the earliest rule first. */
export function scriptedFaults(...rules: FaultRule[]): FaultPlan {
  const left = rules.map((r) => r.times ?? 1);
  const matches = (r: FaultRule, s: StatementInfo): boolean =>
    (r.when.process === undefined || r.when.process === s.process) &&
    (r.when.kind === undefined || r.when.kind === s.kind) &&
    (r.when.cql === undefined || r.when.cql.test(s.cql));
  return (s) => {
    const i = rules.findIndex((r, j) => left[j]! > 0 && matches(r, s));
    if (i < 0) return undefined;
    left[i]! -= 1;
    return rules[i]!.fault;
  };
}

export interface FaultRates {
  lost?: number;
  late?: number;
  dropped?: number;
  failed?: number;
  /** How late a `late` statement is, drawn uniformly in [0, lateMaxMs]. */
  lateMaxMs?: number;
  /** Statement kinds that get faults; default writes and LWTs. */
  kinds?: readonly StatementKind[];
}

/** Seeded: the same seed and the same statement order give the same faults. */
export function randomFaults(seed: number, rates: FaultRates): FaultPlan {
  const rng = prng(seed);
  const kinds = rates.kinds ?? ['write', 'cas'];
  return (s) => {
    if (!kinds.includes(s.kind)) return undefined;
    let x = rng.next();
    for (const kind of ['lost', 'late', 'dropped', 'failed'] as const) {
      const p = rates[kind] ?? 0;
      if (x < p) return kind === 'late' ? { kind, delayMs: rng.next() * (rates.lateMaxMs ?? 1_000) } : { kind };
      x -= p;
    }
    return undefined;
  };
}
