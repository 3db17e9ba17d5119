// A key seen free, then later seen held by an owner that no acquire can have put there.
//
// Freedom is seen by an ok read that found the key free, or by an acknowledged release whose
// owner certainly held the key when the release took effect (acknowledged acquire before it, no
// earlier release by that owner, no TTL able to lapse first): after it the key was free. A
// release by the very owner later seen holding is a lost release, reported by its own checker.

import type { Anomaly } from '../anomaly.ts';
import { AcquireEvidence } from './acquire-evidence.ts';
import type { LockChecker } from './checker.ts';
import {
  eventsOf,
  groupByKey,
  isOkRead,
  observedHolder,
  pairOperations,
  witness,
  type LockOperation,
  type OkRead,
  type OwnerOperation,
} from './operations.ts';
import { earliestExpiry } from './ttl.ts';

/** An observation that the key was free at some instant inside [invokedAt, completedAt]. */
interface Freedom {
  invokedAt: number;
  completedAt: number;
  /** The release's owner, or null for a read that saw the key free. */
  releasedBy: string | null;
  events: number[];
  describe: string;
}

export const findResurrectedLocks: LockChecker = (events, { ttlSeconds }) => {
  const anomalies: Anomaly[] = [];
  for (const [key, ops] of groupByKey(pairOperations(events))) {
    const evidence = new AcquireEvidence(ops);
    const freedoms = freedomsOf(ops, ttlSeconds).sort((a, b) => a.completedAt - b.completedAt);
    const reported = new Set<string>();
    for (const read of ops.filter(isOkRead).sort((a, b) => a.invokedAt - b.invokedAt)) {
      const holder = observedHolder(read);
      if (holder === null || reported.has(holder)) continue;
      const freedom = latestFreedomBefore(freedoms, read.invokedAt, holder);
      if (!freedom) continue;
      const candidates = holder === 'unknown' ? evidence.acquires : evidence.acquiresOf(holder);
      if (candidates.some((a) => evidence.couldExplain(a, freedom.invokedAt, read.completedAt))) continue;
      // An unknown holder names no acquire: its ruled-out acquires would be every acquire of the key.
      const ruledOut = holder === 'unknown' ? [] : candidates.flatMap((a) => evidence.ruledOutBy(a, freedom.invokedAt));
      anomalies.push(report(key, holder, freedom, read, ruledOut));
      reported.add(holder);
    }
  }
  return anomalies;
};

function freedomsOf(ops: LockOperation[], ttlSeconds: number): Freedom[] {
  const freedoms: Freedom[] = [];
  for (const op of ops) {
    if (isOkRead(op) && op.value.state === 'free') {
      freedoms.push({
        invokedAt: op.invokedAt,
        completedAt: op.completedAt,
        releasedBy: null,
        events: eventsOf(op),
        describe: `was read free (event ${op.completion})`,
      });
    }
  }
  const owned = ops.filter((op): op is OwnerOperation => op.f !== 'read');
  for (const release of owned) {
    if (release.f !== 'release' || release.outcome !== 'ok') continue;
    const acquire = owned.find((a) => a.f === 'acquire' && a.owner === release.owner && a.outcome === 'ok');
    if (!acquire || !(acquire.completedAt < release.invokedAt)) continue;
    const earlierRelease = owned.some((r) => r !== release && r.f === 'release' && r.owner === release.owner && r.invokedAt < release.invokedAt);
    if (earlierRelease || !(release.completeTime < earliestExpiry(acquire, ttlSeconds))) continue;
    freedoms.push({
      invokedAt: release.invokedAt,
      completedAt: release.completedAt,
      releasedBy: release.owner,
      events: witness(eventsOf(acquire), eventsOf(release)),
      describe: `was released by its holder ${release.owner} (event ${release.completion})`,
    });
  }
  return freedoms;
}

/** The freedom completed before `before` that was invoked last: it leaves the fewest acquires able to explain. */
function latestFreedomBefore(sorted: Freedom[], before: number, holder: string): Freedom | undefined {
  let best: Freedom | undefined;
  for (const f of sorted) {
    if (f.completedAt >= before) break;
    if (f.releasedBy !== null && f.releasedBy === holder) continue;
    if (!best || f.invokedAt > best.invokedAt) best = f;
  }
  return best;
}

function report(key: string, holder: string, freedom: Freedom, read: OkRead, ruledOut: number[]): Anomaly {
  const who = holder === 'unknown' ? 'held (by an owner the row does not name)' : `held by ${holder}`;
  const whose = holder === 'unknown' ? 'no acquire of the key' : `no acquire by ${holder}`;
  return {
    kind: 'resurrected-lock',
    key,
    owners: [...(holder === 'unknown' ? [] : [holder]), ...(freedom.releasedBy ? [freedom.releasedBy] : [])],
    witness: witness(freedom.events, eventsOf(read), ruledOut),
    explanation: `Lock ${key} ${freedom.describe} and later read ${who} (event ${read.completion}), yet ${whose} could have taken effect in between.`,
  };
}
