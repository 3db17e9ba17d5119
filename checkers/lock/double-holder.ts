// Two owners that both certainly held one key at the same instant.
//
// An acknowledged acquire certainly holds from its completion (it took effect before then) until
// the owner's first release is invoked (that release may take effect at once) or until its TTL
// could have run out, measured from the acquire's invocation, the earliest it may have taken
// effect. Two such intervals that overlap cannot both be true of one lock.

import type { Anomaly } from '../anomaly.ts';
import { AcquireEvidence } from './acquire-evidence.ts';
import type { TtlBounds } from '../../history/index.ts';
import type { Checker } from './checker.ts';
import { groupByKey, witness, eventsOf, type LockOperation, type OwnerOperation } from './operations.ts';

interface Holding {
  acquire: OwnerOperation;
  /** Position of the acquire's completion. */
  startAt: number;
  startTime: number;
  /** Position of the owner's first release invocation (Infinity if it never released). */
  endAt: number;
  release: OwnerOperation | undefined;
  /** Earliest time the TTL could have freed it. */
  expiry: number;
}

export const doubleHolder: Checker = { name: 'double-holder', check: (history, { ttl, clocksMoved }) => ({ anomalies: findDoubleHolders(history.ops, ttl, clocksMoved) }) };

function findDoubleHolders(ops: readonly LockOperation[], ttl: TtlBounds, clocksMoved: boolean): Anomaly[] {
  const ttlSeconds = ttl.ttlSeconds;
  const anomalies: Anomaly[] = [];
  // Early expiry on a skewed node is still two holders (a lease that needs true clocks is not a
  // lock when clocks move), but the explanation says so.
  const clockNote = ttlSeconds > 0 && clocksMoved ? ' (a clock fault ran: a skewed node may have let the TTL lapse early)' : '';
  for (const [key, keyOps] of groupByKey(ops)) {
    const holdings = certainHoldings(new AcquireEvidence(keyOps), ttl).sort((a, b) => a.startAt - b.startAt);
    let active: Holding[] = [];
    for (const later of holdings) {
      // Starts only grow, so a holding that ended before this one started ended before every
      // later one too; what remains overlaps this start.
      active = active.filter((h) => h.endAt > later.startAt && h.expiry > later.startTime);
      if (isNonEmpty(later)) {
        const earlier = active[0];
        if (earlier) anomalies.push(report(key, earlier, later, ttlSeconds, clockNote));
        active.push(later);
      }
    }
  }
  return anomalies;
}

function certainHoldings(index: AcquireEvidence, ttl: TtlBounds): Holding[] {
  return index.acquires
    .filter((op) => op.outcome === 'ok')
    .map((acquire) => {
      // Any release attempt ends certainty, even one that failed: be conservative.
      const release = index
        .releasesOf(acquire.owner)
        .filter((r) => r.completedAt > acquire.invokedAt)
        .reduce<OwnerOperation | undefined>((first, r) => (first && first.invokedAt < r.invokedAt ? first : r), undefined);
      return {
        acquire,
        startAt: acquire.completedAt,
        startTime: acquire.completeTime,
        endAt: release ? release.invokedAt : Infinity,
        release,
        expiry: ttl.earliestExpiry(acquire),
      };
    });
}

function isNonEmpty(h: Holding): boolean {
  return h.endAt > h.startAt && h.expiry > h.startTime;
}

function report(key: string, earlier: Holding, later: Holding, ttlSeconds: number, clockNote: string): Anomaly {
  const a = earlier.acquire;
  const b = later.acquire;
  const releaseNote = earlier.release ? `had not yet begun its release (event ${earlier.release.invoke})` : 'never released it';
  const ttlNote = ttlSeconds > 0 ? `, and ${describeTtl(ttlSeconds)} could not have expired yet` : ' under no TTL';
  return {
    kind: 'double-holder',
    key,
    owners: [a.owner, b.owner],
    witness: witness(eventsOf(a), eventsOf(b), earlier.release ? [earlier.release.invoke] : []),
    explanation:
      `Owners ${a.owner} and ${b.owner} both held lock ${key}: ${b.owner}'s acquire was acknowledged ` +
      `(event ${b.completion}) while ${a.owner}, acknowledged earlier (event ${a.completion}), ${releaseNote}${ttlNote}${clockNote}.`,
  };
}

function describeTtl(ttlSeconds: number): string {
  return ttlSeconds > 0 ? `its ${ttlSeconds}s TTL` : 'no TTL';
}
