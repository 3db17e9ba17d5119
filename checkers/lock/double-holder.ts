// Two owners that both certainly held one key at the same instant.
//
// An acknowledged acquire certainly holds from its completion (it took effect before then) until
// the owner's first release is invoked (that release may take effect at once) or until its TTL
// could have run out, measured from the acquire's invocation, the earliest it may have taken
// effect. Two such intervals that overlap cannot both be true of one lock.

import type { Anomaly } from '../anomaly.ts';
import { AcquireEvidence } from './acquire-evidence.ts';
import type { LockChecker } from './checker.ts';
import { groupByKey, pairOperations, witness, eventsOf, type OwnerOperation } from './operations.ts';
import { describeTtl, earliestExpiry, hasClockFaults } from './ttl.ts';

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

export const findDoubleHolders: LockChecker = (events, { ttlSeconds }) => {
  const anomalies: Anomaly[] = [];
  // Early expiry on a skewed node is still two holders (a lease that needs true clocks is not a
  // lock when clocks move), but the explanation says so.
  const clockNote = ttlSeconds > 0 && hasClockFaults(events) ? ' (a clock fault ran: a skewed node may have let the TTL lapse early)' : '';
  for (const [key, keyOps] of groupByKey(pairOperations(events))) {
    const holdings = certainHoldings(new AcquireEvidence(keyOps), ttlSeconds).sort((a, b) => a.startAt - b.startAt);
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
};

function certainHoldings(index: AcquireEvidence, ttlSeconds: number): Holding[] {
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
        expiry: earliestExpiry(acquire, ttlSeconds),
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
