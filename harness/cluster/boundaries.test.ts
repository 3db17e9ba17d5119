// The provider boundary, checked on the source: container code is reached only through the
// provider registry (plus the start-up bench, which times image builds), and the nemesis
// knows clusters only by the Cluster interface.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

const importsOf = (file: string) =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

describe('cluster provider boundary', () => {
  it('only the registry and the start-up bench import container code', () => {
    const outside = [...sources('harness'), ...sources('bench'), ...sources('workloads'), ...sources('checkers')]
      .filter((f) => !f.startsWith('harness/cluster/containers/') && !f.includes('/testing/'));
    const importers = outside.filter((f) => importsOf(f).some((i) => i.includes('cluster/containers/') || i.startsWith('./containers/')));
    expect(importers.sort()).toEqual(['bench/cluster-startup.ts', 'harness/cluster/providers.ts']);
  });

  it('the ssh and existing providers take from containers/ only the local proxy, the lab and pure helpers', () => {
    // Their faults go over SSH and through the local Toxiproxy: no container API, no docker exec.
    const files = ['harness/cluster/ssh', 'harness/cluster/existing', 'harness/cluster/remote'].flatMap(sources);
    expect(files.length).toBeGreaterThan(5);
    const used = new Set(files.flatMap((f) => importsOf(f).filter((i) => i.includes('containers/') || /testcontainers|dockerode/.test(i))));
    expect([...used].sort()).toEqual([
      '../containers/faketime-clock.ts',
      '../containers/health.ts',
      '../containers/local-toxiproxy.ts',
      '../containers/ssh-lab-run.ts',
    ]);
  });

  it('the nemesis imports from the cluster layer only its interface', () => {
    const used = new Set(sources('harness/nemesis').flatMap((f) => importsOf(f).filter((i) => i.includes('/cluster/'))));
    expect(used.size).toBeGreaterThan(0);
    for (const path of used) expect(path).toMatch(/^(\.\.\/)+cluster\/cluster\.ts$/);
  });
});
