import { describe, expect, it } from 'vitest';
import { recipes } from './index.ts';
import { numberToToken, ownerToken, tokenToNumber } from './recipe.ts';

describe('recipes', () => {
  it('registers the recipes under their names', () => {
    expect(Object.keys(recipes).sort()).toEqual(['lwt', 'lwt-plain-delete', 'lwt-ttl-plain-release', 'write-then-delete', 'write-then-delete-retry']);
    for (const [name, r] of Object.entries(recipes)) expect(r.name).toBe(name);
  });

  it('creates each table in the given keyspace', () => {
    for (const r of Object.values(recipes)) {
      expect(r.schema('ks').join('\n')).toContain(`CREATE TABLE ks.${r.table} (`);
    }
  });

  it('calls a flag row with only one of its two cells torn', () => {
    const r = recipes['lwt-ttl-plain-release']!;
    expect(r.rowIsReachable(null)).toBe(true);
    expect(r.rowIsReachable({ lock: true, revision: 3_000_017 })).toBe(true);
    expect(r.rowIsReachable({ lock: false, revision: 3_000_017 })).toBe(true);
    expect(r.rowIsReachable({ lock: null, revision: 3_000_017 })).toBe(false);
    expect(r.rowIsReachable({ lock: true, revision: null })).toBe(false);
  });

  it('accepts owner rows and rejects owner-less ones for the owner-column recipes', () => {
    for (const name of ['lwt', 'lwt-plain-delete', 'write-then-delete', 'write-then-delete-retry']) {
      const r = recipes[name]!;
      expect(r.rowIsReachable({ owner: 'p1-2' })).toBe(true);
      expect(r.rowIsReachable({ owner: null })).toBe(false);
    }
  });
});

describe('owner tokens', () => {
  it('round-trip through their numeric form', () => {
    for (const [p, a] of [[0, 0], [3, 17], [1234, 999_999]] as const) {
      const t = ownerToken(p, a);
      expect(numberToToken(tokenToNumber(t))).toBe(t);
    }
    expect(() => ownerToken(1, 1_000_000)).toThrow(RangeError);
  });
});
