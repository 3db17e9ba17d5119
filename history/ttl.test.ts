import { describe, expect, it } from 'vitest';
import { EXPIRY_GRANULARITY_NS, ttlBounds } from './ttl.ts';

describe('ttlBounds', () => {
  it('widens a TTL by Cassandra’s one-second expiry granularity on both sides', () => {
    const ttl = ttlBounds(5);
    expect(EXPIRY_GRANULARITY_NS).toBe(1e9);
    expect(ttl.shortestHoldNs).toBe(4e9);
    expect(ttl.earliestExpiry({ invokeTime: 10e9 })).toBe(14e9);
    expect(ttl.latestExpiry({ outcome: 'ok', completeTime: 11e9 })).toBe(17e9);
  });

  it('knows no latest expiry for an acquire whose outcome is unknown, and no expiry without a TTL', () => {
    expect(ttlBounds(5).latestExpiry({ outcome: 'info', completeTime: 11e9 })).toBe(Infinity);
    const none = ttlBounds(0);
    expect([none.ttlSeconds, none.shortestHoldNs, none.earliestExpiry({ invokeTime: 0 })]).toEqual([0, Infinity, Infinity]);
  });

  it('never gives a negative hold for a TTL under the granularity, and takes another slack when asked', () => {
    expect(ttlBounds(0.5).shortestHoldNs).toBe(0);
    expect(ttlBounds(5, 0).shortestHoldNs).toBe(5e9);
  });
});
