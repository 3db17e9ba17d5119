import { describe, expect, it } from 'vitest';
import { timestampSource } from './timestamps.ts';

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

  it('leaves tie mode to the driver until the executor pins a stamp', () => {
    expect(timestampSource({ kind: 'tie' }).next()).toBeUndefined();
  });
});
