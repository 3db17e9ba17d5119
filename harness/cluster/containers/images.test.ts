import { describe, expect, it, vi } from 'vitest';
import { baseImageName, cassandraImageName, contentHash, toxiproxyImageName } from './images.ts';

describe('content-hashed image tags', () => {
  it('depend on every input and not on the order they are listed in', () => {
    const a = contentHash([['x', '1'], ['y', '2']]);
    expect(contentHash([['y', '2'], ['x', '1']])).toBe(a);
    expect(contentHash([['x', '1'], ['y', '3']])).not.toBe(a);
    expect(contentHash([['x', '12'], ['y', '']])).not.toBe(contentHash([['x', '1'], ['y', '2']]));
  });

  it('name the derived images after the base, so another base means other tags', () => {
    vi.stubEnv('LOCKSTORM_BASE_IMAGE', '');
    const base = baseImageName();
    expect(base).toMatch(/^lockstorm\/base:[0-9a-f]{16}$/);
    expect(cassandraImageName(base)).toMatch(/^lockstorm\/cassandra:[0-9a-f]{16}$/);
    expect(cassandraImageName('my-base')).not.toBe(cassandraImageName(base));
    expect(toxiproxyImageName('my-base')).not.toBe(toxiproxyImageName(base));
    vi.stubEnv('LOCKSTORM_BASE_IMAGE', 'my-base');
    expect(baseImageName()).toBe('my-base');
    vi.unstubAllEnvs();
  });
});
