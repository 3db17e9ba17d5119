// An acknowledged release, yet its owner is read holding the key after the release completed.
//
// The owner could only hold the key again if its acquire (tokens are fresh per acquire, so there
// is one) took effect after the release did: possible when that acquire's outcome is unknown or
// it was still running when the release was invoked, and no read had already seen it holding
// before the release. A release whose own outcome is unknown explains nothing and proves nothing.

import type { Anomaly } from '../anomaly.ts';
import { AcquireEvidence } from './acquire-evidence.ts';
import type { Checker } from './checker.ts';
import { eventsOf, groupByKey, witness, type LockOperation, type OkRead, type OwnerOperation } from './operations.ts';

export const lostRelease: Checker = { name: 'lost-release', check: (history) => ({ anomalies: findLostReleases(history.ops) }) };

function findLostReleases(allOps: readonly LockOperation[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [key, ops] of groupByKey(allOps)) {
    const evidence = new AcquireEvidence(ops);
    const releases = ops
      .filter((op): op is OwnerOperation => op.f === 'release' && op.outcome === 'ok')
      .sort((a, b) => a.completedAt - b.completedAt);
    const reported = new Set<string>();
    for (const release of releases) {
      if (reported.has(release.owner)) continue;
      const acquires = evidence.acquiresOf(release.owner);
      const read = evidence
        .readsSeeing(release.owner)
        .find((r) => r.invokedAt > release.completedAt && !acquires.some((a) => evidence.couldExplain(a, release.invokedAt, r.completedAt)));
      if (!read) continue;
      const ruledOut = acquires.flatMap((a) => evidence.ruledOutBy(a, release.invokedAt));
      anomalies.push(report(key, release, read, ruledOut));
      reported.add(release.owner);
    }
  }
  return anomalies;
}

function report(key: string, release: OwnerOperation, read: OkRead, ruledOut: number[]): Anomaly {
  return {
    kind: 'lost-release',
    key,
    owners: [release.owner],
    witness: witness(eventsOf(release), eventsOf(read), ruledOut),
    explanation:
      `${release.owner}'s release of lock ${key} was acknowledged (event ${release.completion}), yet a read invoked ` +
      `afterwards still saw ${release.owner} holding it (event ${read.completion}), and no acquire by ${release.owner} could have taken effect after the release.`,
  };
}
