// When a lock's TTL can free it: the one place that knows Cassandra's expiry granularity.
// Cassandra keeps a cell's expiry in whole seconds (floor(now) + ttl), so a lock can lapse up to
// one second before ttl seconds have passed; and the server's clock is read against the
// harness's, so a lock may also outlive its TTL by as much. Every judgement of expiry (the
// specific checkers, the lock model of the linearizability search) takes its bounds from here.

const NS_PER_SECOND = 1_000_000_000;

/** Cassandra's expiry granularity: one second. */
export const EXPIRY_GRANULARITY_NS = NS_PER_SECOND;

export interface TtlBounds {
  /** The lock TTL in seconds; 0 means locks never expire. */
  ttlSeconds: number;
  /** Shortest time a lock is sure to be held once written (Infinity: never expires). */
  shortestHoldNs: number;
  /**
   * The earliest monotonic time the lock taken by an acquire could have expired (Infinity: no
   * TTL). The lock may have been written as early as the acquire's invocation: measured from there.
   */
  earliestExpiry(acquire: { invokeTime: number }): number;
  /**
   * The time by which the lock must have expired on unskewed clocks: only known when the
   * acquire was acknowledged (an indeterminate one may be written at any later time).
   */
  latestExpiry(acquire: { outcome: 'ok' | 'fail' | 'info'; completeTime: number }): number;
}

/** `slackNs` is for tests that need the exact model; every verdict uses the granularity. */
export function ttlBounds(ttlSeconds: number, slackNs: number = EXPIRY_GRANULARITY_NS): TtlBounds {
  const expires = ttlSeconds > 0;
  const ttlNs = ttlSeconds * NS_PER_SECOND;
  return {
    ttlSeconds: expires ? ttlSeconds : 0,
    shortestHoldNs: expires ? Math.max(0, ttlNs - slackNs) : Infinity,
    earliestExpiry: (acquire) => (expires ? acquire.invokeTime + ttlNs - slackNs : Infinity),
    latestExpiry: (acquire) => (expires && acquire.outcome === 'ok' ? acquire.completeTime + ttlNs + slackNs : Infinity),
  };
}
