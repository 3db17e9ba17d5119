// When a lock's TTL can free it. Cassandra keeps a cell's expiry in whole seconds
// (floor(now) + ttl), so a lock can lapse up to one second before ttl seconds have passed, and
// the lock may have been written as early as its acquire's invocation: measure from there.

import type { HistoryEvent } from '../../harness/history/events.ts';
import type { OwnerOperation } from './operations.ts';

const NS_PER_SECOND = 1_000_000_000;
export const TTL_GRANULARITY_NS = NS_PER_SECOND;

/** The earliest monotonic time the lock taken by `acquire` could have expired (Infinity: no TTL). */
export function earliestExpiry(acquire: OwnerOperation, ttlSeconds: number): number {
  if (!(ttlSeconds > 0)) return Infinity;
  return acquire.invokeTime + ttlSeconds * NS_PER_SECOND - TTL_GRANULARITY_NS;
}

/**
 * The time by which the lock taken by `acquire` must have expired on unskewed clocks: only known
 * when the acquire was acknowledged (an indeterminate one may be written at any later time).
 */
export function latestExpiry(acquire: OwnerOperation, ttlSeconds: number): number {
  if (!(ttlSeconds > 0) || acquire.outcome !== 'ok') return Infinity;
  // One granule of slack for the server's clock read against the harness's.
  return acquire.completeTime + ttlSeconds * NS_PER_SECOND + TTL_GRANULARITY_NS;
}

export function describeTtl(ttlSeconds: number): string {
  return ttlSeconds > 0 ? `its ${ttlSeconds}s TTL` : 'no TTL';
}

/** Nemesis faults that move node clocks: a TTL then lapses early or late on the skewed node. */
const CLOCK_FAULT = /clock|skew|faketime/i;

export function hasClockFaults(events: readonly HistoryEvent[]): boolean {
  return events.some((e) => e.type === 'nemesis' && (CLOCK_FAULT.test(e.fault) || e.detail?.['family'] === 'clock'));
}
