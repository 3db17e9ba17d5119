// A fresh clone must pass its own tests: nothing in the project may reach for data kept beside
// the checkout instead of inside it.

import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Spelled in two pieces so that this file does not contain what it looks for.
const outside = ['..', 'shared'].join('/');

/** Files git tracks, plus new ones it would track (not ignored), so a check before commit counts. */
function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' });
  return [...new Set(out.split('\0').filter(Boolean))].filter((f) => {
    const path = join(repo, f);
    return existsSync(path) && lstatSync(path).isFile();
  });
}

describe('the checkout is self-contained', () => {
  it(`no project file names ${outside}`, () => {
    const files = projectFiles();
    expect(files).toContain('package.json');
    const offenders = files.filter((f) => readFileSync(join(repo, f)).includes(outside));
    expect(offenders).toEqual([]);
  });
});
