import { describe, expect, it } from 'vitest';
import { prng } from '../core/prng.ts';
import { nextOp } from './mix.ts';

const keys = ['k0', 'k1', 'k2'];

describe('nextOp', () => {
  it('is reproducible from the seed', () => {
    const run = () => {
      const rng = prng(42);
      let n = 0;
      return Array.from({ length: 50 }, () => nextOp(rng, keys, new Map(), () => `p0-${n++}`));
    };
    expect(run()).toEqual(run());
  });

  it('never acquires a key the process holds and only releases held keys under their owner', () => {
    const rng = prng(7);
    const held = new Map([['k1', 'p0-4']]);
    for (let i = 0; i < 500; i++) {
      const op = nextOp(rng, keys, held, () => 'p0-9');
      if (op.f === 'acquire') expect(op.key).not.toBe('k1');
      if (op.f === 'release') expect(op).toEqual({ f: 'release', key: 'k1', owner: 'p0-4' });
    }
  });

  it('releases when every key is held, and mostly releases when holding', () => {
    const rng = prng(1);
    const all = new Map(keys.map((k, i) => [k, `p0-${i}`]));
    for (let i = 0; i < 100; i++) expect(nextOp(rng, keys, all, () => 'x').f).toBe('release');
    const some = new Map([['k0', 'p0-0']]);
    const fs = Array.from({ length: 1000 }, () => nextOp(rng, keys, some, () => 'x').f);
    const releases = fs.filter((f) => f === 'release').length;
    expect(releases).toBeGreaterThan(600);
    expect(releases).toBeLessThan(800);
    expect(fs).toContain('read');
    expect(fs).toContain('acquire');
  });
});
