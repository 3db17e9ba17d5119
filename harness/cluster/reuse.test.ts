import { describe, expect, it } from 'vitest';
import { reuseMismatch } from './reuse.ts';
import { resolveSettings } from './settings.ts';

const base = resolveSettings({ cassandraVersion: '5.0', paxosVariant: 'v2' });
const image = 'lockstorm/cassandra:aaaa';

describe('reuseMismatch', () => {
  it('finds nothing to refuse when settings and image are the same', () => {
    expect(reuseMismatch({ settings: base, image }, { settings: { ...base, yaml: {} }, image })).toEqual([]);
  });

  it('does not care in which order cassandra.yaml overrides were given', () => {
    const a = { ...base, yaml: { a: 1, b: 'x' } };
    const b = { ...base, yaml: { b: 'x', a: 1 } };
    expect(reuseMismatch({ settings: a, image }, { settings: b, image })).toEqual([]);
  });

  it('names each differing setting', () => {
    const running = { settings: { ...base, paxosVariant: 'v1' as const, writeRequestTimeoutMs: 3000, yaml: { a: 1 } }, image };
    const found = reuseMismatch(running, { settings: base, image });
    expect(found).toEqual([
      'paxos v1, not v2',
      'writeRequestTimeoutMs 3000, not 2000',
      'cassandra.yaml settings [["a",1]], not []',
    ]);
  });

  it('refuses another release, and the same release on an image built from other recipe files', () => {
    const other = resolveSettings({ cassandraVersion: '4.1' });
    expect(reuseMismatch({ settings: other, image }, { settings: { ...base, paxosVariant: other.paxosVariant }, image })).toEqual([
      `Cassandra ${other.cassandraVersion}, not ${base.cassandraVersion}`,
    ]);
    expect(reuseMismatch({ settings: base, image: 'lockstorm/cassandra:bbbb' }, { settings: base, image })).toEqual([
      'image lockstorm/cassandra:bbbb, not lockstorm/cassandra:aaaa (built from other recipe files)',
    ]);
  });

  it('refuses a lab started for another provider', () => {
    expect(reuseMismatch({ settings: base, image, lab: 'ssh' }, { settings: base, image })).toEqual(['it was started as a ssh lab']);
  });

  it('does not compare images it does not know', () => {
    expect(reuseMismatch({ settings: base }, { settings: base, image })).toEqual([]);
  });
});
