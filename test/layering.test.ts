// The layers of docs/architecture.md, enforced: dependency-cruiser with the project's own rules
// (.dependency-cruiser.cjs) over every source folder must report nothing, and the same rules must
// catch an upward import planted in a copy, so this test can fail.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');
const folders = ['history', 'checkers', 'workloads', 'harness', 'examples'];

function cruise(cwd: string, paths: string[]) {
  return spawnSync(depcruise, [...paths, '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'err'], { cwd, encoding: 'utf8' });
}

describe('layering', { timeout: 180_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'lockstorm-layers-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('no module imports a layer above its own, or a room it must not know', () => {
    const r = cruise(root, folders);
    expect(r.stdout + r.stderr).not.toMatch(/error /);
    expect(r.status).toBe(0);
  });

  it('the rules catch an upward import and a cycle', () => {
    for (const dir of ['checkers', 'harness/cli', 'harness/cluster']) mkdirSync(join(scratch, dir), { recursive: true });
    writeFileSync(join(scratch, 'harness/cli/main.ts'), 'export const cli = 1;\n');
    writeFileSync(join(scratch, 'checkers/judge.ts'), "import { cli } from '../harness/cli/main.ts';\nexport const judge = cli;\n");
    writeFileSync(join(scratch, 'harness/cluster/a.ts'), "import { b } from './b.ts';\nexport const a = () => b;\n");
    writeFileSync(join(scratch, 'harness/cluster/b.ts'), "import { a } from './a.ts';\nexport const b = () => a;\n");
    cpSync(join(root, 'tsconfig.json'), join(scratch, 'tsconfig.json'));
    const r = cruise(scratch, ['checkers', 'harness']);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('no-upward-from-checkers: checkers/judge.ts → harness/cli/main.ts');
    expect(r.stdout).toContain('no-circular');
  });

  it('the rules know every top-level source folder', () => {
    const listed = execFileSync('git', ['ls-files', '*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.includes('/') && !f.startsWith('test/') && !f.startsWith('bench/'))
      .map((f) => f.split('/')[0]!);
    expect([...new Set(listed)].sort()).toEqual([...folders].sort());
  });
});
