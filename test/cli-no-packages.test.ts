// A clone before `npm ci`: the CLI says what to do in one line and exits 2, never a loader trace.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

describe('bin/lockstorm.mjs without node_modules', () => {
  it('names the missing step and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstorm-no-packages-'));
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    mkdirSync(join(dir, 'harness/cli'), { recursive: true });
    cpSync(join(ROOT, 'harness/cli/main.ts'), join(dir, 'harness/cli/main.ts'));
    const r = spawnSync(process.execPath, [join(dir, 'bin/lockstorm.mjs'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('lockstorm: node_modules is missing: run `npm ci` in the lockstorm folder first\n');
    expect(r.stdout).toBe('');
  });
});
