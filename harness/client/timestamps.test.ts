import { describe, expect, it } from 'vitest';
import { newestWriteTime, timestampSource } from './timestamps.ts';

describe('timestampSource', () => {
  it('sends no timestamp in server mode and leaves the driver default alone in driver mode', () => {
    expect(timestampSource({ kind: 'server' }).next()).toBeNull();
    expect(timestampSource({ kind: 'driver' }).next()).toBeUndefined();
  });

  it('shifts by the offset and stays strictly increasing when the clock stands still', () => {
    const src = timestampSource({ kind: 'skewed', offsetMs: -1500 }, () => 1_000_000);
    expect([src.next(), src.next(), src.next()]).toEqual([998_500_000, 998_500_001, 998_500_002]);
  });

  it('quantizes to the unit so that writes within one unit tie', () => {
    let now = 1_000_120;
    const src = timestampSource({ kind: 'quantized', unitMs: 100 }, () => now);
    const a = src.next();
    now = 1_000_199;
    expect(src.next()).toBe(a);
    now = 1_000_200;
    expect(src.next()).toBe(1_000_200_000);
    expect(a).toBe(1_000_100_000);
  });

  it('leaves tie mode to the driver until the runner pins a stamp', () => {
    expect(timestampSource({ kind: 'tie' }).next()).toBeUndefined();
  });
});

describe('newestWriteTime', () => {
  it("takes the newest of a row's writetime columns, ignoring the others", () => {
    expect(newestWriteTime({ lock: true, revision: 9, lock_ts: 1_000, revision_ts: 2_000, lock_ttl: 17 })).toBe(2_000);
    expect(newestWriteTime({ owner: 'p1-0', owner_ts: 5 })).toBe(5);
  });

  it('is null for an absent row or one without writetimes', () => {
    expect(newestWriteTime(null)).toBeNull();
    expect(newestWriteTime({ lock: null, lock_ts: null })).toBeNull();
  });
});
