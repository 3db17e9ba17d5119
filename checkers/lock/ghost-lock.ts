// A lock nobody holds on purpose, that blocks everyone: the owner's acquire ended in an error
// (its write timed out, and may have landed), the recipe's own clean-up release failed or timed
// out too, and readers still see the owner holding the key. The owner's client has given the
// lock up, so only a TTL (or a later clean-up that gets through) frees it. The witness is the
// acquire, the failed clean-up and the first sighting after it; the explanation adds how long it
// was seen blocking: from the first read or refused acquire that saw it to the last.
//
// A later ok release of the same owner ends it: that lock is not a ghost. A refused release
// (an LWT whose condition did not hold, with no error) is no failed clean-up: it found the lock
// was not the owner's.

import type { Anomaly } from '../anomaly.ts';
import type { Checker } from './checker.ts';
import { eventsOf, groupByKey, isOkRead, observedHolder, witness, type LockOperation, type OwnerOperation } from './operations.ts';

export const ghostLock: Checker = {
  name: 'ghost-lock',
  check: ({ ops }) => ({ anomalies: findGhosts(ops) }),
};

const errored = (op: LockOperation): boolean => op.outcome === 'info' || (op.outcome === 'fail' && op.error !== undefined);

/** Who an operation saw holding the key: an ok read's named holder, or the owner a refused acquire saw. */
function sawHeldBy(op: LockOperation): string | null {
  if (isOkRead(op)) {
    const h = observedHolder(op);
    return h === 'unknown' ? null : h;
  }
  if (op.f === 'acquire' && op.outcome === 'fail') return op.refusedBy ?? null;
  return null;
}

function findGhosts(allOps: readonly LockOperation[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [key, ops] of groupByKey(allOps)) {
    for (const acquire of ops) {
      if (acquire.f !== 'acquire' || !errored(acquire)) continue;
      const owner = acquire.owner;
      const releases = ops.filter((op): op is OwnerOperation => op.f === 'release' && op.owner === owner && op.invokedAt > acquire.invokedAt);
      if (releases.some((r) => r.outcome === 'ok')) continue;
      const failedCleanUps = releases.filter(errored);
      if (failedCleanUps.length === 0) continue;
      const givenUpAt = Math.min(...failedCleanUps.map((r) => r.completedAt));
      const sightings = ops
        .filter((op) => op.outcome !== 'info' && op.invokedAt > acquire.invokedAt && sawHeldBy(op) === owner)
        .sort((a, b) => a.completedAt - b.completedAt);
      // The first sighting after the owner gave the lock up is what proves the ghost; the span
      // of all sightings is how long it blocked, told in the explanation, not in the witness.
      const proof = sightings.find((s) => s.invokedAt > givenUpAt);
      if (!proof) continue;
      const first = sightings[0]!;
      const last = sightings.at(-1)!;
      const seconds = (last.completeTime - first.completeTime) / 1e9;
      const refusals = sightings.filter((s) => s.f === 'acquire').length;
      const how =
        acquire.outcome === 'info'
          ? `got no answer${acquire.error ? ` (${acquire.error})` : ''}, so it may have landed,`
          : `failed with an error (${acquire.error})`;
      anomalies.push({
        kind: 'ghost-lock',
        key,
        owners: [owner],
        witness: witness(eventsOf(acquire), ...failedCleanUps.map(eventsOf), eventsOf(proof)),
        explanation:
          `Lock ${key} was held by ${owner}, whose acquire ${how} (event ${acquire.completion ?? acquire.invoke}) and whose clean-up release also ` +
          `failed (event ${failedCleanUps[0]!.completion ?? failedCleanUps[0]!.invoke}): it blocked everyone for ${seconds.toFixed(1)} s, ` +
          `seen held from event ${first.completion} to event ${last.completion}` +
          (refusals > 0 ? `, refusing ${refusals} acquire${refusals === 1 ? '' : 's'}.` : '.'),
      });
    }
  }
  return anomalies;
}

