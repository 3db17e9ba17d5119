// After faults heal, a final read finds the key held by an owner whose client gave it up, and
// nothing will ever free it: the lock is stuck.
//
// The client gave the lock up when its acquire did not succeed as far as it knows (failed, or
// outcome unknown: the process is retired, so nobody will release that token), or when it sent
// a release. A TTL frees such a lock in time, so with a TTL this is only reported when the final
// read comes after the lock must already have expired (acknowledged acquire, clocks never
// skewed by the nemesis): the TTL demonstrably did not free it.

import type { Anomaly } from '../anomaly.ts';
import type { TtlBounds } from '../../history/index.ts';
import type { Checker } from './checker.ts';
import { eventsOf, groupByKey, isOkRead, observedHolder, witness, type LockOperation, type OkRead, type OwnerOperation } from './operations.ts';

export const orphanedLock: Checker = {
  name: 'orphaned-lock',
  check: (history, { ttl, clocksMoved }) => ({ anomalies: findOrphanedLocks(history.ops, ttl, clocksMoved) }),
};

function findOrphanedLocks(allOps: readonly LockOperation[], ttl: TtlBounds, clocksMoved: boolean): Anomaly[] {
  const ttlSeconds = ttl.ttlSeconds;
  const anomalies: Anomaly[] = [];
  for (const [key, ops] of groupByKey(allOps)) {
    const owned = ops.filter((op): op is OwnerOperation => op.f !== 'read');
    const reported = new Set<string>();
    for (const read of ops.filter((op): op is OkRead => isOkRead(op) && op.final)) {
      const holder = observedHolder(read);
      if (holder === null || holder === 'unknown' || reported.has(holder)) continue;
      const acquire = owned.find((op) => op.f === 'acquire' && op.owner === holder);
      const release = owned.find((op) => op.f === 'release' && op.owner === holder && op.invokedAt < read.invokedAt);
      const gaveUp = release ?? (acquire && acquire.outcome !== 'ok' ? acquire : undefined);
      if (!gaveUp) continue;
      if (ttlSeconds > 0 && !(acquire && !clocksMoved && read.invokeTime > ttl.latestExpiry(acquire))) continue;
      anomalies.push(report(key, holder, read, acquire, release, ttlSeconds));
      reported.add(holder);
    }
  }
  return anomalies;
}

function report(
  key: string,
  holder: string,
  read: OkRead,
  acquire: OwnerOperation | undefined,
  release: OwnerOperation | undefined,
  ttlSeconds: number,
): Anomaly {
  const why = release
    ? `sent its release (event ${release.invoke})`
    : `saw its acquire ${acquire!.outcome === 'fail' ? 'fail' : 'end with an unknown outcome'} (event ${acquire!.completion ?? acquire!.invoke})`;
  const ttl = ttlSeconds > 0 ? `its ${ttlSeconds}s TTL had already passed without freeing it` : 'no TTL will ever free it';
  return {
    kind: 'orphaned-lock',
    key,
    owners: [holder],
    witness: witness(acquire ? eventsOf(acquire) : [], release ? [release.invoke] : [], eventsOf(read)),
    explanation: `After faults healed, a final read (event ${read.completion}) found lock ${key} still held by ${holder}, whose client had given it up (it ${why}), and ${ttl}.`,
  };
}
