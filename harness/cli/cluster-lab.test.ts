// `lockstorm cluster up --lab`: the one lab there is, or one line naming the flag.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { clusterUpLab } from './cluster.ts';

describe('cluster up --lab', () => {
  it('takes ssh, or nothing', () => {
    expect(clusterUpLab('ssh')).toBe('ssh');
    expect(clusterUpLab(undefined)).toBeUndefined();
  });

  it('refuses another lab with one line and exit 2, before any cluster work', () => {
    expect(() => clusterUpLab('k8s')).toThrow(UserError);
    const r = spawnSync('node', ['bin/lockstorm.mjs', 'cluster', 'up', '--lab', 'k8s'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['lockstorm: --lab must be ssh, not "k8s"']);
  });
});
