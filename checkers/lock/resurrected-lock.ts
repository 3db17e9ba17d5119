// A key seen free, then later seen held by an owner that no acquire can have put there.
//
// Freedom is seen by an ok read that found the key free, or by an acknowledged release whose
// owner certainly held the key when the release took effect (acknowledged acquire before it, no
// earlier release by that owner, no TTL able to lapse first): after it the key was free. A
// release by the very owner later seen holding is a lost release, reported by its own checker.

import type { Anomaly } from '../anomaly.ts';
import { AcquireEvidence } from './acquire-evidence.ts';
import type { TtlBounds } from '../../history/index.ts';
import type { Checker } from './checker.ts';
import {
  eventsOf,
  groupByKey,
  isOkRead,
  observedHolder,
  witness,
  type LockOperation,
  type OkRead,
} from './operations.ts';

/** An observation that the key was free at some instant inside [invokedAt, completedAt]. */
interface Freedom {
  invokedAt: number;
  completedAt: number;
  /** The release's owner, or null for a read that saw the key free. */
  releasedBy: string | null;
  events: number[];
  describe: string;
}

export const resurrectedLock: Checker = {
  name: 'resurrected-lock',
  check: (history, { ttl, clocksMoved }) => ({ anomalies: findResurrectedLocks(history.ops, ttl, clocksMoved) }),
};

function findResurrectedLocks(allOps: readonly LockOperation[], ttl: TtlBounds, clocksMoved: boolean): Anomaly[] {
  const anomalies: Anomaly[] = [];
  // Nodes with skewed clocks disagree on whether a TTL has lapsed: still a lock seen to come
  // back, but the explanation says why it may have.
  const clockNote = ttl.ttlSeconds > 0 && clocksMoved ? ' (a clock fault ran: nodes may disagree on whether its TTL had lapsed)' : '';
  for (const [key, ops] of groupByKey(allOps)) {
    const evidence = new AcquireEvidence(ops);
    const freedoms = new Freedoms(freedomsOf(ops, evidence, ttl));
    const reported = new Set<string>();
    for (const read of ops.filter(isOkRead).sort((a, b) => a.invokedAt - b.invokedAt)) {
      const holder = observedHolder(read);
      if (holder === null || reported.has(holder)) continue;
      const freedom = freedoms.latestBefore(read.invokedAt, holder);
      if (!freedom) continue;
      const candidates = holder === 'unknown' ? evidence.acquires : evidence.acquiresOf(holder);
      if (candidates.some((a) => evidence.couldExplain(a, freedom.invokedAt, read.completedAt))) continue;
      // An unknown holder names no acquire: its ruled-out acquires would be every acquire of the key.
      const ruledOut = holder === 'unknown' ? [] : candidates.flatMap((a) => evidence.ruledOutBy(a, freedom.invokedAt));
      anomalies.push(report(key, holder, freedom, read, ruledOut, clockNote));
      reported.add(holder);
    }
  }
  return anomalies;
}

function freedomsOf(ops: LockOperation[], evidence: AcquireEvidence, ttl: TtlBounds): Freedom[] {
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
    if (op.f !== 'release' || op.outcome !== 'ok') continue;
    const acquire = evidence.acquiresOf(op.owner).find((a) => a.outcome === 'ok');
    if (!acquire || !(acquire.completedAt < op.invokedAt)) continue;
    const earlierRelease = evidence.releasesOf(op.owner).some((r) => r.invokedAt < op.invokedAt);
    if (earlierRelease || !(op.completeTime < ttl.earliestExpiry(acquire))) continue;
    freedoms.push({
      invokedAt: op.invokedAt,
      completedAt: op.completedAt,
      releasedBy: op.owner,
      events: witness(eventsOf(acquire), eventsOf(op)),
      describe: `was released by its holder ${op.owner} (event ${op.completion})`,
    });
  }
  return freedoms;
}

/**
 * Answers "which freedom, completed before this position, was invoked last?" in logarithmic
 * time: the latest invoked leaves the fewest acquires able to explain a later holder. The
 * holder's own release is skipped (that is a lost release); an owner has at most one release
 * freedom, so the runner-up always serves.
 */
class Freedoms {
  private readonly completedAt: number[];
  /** Per prefix of the freedoms by completion: the latest invoked, and the runner-up. */
  private readonly best: [Freedom, Freedom | undefined][] = [];

  constructor(freedoms: Freedom[]) {
    freedoms.sort((a, b) => a.completedAt - b.completedAt);
    this.completedAt = freedoms.map((f) => f.completedAt);
    let first: Freedom | undefined;
    let second: Freedom | undefined;
    for (const f of freedoms) {
      if (!first || f.invokedAt > first.invokedAt) [first, second] = [f, first];
      else if (!second || f.invokedAt > second.invokedAt) second = f;
      this.best.push([first, second]);
    }
  }

  latestBefore(before: number, holder: string): Freedom | undefined {
    let lo = 0;
    let hi = this.completedAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.completedAt[mid]! < before) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    const [first, second] = this.best[lo - 1]!;
    return first.releasedBy !== null && first.releasedBy === holder ? second : first;
  }
}

function report(key: string, holder: string, freedom: Freedom, read: OkRead, ruledOut: number[], clockNote: string): Anomaly {
  const who = holder === 'unknown' ? 'held (by an owner the row does not name)' : `held by ${holder}`;
  const whose = holder === 'unknown' ? 'no acquire of the key' : `no acquire by ${holder}`;
  return {
    kind: 'resurrected-lock',
    key,
    owners: [...(holder === 'unknown' ? [] : [holder]), ...(freedom.releasedBy ? [freedom.releasedBy] : [])],
    witness: witness(freedom.events, eventsOf(read), ruledOut),
    explanation: `Lock ${key} ${freedom.describe} and later read ${who} (event ${read.completion}), yet ${whose} could have taken effect in between${clockNote}.`,
  };
}
