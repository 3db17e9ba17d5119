// The cluster files' order (test/support/cluster-order.ts) must name every real-cluster test file
// and nothing else: a file left out would run last, possibly after the shared cluster's users
// and so with a restart for nothing, and a stale name would hide that.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORDER } from './support/cluster-order.ts';

const root = resolve(import.meta.dirname, '..');

describe('cluster file order', () => {
  it('names every *.cluster.test.ts once, and nothing else', () => {
    const files = execFileSync('git', ['ls-files', '*.cluster.test.ts'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect([...ORDER].sort()).toEqual(files.sort());
  });
});
