// `lockstorm diff A B` as a nightly job relies on it: exit 1 exactly when a cell that met its
// expectation in A does not in B; the same two runs the other way round got only better, exit 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCell, runResults, writeRun } from './generated-runs.fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const diff = (a: string, b: string) => spawnSync(process.execPath, [join(ROOT, 'bin/lockstorm.mjs'), 'diff', a, b], { encoding: 'utf8', cwd: ROOT });

describe('lockstorm diff exit status', () => {
  const root = mkdtempSync(join(tmpdir(), 'lockstorm-diff-exit-'));
  const at = new Date(Date.UTC(2026, 1, 1));
  // The same cells in both runs; only lwt_w-ONE changes: met in A, broken by a double holder in B.
  const a = writeRun(root, runResults('n', '20260201-000000-n', [
    makeCell('lwt_w-ONE', 'safe', 'safe'),
    makeCell('lwt_w-QUORUM', 'safe', 'safe'),
    makeCell('write-then-delete_w-ONE', 'unsafe', 'unsafe-allowed', ['double-holder']),
  ]), at);
  const b = writeRun(root, runResults('n', '20260202-000000-n', [
    makeCell('lwt_w-ONE', 'unsafe', 'safe', ['double-holder']),
    makeCell('lwt_w-QUORUM', 'safe', 'safe'),
    makeCell('write-then-delete_w-ONE', 'unsafe', 'unsafe-allowed', ['double-holder']),
  ]), at);

  it('exits 1 when a cell met in A is not met in B, naming it', () => {
    const r = diff(a, b);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('WORSE lwt_w-ONE: safe, met → unsafe, not met, double-holder\n1 cell worse in 20260202-000000-n than in 20260201-000000-n\n');
    expect(r.status).toBe(1);
  });

  it('exits 0 the other way round, where the cell only got better', () => {
    const r = diff(b, a);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('lwt_w-ONE: unsafe, not met, double-holder → safe, met\n1 change, none worse\n');
    expect(r.status).toBe(0);
  });
});
